/**
 * The weekly digest with two bulletin processes and two jobs processes (issue 15): the same cron
 * slot triggered by both at once, and again later, makes one digest per set of readers' topics,
 * each with only the items of those topics, once; a reader none of the week's items are for gets
 * none. The triggers are the jobs a second scheduler (or a retry) would add for the slot; the
 * cron itself is weekly, so it does not fire while the test runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@sendco/config';
import { createQueue, QUEUE_NAMES } from '@sendco/queue';
import { BULLETIN_TOKEN_SECRET, createTopics, sendBulletinNow, waitForDelivery } from '../support/bulletin';
import { freePort, REPO_ROOT, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let editor: string;
let db: Client;
const extras: ChildProcess[] = [];

const EP = 'enhanced-pathways';
const LIVE = 'send-live';
const OTHER = 'parent-carers';
const DIGEST_SUBJECT = /^SENDCO bulletin: the week to /;

/** Another process of the product with the stack's environment (a second replica), ready when its /readyz answers. */
async function startExtra(entry: string, env: NodeJS.ProcessEnv, readyPort: number): Promise<void> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: Object.fromEntries(Object.entries({ ...stack.env, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', process.env.E2E_VERBOSE ? 'inherit' : 'ignore'],
  });
  extras.push(child);
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${readyPort}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${entry} was not ready`);
}

beforeAll(async () => {
  stack = await startTestStack('bulletin_digest', {
    env: { BULLETIN_TOKEN_SECRET, BULLETIN_SEND_RATE: '0', BULLETIN_DIGEST_CRON: '0 7 * * 1' },
  });
  const [bulletinPort, jobsPort] = [await freePort(), await freePort()];
  await Promise.all([
    startExtra('subgraphs/bulletin/dist/main.js', { BULLETIN_PORT: String(bulletinPort) }, bulletinPort),
    startExtra('jobs/dist/main.js', { JOBS_METRICS_PORT: String(jobsPort) }, jobsPort),
  ]);
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  editor = await stack.token('BULLETIN_EDITOR', { email: 'editor@council.example.org' });
  await createTopics(stack, editor);
  const other = await stack.gql(`mutation($input: BulletinTopicInput!) { upsertBulletinTopic(input: $input) { slug } }`, { input: { slug: OTHER, name: 'Parent carers' } }, editor);
  expect(other.errors).toBeUndefined();
}, 300_000);

afterAll(async () => {
  for (const child of extras) if (child.exitCode === null) child.kill('SIGTERM');
  await db?.end();
  await stack?.stop();
});

const digestCount = async () => Number((await db.query(`SELECT count(*) FROM bulletin.bulletin WHERE kind = 'DIGEST'`)).rows[0].count);
const digestsTo = (email: string) => stack.mailbox.to(email).filter((m) => DIGEST_SUBJECT.test(m.subject));

describe('the weekly digest, one cron slot triggered in two processes', () => {
  it("sends each digest reader one digest with only their topics' items, none to a reader with none, and nothing for the slot again", async () => {
    const csv = [
      'email,name,role,school_urn,topics,frequency,opted_in_at',
      `digest.ep@example.org,,,,${EP},WEEKLY_DIGEST,2025-09-01`,
      `digest.live@example.org,,,,${LIVE},WEEKLY_DIGEST,2025-09-01`,
      `digest.both@example.org,,,,${LIVE};${EP},WEEKLY_DIGEST,2025-09-01`,
      `digest.every@example.org,,,,,WEEKLY_DIGEST,2025-09-01`,
      `digest.other@example.org,,,,${OTHER},WEEKLY_DIGEST,2025-09-01`,
      `each.ep@example.org,,,,${EP},EACH_BULLETIN,2025-09-01`,
    ].join('\n');
    const imported = await stack.gql(`mutation($csv: String!) { importSubscribers(csv: $csv, source: "digest e2e") { imported } }`, { csv }, editor);
    expect(imported.errors).toBeUndefined();
    expect(imported.data.importSubscribers.imported).toBe(6);

    const week = await sendBulletinNow(stack, editor, {
      title: 'Autumn update',
      intro: 'Two pieces of news.',
      items: [
        { heading: 'Pathway panels', body: 'Panels meet monthly.', topic: EP },
        { heading: 'Keynote announced', body: 'SEND Live opens with SEMH.', topic: LIVE },
      ],
    });
    await waitForDelivery(stack, editor, week, (d) => d.status === 'SENT');
    await stack.mailbox.waitForCount('each.ep@example.org', 1);

    const queue = createQueue(loadConfig(stack.env).queue, QUEUE_NAMES.bulletinSending);
    try {
      const finished = async (id: string) => {
        for (let i = 0; i < 600; i += 1) {
          const job = await queue.getJob(id);
          const state = job ? await job.getState() : 'missing';
          if (state === 'completed') return job!.returnvalue as { outcome: string };
          if (state === 'failed') throw new Error(`${id} failed: ${job!.failedReason}`);
          await new Promise((r) => setTimeout(r, 250));
        }
        throw new Error(`${id} did not finish`);
      };
      // Two triggers of this week's slot at once; each bulletin process works one job at a time.
      await Promise.all(['slot-trigger-1', 'slot-trigger-2'].map((jobId) => queue.add('weekly-digest', {}, { jobId })));
      const outcomes = await Promise.all(['slot-trigger-1', 'slot-trigger-2'].map(finished));
      // One digest per set of topics that has items: EP, LIVE, EP+LIVE, and no topics; none for OTHER.
      expect(await digestCount()).toBe(4);
      const digestsOfTheSlot = await digestCount();

      // Later in the slot, another bulletin goes out and the slot is triggered again: nothing new is sent for it.
      const later = await sendBulletinNow(stack, editor, { title: 'Late news', intro: 'One more.', items: [{ heading: 'Late panel change', body: 'Moved a week.', topic: EP }] });
      await waitForDelivery(stack, editor, later, (d) => d.status === 'SENT');
      await queue.add('weekly-digest', {}, { jobId: 'slot-trigger-3' });
      const again = await finished('slot-trigger-3');
      expect(await digestCount()).toBe(digestsOfTheSlot);
      expect([...outcomes, again].map((o) => o.outcome).sort()).toEqual(['already-run', 'already-run', 'scheduled']);
      expect(Number((await db.query(`SELECT count(*) FROM bulletin.digest_run`)).rows[0].count)).toBe(1);
    } finally {
      await queue.close();
    }

    // Every digest delivered (two jobs processes share the deliveries).
    for (;;) {
      const { rows } = await db.query(`SELECT count(*) FILTER (WHERE status <> 'SENT')::int AS unsent FROM bulletin.bulletin WHERE kind = 'DIGEST'`);
      if (rows[0].unsent === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const expected: Record<string, string[]> = {
      'digest.ep@example.org': ['Pathway panels'],
      'digest.live@example.org': ['Keynote announced'],
      'digest.both@example.org': ['Pathway panels', 'Keynote announced'],
      'digest.every@example.org': ['Pathway panels', 'Keynote announced'],
    };
    for (const [email, headings] of Object.entries(expected)) {
      const digests = digestsTo(email);
      expect({ email, digests: digests.length }).toEqual({ email, digests: 1 });
      for (const heading of ['Pathway panels', 'Keynote announced', 'Late panel change']) {
        expect({ email, heading, present: digests[0].text.includes(`${heading} (from`) }).toEqual({ email, heading, present: headings.includes(heading) });
      }
    }
    expect(digestsTo('digest.other@example.org')).toEqual([]);
    expect(digestsTo('each.ep@example.org')).toEqual([]);
  }, 300_000);
});
