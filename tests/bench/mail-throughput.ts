/**
 * Emails per second through the real jobs worker (`jobs/dist/main.js`) into the benchmark's SMTP
 * listener: the path a bulletin's 10,000-recipient digest will take. The benchmark starts one
 * extra worker per transport setting, with the stack's environment and a queue prefix of its own,
 * puts N confirmation emails (with their .ics invitation) on its `email` queue at once and times
 * them until the last one has been received and parsed by the listener.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@sendco/config';
import { createQueue, emailJob, QUEUE_NAMES, type EmailJob } from '@sendco/queue';
import type { TestMailbox } from '../support/mailbox';
import { freePort, REPO_ROOT } from '../support/stack';

export interface MailThroughputResult {
  label: string;
  settings: Record<string, string | undefined>;
  emails: number;
  wallMs: number;
  emailsPerSecond: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function confirmation(i: number, domain: string) {
  const to = { name: `Reader ${i}`, email: `r${i}@${domain}` };
  const startsAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const endsAt = new Date(startsAt.getTime() + 3 * 3600 * 1000);
  return emailJob(
    'booking-confirmation',
    to,
    { delegateName: to.name, eventTitle: 'Mail throughput', startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), venue: 'County Hall, Oxford', bookingReference: `TRN-MAIL${i}` },
    {
      uid: `place-mail-${i}@sendco-hub`,
      sequence: 0,
      method: 'REQUEST',
      title: 'Mail throughput',
      description: 'Benchmark email.',
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      location: 'County Hall, Oxford',
      organizer: { name: 'SEND Training Team', email: 'training@example.org' },
      attendee: to,
    },
  );
}

async function waitForMail(mailbox: TestMailbox, domain: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let seen = 0;
  let matched = 0;
  for (;;) {
    for (; seen < mailbox.messages.length; seen += 1) if (mailbox.messages[seen].envelopeTo[0]?.endsWith(`@${domain}`)) matched += 1;
    if (matched >= count) return;
    if (performance.now() > deadline) throw new Error(`only ${matched} of ${count} emails to @${domain} arrived within ${timeoutMs / 1000} s`);
    await sleep(10);
  }
}

/** One worker process with `settings` on top of the stack's environment: N emails, timed. */
export async function measureMailThroughput(
  stackEnv: NodeJS.ProcessEnv,
  mailbox: TestMailbox,
  label: string,
  settings: Record<string, string | undefined>,
  emails: number,
  timeoutMs: number,
): Promise<MailThroughputResult> {
  const prefix = `${stackEnv.QUEUE_PREFIX}_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}`.slice(0, 60);
  // A port of its own for the worker's metrics server: the stack's worker has the stack's.
  const env = { ...stackEnv, ...settings, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', JOBS_METRICS_PORT: String(await freePort()) };
  const worker = spawn(process.execPath, [path.join(REPO_ROOT, 'jobs/dist/main.js')], {
    cwd: REPO_ROOT,
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const queue = createQueue<EmailJob>(loadConfig(env).queue, QUEUE_NAMES.email);
  try {
    // Warm-up, not timed: the worker is up, its SMTP connections open, its code compiled.
    const warmDomain = `${label}.warm.mail.bench.example.org`;
    await queue.addBulk(Array.from({ length: 20 }, (_, i) => confirmation(i, warmDomain)).map((job) => ({ name: job.name, data: job.data })));
    await waitForMail(mailbox, warmDomain, 20, 120_000);

    const domain = `${label}.mail.bench.example.org`;
    const jobs = Array.from({ length: emails }, (_, i) => confirmation(i, domain)).map((job) => ({ name: job.name, data: job.data }));
    const t0 = performance.now();
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    await waitForMail(mailbox, domain, emails, timeoutMs);
    const wallMs = performance.now() - t0;
    return { label, settings, emails, wallMs: Math.round(wallMs), emailsPerSecond: Math.round((emails / wallMs) * 1000 * 10) / 10 };
  } finally {
    await queue.close();
    worker.kill('SIGTERM');
    await exited;
  }
}
