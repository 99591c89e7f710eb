/**
 * `npm run bench` (after the booking scenarios): the bulletin send. 10,000 confirmed subscribers,
 * one bulletin sent now with the send rate off (BULLETIN_SEND_RATE=0), every email into the
 * TestMailbox (a local SMTP listener) through the whole product as it runs (launcher, bulletin
 * subgraph fan-out, jobs process delivery worker). Measures emails/second (first to last arrival,
 * and from the schedule call) and the memory of each process over the send: its resident size at
 * the start, the highest seen (sampled every 250 ms) and at the end, and VmHWM, so a sender whose
 * memory grew with the list would show it. Checks that every subscriber got exactly one email and
 * the delivery figures agree; exits non-zero if not. Not a test: nothing asserts speed.
 *
 *   npm run bench                                   # embedded defaults
 *   DATABASE_URL=… REDIS_URL=… npm run bench         # real Postgres and Redis
 *   BENCH_BULLETIN_RECIPIENTS=2000 node tests/dist/bench/bulletin.js
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT, startTestStack, type TestStack } from '../support/stack';

const RECIPIENTS = Number(process.env.BENCH_BULLETIN_RECIPIENTS ?? 10_000);
const WARM_UP = 200;
const SEND_CONCURRENCY = process.env.BENCH_BULLETIN_CONCURRENCY ?? '100';
const SMTP_POOL = process.env.BENCH_SMTP_POOL ?? '20';
const SERVICES = ['jobs', 'bulletin', 'gateway'] as const;
const TIMEOUT_MS = Number(process.env.BENCH_EMAIL_TIMEOUT_MS ?? 15 * 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function statusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? round(Number(match[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux USER_HZ is 100). */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function gql(stack: TestStack, query: string, variables: Record<string, unknown>, token: string) {
  const answer = await stack.gql(query, variables, token);
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

async function sendAndWait(stack: TestStack, editor: string, title: string, topic: string, expected: number) {
  const { createBulletin } = await gql(
    stack,
    `mutation($input: CreateBulletinInput!) { createBulletin(input: $input) { id } }`,
    { input: { title, intro: 'The council’s news for SENDCOs.', topics: [topic], items: [{ heading: 'Enhanced Pathways', body: 'Cabinet **agreed** twenty more pathways. Read [the guidance](https://example.org/guide).', topic }] } },
    editor,
  );
  const start = performance.now();
  await gql(stack, `mutation($id: ID!) { scheduleBulletin(id: $id, sendAt: null) { status } }`, { id: createBulletin.id }, editor);
  const arrivals: number[] = [];
  let seen = 0;
  const deadline = Date.now() + TIMEOUT_MS;
  while (arrivals.length < expected) {
    const messages = stack.mailbox.messages;
    for (; seen < messages.length; seen += 1) if (messages[seen].subject === title) arrivals.push(performance.now());
    if (Date.now() > deadline) throw new Error(`only ${arrivals.length} of ${expected} emails arrived`);
    await sleep(10);
  }
  return { id: createBulletin.id as string, start, first: arrivals[0], last: arrivals[arrivals.length - 1] };
}

async function main(): Promise<void> {
  const mode = process.env.DATABASE_URL ? 'real' : 'embedded';
  // The rate limit off, and the sender sized for a fast relay: deliveries in flight and pooled
  // SMTP connections (the product's defaults, 20 and 5, suit a council relay's usual limits).
  const stack = await startTestStack('bench_bulletin', {
    env: { BULLETIN_SEND_RATE: '0', LOG_LEVEL: 'warn', BULLETIN_SEND_CONCURRENCY: SEND_CONCURRENCY, SMTP_POOL_CONNECTIONS: SMTP_POOL },
  });
  const problems: string[] = [];
  try {
    const editor = await stack.token('BULLETIN_EDITOR');
    for (const slug of ['bench', 'warmup']) await gql(stack, `mutation($input: BulletinTopicInput!) { upsertBulletinTopic(input: $input) { slug } }`, { input: { slug, name: slug } }, editor);
    const importList = async (prefix: string, count: number, topic: string) => {
      const rows = Array.from({ length: count }, (_, i) => `${prefix}.${i}@bench.example.org,${topic},2025-09-01`);
      await gql(stack, `mutation($csv: String!, $source: String!) { importSubscribers(csv: $csv, source: $source) { imported } }`, { csv: ['email,topics,opted_in_at', ...rows].join('\n'), source: 'bench' }, editor);
    };
    await importList('warm', WARM_UP, 'warmup');
    for (let i = 0; i < RECIPIENTS; i += 5000) await importList(`reader${i / 5000}`, Math.min(5000, RECIPIENTS - i), 'bench');

    // Warm-up (not measured): first connections, JIT, query plans.
    await sendAndWait(stack, editor, 'Bench warm-up', 'warmup', WARM_UP);

    const pids = Object.fromEntries(SERVICES.map((name) => [name, stack.servicePid(name)!]));
    const memory = Object.fromEntries(SERVICES.map((name) => [name, { startMB: statusMB(pids[name], 'VmRSS'), peakMB: statusMB(pids[name], 'VmRSS'), endMB: NaN, hwmMB: NaN }]));
    const measured: Record<string, number> = { ...pids, mailbox: process.pid };
    const cpuBefore = Object.fromEntries(Object.entries(measured).map(([name, pid]) => [name, cpuSeconds(pid)]));
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const name of SERVICES) memory[name].peakMB = Math.max(memory[name].peakMB, statusMB(pids[name], 'VmRSS'));
        await sleep(250);
      }
    })();
    const run = await sendAndWait(stack, editor, 'Bench bulletin', 'bench', RECIPIENTS);
    sampling = false;
    await sampler;
    for (const name of SERVICES) Object.assign(memory[name], { endMB: statusMB(pids[name], 'VmRSS'), hwmMB: statusMB(pids[name], 'VmHWM') });
    // CPU per email: what the send costs, whatever else the shared machine is doing.
    const cpuMsPerEmail = Object.fromEntries(Object.entries(measured).map(([name, pid]) => [name, round(((cpuSeconds(pid) - cpuBefore[name]) * 1000) / RECIPIENTS, 2)]));

    await sleep(1000); // any duplicate would have arrived by now
    const counts = new Map<string, number>();
    for (const m of stack.mailbox.messages.filter((m) => m.subject === 'Bench bulletin')) for (const to of m.envelopeTo) counts.set(to, (counts.get(to) ?? 0) + 1);
    if (counts.size !== RECIPIENTS) problems.push(`${counts.size} of ${RECIPIENTS} subscribers got the bulletin`);
    const repeats = [...counts.values()].filter((n) => n > 1).length;
    if (repeats) problems.push(`${repeats} subscribers got it more than once`);
    const figures = (await gql(stack, `query($id: ID!) { bulletin(id: $id) { status delivery { recipients sent failed pending } } }`, { id: run.id }, editor)).bulletin;
    if (figures.delivery.sent !== RECIPIENTS) problems.push(`delivery figures say ${JSON.stringify(figures.delivery)}`);

    const result = {
      mode,
      recipients: RECIPIENTS,
      sendConcurrency: Number(SEND_CONCURRENCY),
      smtpPoolConnections: Number(SMTP_POOL),
      emailsPerSecondFirstToLast: round((RECIPIENTS - 1) / ((run.last - run.first) / 1000)),
      emailsPerSecondFromSchedule: round(RECIPIENTS / ((run.last - run.start) / 1000)),
      firstEmailSeconds: round((run.first - run.start) / 1000, 2),
      allEmailsSeconds: round((run.last - run.start) / 1000, 2),
      memoryMB: memory,
      cpuMsPerEmail,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadAverage: os.loadavg().map((l) => round(l, 2)), node: process.version },
      at: new Date().toISOString(),
      problems,
    };
    fs.mkdirSync(path.join(REPO_ROOT, 'tests/bench/results'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, `tests/bench/results/bulletin-${mode}.json`), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        `Bulletin send (${mode}): ${RECIPIENTS} recipients, rate limit off, ${SEND_CONCURRENCY} deliveries in flight, ${SMTP_POOL} SMTP connections`,
        `  emails/s ${result.emailsPerSecondFirstToLast} (first to last), ${result.emailsPerSecondFromSchedule} (from the schedule call)`,
        `  first email ${result.firstEmailSeconds} s, last ${result.allEmailsSeconds} s`,
        ...SERVICES.map((name) => `  ${name.padEnd(9)} RSS MB start ${memory[name].startMB}, peak ${memory[name].peakMB}, end ${memory[name].endMB}; VmHWM ${memory[name].hwmMB}; CPU ms/email ${cpuMsPerEmail[name]}`),
        `  the benchmark's own SMTP mailbox (parses every email): CPU ms/email ${cpuMsPerEmail.mailbox}`,
        problems.length ? `  PROBLEMS: ${problems.join('; ')}` : '  checks: every subscriber exactly one email; figures agree',
        '',
      ].join('\n'),
    );
  } finally {
    await stack.stop();
  }
  if (problems.length) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
