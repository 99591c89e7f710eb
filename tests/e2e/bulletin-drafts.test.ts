/**
 * Bulletin drafts from another service: a `bulletin-draft` job on the `bulletin-drafts` queue (as
 * a producer's outbox would enqueue it; here straight from the test through the queue package)
 * becomes one DRAFT bulletin per sourceKey, under createBulletin's rules, listed for editors by
 * `bulletinDrafts`, and recorded in the bulletin's audit log as created by the service.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig } from '@sendco/config';
import { bulletinDraftJob, createQueue, QUEUE_NAMES, type BulletinDraftJob } from '@sendco/queue';
import { BULLETINS, createTopics } from '../support/bulletin';
import { codes, startTestStack, type TestStack } from '../support/stack';

const DRAFTS = `query BulletinDrafts($first: Int, $after: String) {
  bulletinDrafts(first: $first, after: $after) {
    totalCount
    edges { node { id title intro status topics sourceKey items { heading bodyHtml bodyText topic link } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const BULLETIN = `query Bulletin($id: ID!) { bulletin(id: $id) { id title status sourceKey } }`;

let stack: TestStack;
let editor: string;
let queue: Queue<BulletinDraftJob>;

beforeAll(async () => {
  stack = await startTestStack('bulletin-drafts');
  editor = await stack.token('BULLETIN_EDITOR', { email: 'editor@council.example.org' });
  await createTopics(stack, editor);
  queue = createQueue<BulletinDraftJob>(loadConfig(stack.env).queue, QUEUE_NAMES.bulletinDrafts);
});

afterAll(async () => {
  await queue?.close();
  await stack?.stop();
});

function outcome(sourceKey: string, title = 'Enhanced Pathways: the decisions'): BulletinDraftJob {
  return {
    sourceKey,
    title,
    intro: 'The multi-agency board has met.',
    items: [
      { heading: 'Pathways approved', body: 'Funding for **two** pathways:\n\n- Oak Primary\n- Elm Academy', topic: 'enhanced-pathways', link: 'https://council.example.org/pathways' },
      { heading: 'Next round', body: 'Opens in *September*.', topic: 'enhanced-pathways' },
    ],
  };
}

/** Adds jobs as a producer's outbox relay would: its queue, its job name, its payload. */
async function enqueue(...jobs: BulletinDraftJob[]): Promise<string[]> {
  const added = await queue.addBulk(jobs.map((data) => bulletinDraftJob(data)).map((job) => ({ name: job.name, data: job.data as BulletinDraftJob })));
  return added.map((job) => job.id!);
}

async function settled(ids: string[], timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.getState()));
    if (states.every((s) => s === 'completed' || s === 'failed')) return states as string[];
    if (Date.now() > deadline) throw new Error(`draft jobs not settled: ${states.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function drafts(token = editor) {
  return stack.gql(DRAFTS, { first: 50 }, token);
}

async function draftsWithKey(sourceKey: string) {
  const response = await drafts();
  expect(response.errors).toBeUndefined();
  return response.data.bulletinDrafts.edges.map((e: { node: any }) => e.node).filter((n: { sourceKey: string }) => n.sourceKey === sourceKey);
}

describe('a draft from another service', () => {
  const sourceKey = `pathways:round:${randomUUID()}`;
  let id: string;

  it('becomes one DRAFT per sourceKey, however often and however concurrently the job comes', async () => {
    // Three deliveries at once (a relay that enqueued twice, a retry), then one more afterwards.
    const first = await enqueue(outcome(sourceKey), outcome(sourceKey, 'A repeat'), outcome(sourceKey, 'Another repeat'));
    expect(await settled(first)).toEqual(['completed', 'completed', 'completed']);
    expect(await settled(await enqueue(outcome(sourceKey, 'Later repeat')))).toEqual(['completed']);

    const found = await draftsWithKey(sourceKey);
    expect(found).toHaveLength(1);
    id = found[0].id;
    expect(found[0]).toMatchObject({ status: 'DRAFT', intro: 'The multi-agency board has met.', topics: ['enhanced-pathways'], sourceKey });
    expect(['Enhanced Pathways: the decisions', 'A repeat', 'Another repeat']).toContain(found[0].title);
    // The bulletin's own Markdown rules: rendered to sanitised HTML and plain text.
    expect(found[0].items[0]).toMatchObject({ heading: 'Pathways approved', topic: 'enhanced-pathways', link: 'https://council.example.org/pathways' });
    expect(found[0].items[0].bodyHtml).toContain('<strong>two</strong>');
    expect(found[0].items[0].bodyHtml).toContain('<li>Oak Primary</li>');
    expect(found[0].items[1].bodyText).toContain('Opens in September.');
  });

  it('is the editors\' to read and send: bulletin(id) for them, not in the public archive, hidden from others', async () => {
    expect((await stack.gql(BULLETIN, { id }, editor)).data.bulletin).toEqual({ id, title: expect.any(String), status: 'DRAFT', sourceKey });
    expect(codes(await stack.gql(BULLETIN, { id }))).toEqual(['NOT_FOUND']);
    const archive = await stack.gql(BULLETINS, { first: 50 });
    expect(archive.errors).toBeUndefined();
    expect(JSON.stringify(archive.data)).not.toContain(id);
    expect(codes(await drafts(await stack.token('SENDCO', { schoolUrn: '900001' })))).toEqual(['FORBIDDEN']);
    expect(codes(await drafts(''))).toEqual(['UNAUTHENTICATED']);
  });

  it('is recorded in the audit log as created by the service', async () => {
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT action, actor, details FROM bulletin.audit_log WHERE subject_type = 'bulletin' AND subject_id = $1`, [id]);
      expect(rows).toEqual([{ action: 'bulletin.created', actor: 'service:pathways', details: { title: expect.any(String), sourceKey } }]);
    } finally {
      await client.end();
    }
  });

  it('lists an editor\'s own drafts too, newest first', async () => {
    const created = await stack.gql(
      `mutation($input: CreateBulletinInput!) { createBulletin(input: $input) { id sourceKey } }`,
      { input: { title: 'An editor draft', intro: 'Hello.', items: [] } },
      editor,
    );
    expect(created.data.createBulletin.sourceKey).toBeNull();
    const nodes = (await drafts()).data.bulletinDrafts.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(nodes[0]).toBe(created.data.createBulletin.id);
    expect(nodes).toContain(id);
  });
});

describe('a draft the bulletin rules refuse', () => {
  it('fails at once (no retries), and no bulletin is made', async () => {
    const sourceKey = `pathways:round:${randomUUID()}`;
    const job = outcome(sourceKey);
    job.items[0].body = 'Click <script>alert(1)</script> here.';
    job.items[1].topic = 'no-such-topic';
    const [jobId] = await enqueue(job);
    expect(await settled([jobId])).toEqual(['failed']);
    const failed = (await queue.getJob(jobId))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toContain('draft.items.0.body');
    expect(failed.failedReason).toContain('draft.items.1.topic');
    expect(await draftsWithKey(sourceKey)).toEqual([]);
  });

  it('refuses a sourceKey that names no service', async () => {
    const [jobId] = await enqueue(outcome('no service here'));
    expect(await settled([jobId])).toEqual(['failed']);
    expect((await queue.getJob(jobId))!.failedReason).toContain('draft.sourceKey');
  });
});
