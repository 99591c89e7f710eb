/**
 * Exactly one outcome email per application under the faults the bulletin survives (issue 16): a
 * round with 40 applicant schools, decided, then published while (1) Redis is cut (a TCP proxy
 * between the services and Redis; real services only) at the moment of the publish commit, (2) the
 * mail relay refuses every email with a temporary 451 for a while, and (3) the jobs process is
 * SIGKILLed in the middle of sending and started again by the launcher (RESTART_ON_EXIT). In the
 * end each school's contact has exactly one outcome email with its own decision and reason (text
 * and HTML), and publishing again sends nothing.
 *
 * Where the faults strike, and why: SMTP itself (RFC 1047) leaves a window no sender can close, a
 * message the relay has acknowledged ("250 OK") whose acknowledgement the sender has not yet
 * recorded when it dies; that message may be sent again. So, as in bulletin-delivery.test.ts, the
 * faults are struck outside that window: Redis is cut before any email is queued (no email job
 * exists yet, only the committed outbox rows) and back before the relay takes mail; the relay's
 * refusals happen at RCPT TO, before anything is accepted; and before the kill the mailbox stops
 * acknowledging, the test waits until every email it has acknowledged is recorded as sent (the
 * job completed in the email queue), and only then kills the worker. The emails in flight then are
 * unacknowledged and, as SMTP defines it, undelivered (the mailbox drops them): the product must
 * send each of them again, once, and none of the others again.
 */
import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig } from '@sendco/config';
import { createQueue, QUEUE_NAMES } from '@sendco/queue';
import { createTopics } from '../support/bulletin';
import { metricValue, scrape } from '../support/metrics';
import { contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';

const op = (name: string) => contractOperation('pathways.graphql', name);
const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');

const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const dayIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

const SCHOOL_COUNT = 40;
const FUNDED = 10;
const SCHOOLS = Array.from({ length: SCHOOL_COUNT }, (_, i) => ({ urn: String(940001 + i), name: `Outcome School ${String(i + 1).padStart(2, '0')}`, phase: 'PRIMARY', ehcpCount: 8 }));
const contact = (urn: string) => `sendco@${urn}.example.org`;
/** The first 10 approved, the next 5 on the reserve list, the rest declined; each with a reason of its own. */
const decisionFor = (i: number) => (i < FUNDED ? 'APPROVED' : i < FUNDED + 5 ? 'RESERVE' : 'DECLINED');
const reasonFor = (urn: string) => `The board's reason for URN ${urn}: weighed against the criteria.`;
const SUBJECTS: Record<string, RegExp> = { APPROVED: /your application is approved/, RESERVE: /your application is on the reserve list/, DECLINED: /your application was not approved/ };
const ROUND_TITLE = 'Enhanced Pathways fault round';

const redisUrl = process.env.REDIS_URL;

let stack: TestStack;
let redis: TcpProxy | undefined;
let emailQueue: Queue;
let chair: string;
let roundId: string;
const tokens = new Map<string, string>();

function ok<T = any>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The email queue's jobs by state, read from the queue itself (Redis directly, not through the proxy; or the embedded Postgres). */
const emailJobs = () => emailQueue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');

const outcomeMails = (urn: string) => stack.mailbox.to(contact(urn)).filter((m) => m.subject.startsWith('Enhanced Pathways:'));

async function outboxRows(): Promise<Record<string, number>> {
  const client = new Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ queue: string; n: number }>('SELECT queue, count(*)::int AS n FROM pathways.outbox GROUP BY queue');
    return Object.fromEntries(rows.map((r) => [r.queue, r.n]));
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (redisUrl) redis = await TcpProxy.inFrontOf(redisUrl, 6379);
  stack = await startTestStack('pathways_outcomes', {
    env: {
      RESTART_ON_EXIT: 'jobs',
      // Retries of a refused email every second (the production schedule's waits squeezed, as in mail-outage.test.ts).
      EMAIL_RETRY_MAX_DELAY_SECONDS: '1',
      ...(redis ? { REDIS_URL: redis.through(redisUrl!) } : {}),
    },
  });
  emailQueue = createQueue(loadConfig({ ...stack.env, REDIS_URL: redisUrl }).queue, QUEUE_NAMES.email);
  const admin = await stack.token('ADMIN');
  chair = await stack.token('PATHWAYS_ADMIN', { email: 'chair@council.example.org' });
  for (const s of SCHOOLS) tokens.set(s.urn, await stack.token('SENDCO', { schoolUrn: s.urn, email: contact(s.urn), name: `SENDCO ${s.urn}` }));
  await createTopics(stack, await stack.token('BULLETIN_EDITOR'));
  ok(await stack.gql(UPSERT_SCHOOLS, { schools: SCHOOLS }, admin));

  roundId = ok(
    await stack.gql(
      op('CreateFundingRound'),
      {
        input: {
          title: ROUND_TITLE,
          description: 'Forty schools apply; ten pathways are funded.',
          pathwaysFunded: FUNDED,
          opensAt: inDays(-1),
          closesAt: inDays(3),
          boardDates: [dayIn(6)],
          criteria: [{ key: 'need', label: 'Evidence of need', weight: 1, maxScore: 5 }],
          applicationQuestions: [{ key: 'summary', label: 'Summary', required: true, type: 'LONG_TEXT' }],
          cohortQuestions: [{ key: 'yearGroup', label: 'Year group', required: true, type: 'NUMBER', min: 0, max: 14, integer: true }],
          contactEmail: 'pathways@council.example.org',
          nameApprovedSchools: true,
        },
      },
      chair,
    ),
  ).createFundingRound.id;
  ok(await stack.gql(op('OpenFundingRound'), { id: roundId }, chair));

  // Every school applies at once (start, save, submit each); then the chair closes the round and
  // decides every application (decisions need no scores), concurrently too.
  const applicationIds = await Promise.all(
    SCHOOLS.map(async ({ urn }) => {
      const token = tokens.get(urn)!;
      const id = ok(await stack.gql(op('StartPathwayApplication'), { roundId, schoolUrn: urn }, token)).startPathwayApplication.id as string;
      const input = { answers: [{ key: 'summary', value: `A nurture pathway at ${urn}.` }], cohort: [{ pupilRef: 'P0101', answers: [{ key: 'yearGroup', value: '5' }] }] };
      ok(await stack.gql(op('SavePathwayApplication'), { id, input }, token));
      ok(await stack.gql(op('SubmitPathwayApplication'), { id }, token));
      return id;
    }),
  );
  ok(await stack.gql(op('CloseFundingRound'), { id: roundId }, chair));
  await Promise.all(
    applicationIds.map(async (applicationId, i) => {
      ok(await stack.gql(op('DecidePathwayApplication'), { applicationId, outcome: decisionFor(i), reason: reasonFor(SCHOOLS[i].urn) }, chair));
    }),
  );
}, 180_000);

afterAll(async () => {
  await emailQueue?.close();
  await stack?.stop();
  await redis?.stop();
});

it('sends each of 40 applicant schools exactly one outcome email through a Redis cut, a relay outage and a killed worker; publishing again sends nothing', async () => {
  const first = SCHOOLS.slice(0, SCHOOL_COUNT / 2).map((s) => s.urn);
  const second = SCHOOLS.slice(SCHOOL_COUNT / 2).map((s) => s.urn);

  // The relay takes no mail for a while; afterwards it still refuses the second half, so that half
  // is still to be sent when the worker is killed.
  stack.mailbox.deferringAll = true;
  for (const urn of second) stack.mailbox.deferredRecipients.add(contact(urn));

  // (1) Redis is away when the round is published (twice at once): the publication commits with
  // its outbox rows, and nothing reaches the queue until Redis is back.
  redis?.cut();
  const published = await Promise.all([1, 2].map(async () => ok(await stack.gql(op('PublishFundingRound'), { id: roundId }, chair)).publishFundingRound));
  expect(published.map((p) => p.status)).toEqual(['DECIDED', 'DECIDED']);
  expect(published[1].publishedAt).toBe(published[0].publishedAt);
  expect(await outboxRows()).toEqual({ email: SCHOOL_COUNT, 'bulletin-drafts': 1 });
  if (redis) {
    await waitUntil(async () => (metricValue(await scrape(stack.serviceUrls.pathways), 'sendco_outbox_pending_rows') ?? 0) >= SCHOOL_COUNT + 1, 'the outbox rows waiting for Redis', 30_000);
    const counts = await emailJobs();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    redis.restore();
  }

  // (2) Every email is refused (451 at RCPT TO, nothing accepted) three times or more.
  await waitUntil(() => SCHOOLS.every(({ urn }) => (stack.mailbox.deferrals.get(contact(urn)) ?? 0) >= 3), 'three refusals of every outcome email', 60_000);
  expect(stack.mailbox.messages).toHaveLength(0);

  // The relay is back for the first half.
  stack.mailbox.deferringAll = false;
  await waitUntil(() => first.every((urn) => outcomeMails(urn).length >= 1), 'the first half of the outcome emails', 60_000);

  // (3) The mailbox stops acknowledging, then takes the second half's next attempts; once every
  // email it has acknowledged is recorded as sent, the worker is killed mid-send.
  stack.mailbox.holdAcknowledgements();
  stack.mailbox.deferredRecipients.clear();
  await waitUntil(() => stack.mailbox.heldCount > 0, 'an outcome email in flight', 30_000);
  const acknowledged = stack.mailbox.messages.length;
  expect(acknowledged).toBe(first.length);
  await waitUntil(async () => (await emailJobs()).completed === acknowledged, 'every acknowledged email recorded as sent', 30_000);
  const pid = stack.servicePid('jobs');
  expect(pid).toBeDefined();
  process.kill(pid!, 'SIGKILL');
  expect(await stack.mailbox.discardUnacknowledged()).toBeGreaterThan(0); // the kill really interrupted sends
  await waitUntil(() => stack.servicePid('jobs') !== undefined && stack.servicePid('jobs') !== pid, 'the jobs process to be started again', 60_000);

  // Every email sent, and the queue has nothing left to do: exactly one each.
  await waitUntil(async () => {
    const counts = await emailJobs();
    return counts.completed === SCHOOL_COUNT && counts.active + counts.waiting + counts.delayed === 0;
  }, 'every outcome email job completed', 120_000);
  expect((await emailJobs()).failed).toBe(0);
  SCHOOLS.forEach(({ urn, name }, i) => {
    const mails = outcomeMails(urn);
    expect({ urn, emails: mails.length }).toEqual({ urn, emails: 1 });
    const [mail] = mails;
    expect(mail.envelopeTo).toEqual([contact(urn)]);
    expect(mail.subject).toMatch(SUBJECTS[decisionFor(i)]);
    expect(mail.subject).toContain(ROUND_TITLE);
    expect(mail.text).toContain(reasonFor(urn));
    expect(mail.text).toContain(`${name} (URN ${urn})`);
    expect(mail.html).toContain(`URN ${urn}: weighed against the criteria.`);
    expect(mail.html).toContain(name);
  });
  expect(stack.mailbox.messages).toHaveLength(SCHOOL_COUNT);

  // Publishing again finds the round DECIDED: no outbox row, no job, no email.
  const again = ok(await stack.gql(op('PublishFundingRound'), { id: roundId }, chair)).publishFundingRound;
  expect(again.publishedAt).toBe(published[0].publishedAt);
  expect(await outboxRows()).toEqual({ email: SCHOOL_COUNT, 'bulletin-drafts': 1 });
  // Any email on its way would be relayed within a few outbox polls (500 ms here); give it that, then count.
  await sleep(3000);
  const after = await emailJobs();
  expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(SCHOOL_COUNT);
  expect(stack.mailbox.messages).toHaveLength(SCHOOL_COUNT);

  // And the one bulletin draft for the round, made through the same faults.
  const editor = await stack.token('BULLETIN_EDITOR');
  const DRAFTS = `query { bulletinDrafts(first: 50) { edges { node { sourceKey status } } } }`;
  await waitUntil(async () => ok(await stack.gql(DRAFTS, {}, editor)).bulletinDrafts.edges.some((e: { node: { sourceKey: string } }) => e.node.sourceKey === `pathways:round:${roundId}`), 'the bulletin draft', 60_000);
  const drafts = ok(await stack.gql(DRAFTS, {}, editor)).bulletinDrafts.edges.filter((e: { node: { sourceKey: string } }) => e.node.sourceKey === `pathways:round:${roundId}`);
  expect(drafts).toEqual([{ node: { sourceKey: `pathways:round:${roundId}`, status: 'DRAFT' } }]);
}, 300_000);
