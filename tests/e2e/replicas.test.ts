/**
 * Issue 17, "More than one of everything": two full sets of the product's processes (every
 * subgraph, the gateway and the jobs worker, each set from its own launcher on ports of its own)
 * started at the same moment on one fresh database, one Redis, one queue prefix, one token secret
 * and one mail relay, as two replicas of every Deployment would run (README, "More than one of
 * everything"). Requests are split between the two gateways. One pair of sets serves every test in
 * the file (16 processes on a small machine).
 *
 * Real services only: on the embedded default each launcher starts an embedded Postgres of its own
 * and the queue lives in it, so two sets would share nothing; the title says so when skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobType, Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig, SUBGRAPHS } from '@sendco/config';
import { createQueue, outboxMigrations, QUEUE_NAMES, type QueueName } from '@sendco/queue';
import { BULLETIN_TOKEN_SECRET, createTopics, importSubscribers, sendBulletinNow, waitForDelivery } from '../support/bulletin';
import { codes, contractOperation, REPO_ROOT, startTestStack, type GraphQLResponse, type ReplicaSet, type TestStack } from '../support/stack';
import { at, DAY, HOUR } from '../support/training';

const realServices = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const describeReal = realServices ? describe : describe.skip;
const TITLE = realServices
  ? 'two of every process on one Postgres and one Redis'
  : 'two of every process (skipped on the embedded defaults: needs DATABASE_URL and REDIS_URL, the servers two sets can share)';

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const EVENT_REGISTER = contractOperation('training.graphql', 'EventRegister');
const CANCEL_PLACE = contractOperation('training.graphql', 'CancelPlace');
const CREATE_EVENT = contractOperation('training.graphql', 'CreateEvent');
const PUBLISH_EVENT = contractOperation('training.graphql', 'PublishEvent');

const ANONYMOUS_LIMIT = 30;
const CAPACITY = 20;
const BOOKINGS = 60;
const CANCELLED = 3;
/** The subgraphs whose definitions send jobs, so have an outbox (read from their own definitions: a new one counts the day it merges). */
const SCHEMAS_WITH_OUTBOX = SUBGRAPHS.filter((name) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const definitions = Object.values(require(path.join(REPO_ROOT, 'subgraphs', name, 'dist', `${name}.subgraph`))) as { name?: string; usesQueue?: boolean; dbSchema?: string }[];
  const definition = definitions.find((d) => d?.name === name);
  if (!definition) throw new Error(`no subgraph definition exported by subgraphs/${name}/dist/${name}.subgraph`);
  return definition.usesQueue === true;
});
const DIGEST_SUBJECT = /^SENDCO bulletin: the week to /;

let stack: TestStack;
let replica: ReplicaSet;
let db: Client;
const queues = new Map<QueueName, Queue>();
/** The two gateways' GraphQL clients, for requests split between them. */
let gateways: [TestStack['gql'], TestStack['gql']];

beforeAll(async () => {
  if (!realServices) return;
  stack = await startTestStack('replicas', {
    replica: true,
    env: {
      BULLETIN_TOKEN_SECRET,
      BULLETIN_SEND_RATE: '0',
      // Weekly, so it never fires while the test runs; the test triggers its slot itself.
      BULLETIN_DIGEST_CRON: '0 7 * * 1',
      ANONYMOUS_MUTATIONS_PER_WINDOW: String(ANONYMOUS_LIMIT),
      ANONYMOUS_MUTATIONS_WINDOW_SECONDS: '3600',
      // Each anonymous client is its own address (X-Forwarded-For), as behind the council's proxy.
      TRUST_PROXY_HOPS: '1',
    },
  });
  replica = stack.replica!;
  gateways = [stack.gql, replica.gql];
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
}, 400_000);

afterAll(async () => {
  for (const made of queues.values()) await made.close();
  await db?.end();
  await stack?.stop();
});

/** A client of one of the stack's queues (one per name for the file). */
function queue(name: QueueName): Queue {
  if (!queues.has(name)) queues.set(name, createQueue(loadConfig(stack.env).queue, name));
  return queues.get(name)!;
}

/** The same stack seen through the replica's gateway (for the shared helpers that take a stack). */
const viaReplica = (): TestStack => ({ ...stack, gql: replica.gql });

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await db.query<{ n: string }>(sql, params)).rows[0].n);
}

/**
 * Waits until nothing is on its way: no outbox row waits in any schema, and no email or bulletin
 * delivery job is waiting, active or delayed; then a few seconds more, in which nothing may arrive
 * (a relay of the other set handing a row over again would show up here as a second email).
 */
async function quiescent(): Promise<void> {
  // The bulletin-sending queue always holds the digest schedule's next run, delayed: only its waiting and active jobs count.
  const watched: [Queue, JobType[]][] = [
    [queue(QUEUE_NAMES.email), ['waiting', 'active', 'delayed', 'prioritized']],
    [queue(QUEUE_NAMES.bulletinDelivery), ['waiting', 'active', 'delayed', 'prioritized']],
    [queue(QUEUE_NAMES.bulletinSending), ['waiting', 'active', 'prioritized']],
  ];
  const busy = async () => {
    let pending = 0;
    for (const schema of SCHEMAS_WITH_OUTBOX) pending += await count(`SELECT count(*) AS n FROM "${schema}".outbox WHERE dispatched_at IS NULL AND dead_at IS NULL`);
    for (const [q, states] of watched) {
      const counts = await q.getJobCounts(...states);
      pending += Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return pending;
  };
  const deadline = Date.now() + 120_000;
  while ((await busy()) > 0) {
    if (Date.now() > deadline) throw new Error('the outbox and queues did not empty within 2 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  const received = stack.mailbox.messages.length;
  // More than the outbox poll interval (500 ms) several times over: every relay of both sets has had its turns.
  await new Promise((r) => setTimeout(r, 4000));
  expect(await busy()).toBe(0);
  expect(stack.mailbox.messages.length).toBe(received);
}

describeReal(TITLE, () => {
  it('both sets came up on the fresh database, and every migration of every subgraph ran exactly once', async () => {
    for (const set of [stack.serviceUrls, replica.serviceUrls]) {
      for (const service of ['gateway', 'jobs', ...SUBGRAPHS] as const) {
        expect({ service, ready: (await fetch(`${set[service]}/readyz`)).status }).toEqual({ service, ready: 200 });
      }
    }
    for (const schema of SUBGRAPHS) {
      // The subgraph's own migrations (by their timestamps), and the outbox's for every subgraph with one.
      const files = fs.readdirSync(path.join(REPO_ROOT, 'subgraphs', schema, 'src', 'migrations')).filter((f) => /^\d{13}-.+\.ts$/.test(f) && !f.endsWith('.test.ts'));
      const shared = SCHEMAS_WITH_OUTBOX.includes(schema) ? outboxMigrations(schema).map((m) => /(\d{13})$/.exec(m.name)![1]) : [];
      expect(shared.length === 0 || shared.includes('1765000000000')).toBe(true);
      const expected = [...files.map((f) => f.slice(0, 13)), ...shared].sort();
      const { rows } = await db.query<{ timestamp: string; name: string }>(`SELECT timestamp::text, name FROM "${schema}".migrations ORDER BY timestamp`);
      expect({ schema, migrations: rows.map((r) => r.timestamp).sort() }).toEqual({ schema, migrations: expected });
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    }
  });

  describe('a booking rush split across both gateways', () => {
    const schools = Array.from({ length: BOOKINGS }, (_, i) => ({ urn: String(930000 + i), name: `Replica School ${i}`, phase: i % 2 ? 'PRIMARY' : 'SECONDARY' }));
    const delegate = (i: number) => `delegate${i}@replicas.example.org`;
    const booker = (i: number) => `booker${i}@replicas.example.org`;
    let eventId: string;
    let trainingAdmin: string;
    let register: { id: string; delegateEmail: string; status: string }[];

    beforeAll(async () => {
      if (!realServices) return;
      const upserted = await stack.gql(UPSERT_SCHOOLS, { schools }, await stack.token('ADMIN'));
      expect(upserted.errors).toBeUndefined();
      trainingAdmin = await stack.token('TRAINING_ADMIN', { email: 'training.team@replicas.example.org' });
      const created = await replica.gql(CREATE_EVENT, {
        input: {
          title: 'SEND Live on two of everything',
          category: 'CONFERENCE',
          summary: 'Booked through two gateways at once.',
          startsAt: at(30 * DAY),
          endsAt: at(30 * DAY + 6 * HOUR),
          format: 'IN_PERSON',
          venue: { name: 'County Hall', address: 'New Road, Oxford', postcode: 'OX1 1ND' },
          capacity: CAPACITY,
          cpdHours: 5,
          audience: ['PRIMARY', 'SECONDARY'],
        },
      }, trainingAdmin);
      expect(created.errors).toBeUndefined();
      eventId = created.data.createEvent.id;
      expect((await stack.gql(PUBLISH_EVENT, { id: eventId }, trainingAdmin)).data.publishEvent.status).toBe('PUBLISHED');
    });

    const readRegister = async (gql: TestStack['gql']) => {
      const answer = await gql(EVENT_REGISTER, { id: eventId }, trainingAdmin);
      expect(answer.errors).toBeUndefined();
      return answer.data.event.places as { id: string; delegateEmail: string; status: string }[];
    };

    it(`${BOOKINGS} concurrent bookings on a ${CAPACITY}-place event, alternating gateways: exactly ${CAPACITY} CONFIRMED, then the waiting list first come first served`, async () => {
      const tokens = await Promise.all(schools.map((school, i) => stack.token('SENDCO', { schoolUrn: school.urn, email: booker(i) })));
      const answers: GraphQLResponse[] = await Promise.all(
        schools.map((school, i) =>
          gateways[i % 2](BOOK_EVENT, { input: { eventId, schoolUrn: school.urn, idempotencyKey: `replica-rush-${i}`, delegates: [{ name: `Delegate ${i}`, email: delegate(i) }] } }, tokens[i]),
        ),
      );
      expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
      const statuses = answers.map((a) => a.data.bookEvent.places[0].status);
      expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(CAPACITY);
      expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(BOOKINGS - CAPACITY);

      // The register (through either gateway, the same) in queue order: the confirmed places first, then waiting positions 1..40.
      register = await readRegister(replica.gql);
      expect(await readRegister(stack.gql)).toEqual(register);
      expect(register).toHaveLength(BOOKINGS);
      expect(new Set(register.map((p) => p.id)).size).toBe(BOOKINGS);
      expect(new Set(register.map((p) => p.delegateEmail)).size).toBe(BOOKINGS);
      expect(register.slice(0, CAPACITY).map((p) => p.status)).toEqual(Array(CAPACITY).fill('CONFIRMED'));
      expect(register.slice(CAPACITY).map((p) => p.status)).toEqual(Array(BOOKINGS - CAPACITY).fill('WAITLISTED'));
      // Each booking answered with the status its place has in the register.
      const byEmail = new Map(register.map((p) => [p.delegateEmail, p.status]));
      expect(answers.map((a, i) => byEmail.get(delegate(i)))).toEqual(statuses);
      // Queue order is the order the event's row lock decided them in: no number twice, none confirmed after a waiting one.
      const { rows } = await db.query<{ status: string; seq: string }>(`SELECT status, queue_seq::text AS seq FROM training.place WHERE event_id = $1 ORDER BY queue_seq`, [eventId]);
      expect(new Set(rows.map((r) => r.seq)).size).toBe(BOOKINGS);
      expect(rows.map((r) => r.status)).toEqual(register.map((p) => p.status));

      const listed = await stack.gql(`query($id: ID!) { event(id: $id) { placesLeft waitlistLength } }`, { id: eventId });
      expect(listed.data.event).toEqual({ placesLeft: 0, waitlistLength: BOOKINGS - CAPACITY });
    }, 180_000);

    it('cancellations through the other gateway promote the head of the waiting list, in order', async () => {
      // Confirmed places booked through the first gateway (even indexes), cancelled through the replica's.
      const bookedViaFirst = register.filter((p) => p.status === 'CONFIRMED' && Number(/delegate(\d+)@/.exec(p.delegateEmail)![1]) % 2 === 0).slice(0, CANCELLED);
      expect(bookedViaFirst).toHaveLength(CANCELLED);
      const waiting = register.filter((p) => p.status === 'WAITLISTED');
      for (const place of bookedViaFirst) {
        const cancelled = await replica.gql(CANCEL_PLACE, { id: place.id, reason: 'Replica test' }, trainingAdmin);
        expect(cancelled.errors).toBeUndefined();
        expect(cancelled.data.cancelPlace.status).toBe('CANCELLED');
      }
      const after = await readRegister(stack.gql);
      const status = new Map(after.map((p) => [p.id, p.status]));
      expect(bookedViaFirst.map((p) => status.get(p.id))).toEqual(Array(CANCELLED).fill('CANCELLED'));
      // The first three waiting, and only they, now have places; the rest keep their order.
      expect(waiting.map((p) => status.get(p.id))).toEqual([...Array(CANCELLED).fill('CONFIRMED'), ...Array(waiting.length - CANCELLED).fill('WAITLISTED')]);
      expect(after.filter((p) => p.status === 'WAITLISTED').map((p) => p.id)).toEqual(waiting.slice(CANCELLED).map((p) => p.id));
      expect(after.filter((p) => p.status === 'CONFIRMED')).toHaveLength(CAPACITY);
      register = after;

      // Every email sent exactly once, by either jobs worker: then nothing more arrives.
      await quiescent();
      const cancelledEmails = new Set(bookedViaFirst.map((p) => p.delegateEmail));
      const promotedEmails = new Set(waiting.slice(0, CANCELLED).map((p) => p.delegateEmail));
      const subjects = (address: string) =>
        stack.mailbox.to(address).map((m) =>
          m.calendarMethods.includes('CANCEL') ? 'cancellation' : /^Off the waiting list/.test(m.subject) ? 'promotion' : m.calendarMethods.includes('REQUEST') ? 'confirmation' : /waiting list/i.test(m.subject) ? 'waiting-list notice' : m.subject,
        );
      for (let i = 0; i < BOOKINGS; i += 1) {
        const email = delegate(i);
        const first = waiting.some((p) => p.delegateEmail === email) ? 'waiting-list notice' : 'confirmation';
        const expected = [first, ...(cancelledEmails.has(email) ? ['cancellation'] : []), ...(promotedEmails.has(email) ? ['promotion'] : [])];
        expect({ email, emails: subjects(email).sort() }).toEqual({ email, emails: expected.sort() });
        expect({ booker: booker(i), summaries: stack.mailbox.to(booker(i)).length }).toEqual({ booker: booker(i), summaries: 1 });
      }
    }, 240_000);
  });

  it('the anonymous limit holds across both gateways: one window per client address, counted in Redis', async () => {
    const client = { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.17' };
    const urls = [stack.gatewayUrl, replica.gatewayUrl];
    const attempts = ANONYMOUS_LIMIT + 10;
    const answers = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        fetch(urls[i % 2], { method: 'POST', headers: client, body: JSON.stringify({ query: `mutation { subscribe(input: {email: "anonymous${i}@replicas.example.org"}) { ok } }` }) }).then(async (r) => ({ i, status: r.status, body: (await r.json()) as GraphQLResponse })),
      ),
    );
    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(accepted).toHaveLength(ANONYMOUS_LIMIT);
    expect(refused).toHaveLength(attempts - ANONYMOUS_LIMIT);
    for (const a of accepted) expect(a.body.errors).toBeUndefined();
    for (const a of refused) expect(codes(a.body)).toEqual(['RATE_LIMITED']);
    // Both gateways took part in the accepted ones; and the window is spent at each of them.
    expect(new Set(accepted.map((a) => a.i % 2)).size).toBe(2);
    for (const url of urls) {
      const more = await fetch(url, { method: 'POST', headers: client, body: JSON.stringify({ query: `mutation { subscribe(input: {email: "anonymous.more@replicas.example.org"}) { ok } }` }) });
      expect({ url, status: more.status }).toEqual({ url, status: 429 });
    }
    // The refused sign-ups wrote nothing; each accepted one is one subscriber and, once everything is quiet, one confirmation email.
    expect(await count(`SELECT count(*) AS n FROM bulletin.subscriber WHERE email LIKE 'anonymous%@replicas.example.org'`)).toBe(ANONYMOUS_LIMIT);
    await quiescent();
    for (const a of accepted) expect({ i: a.i, emails: stack.mailbox.to(`anonymous${a.i}@replicas.example.org`).length }).toEqual({ i: a.i, emails: 1 });
    for (const a of refused) expect({ i: a.i, emails: stack.mailbox.to(`anonymous${a.i}@replicas.example.org`).length }).toEqual({ i: a.i, emails: 0 });
  }, 180_000);

  it('the weekly digest goes out once for its slot when both bulletin processes are triggered for it', async () => {
    const editor = await stack.token('BULLETIN_EDITOR', { email: 'editor@replicas.example.org' });
    await createTopics(stack, editor);
    // Both bulletin processes registered the digest's schedule at start: it is one scheduler.
    const sending = queue(QUEUE_NAMES.bulletinSending);
    expect(await sending.getJobSchedulersCount()).toBe(1);

    const readers = ['digest.ep@replicas.example.org', 'digest.live@replicas.example.org'];
    const csv = [
      'email,topics,frequency,opted_in_at',
      `${readers[0]},enhanced-pathways,WEEKLY_DIGEST,2025-09-01`,
      `${readers[1]},send-live,WEEKLY_DIGEST,2025-09-01`,
    ].join('\n');
    const imported = await replica.gql(`mutation($csv: String!) { importSubscribers(csv: $csv, source: "replicas e2e") { imported } }`, { csv }, editor);
    expect(imported.errors).toBeUndefined();
    await importSubscribers(viaReplica(), editor, ['each.bulletin@replicas.example.org'], ['enhanced-pathways'], 'replicas each');

    const week = await sendBulletinNow(stack, editor, {
      title: 'Two of everything',
      intro: 'News for both lists.',
      items: [
        { heading: 'Pathway panels', body: 'Panels meet monthly.', topic: 'enhanced-pathways' },
        { heading: 'Keynote announced', body: 'SEND Live opens with SEMH.', topic: 'send-live' },
      ],
    });
    await waitForDelivery(viaReplica(), editor, week, (d) => d.status === 'SENT');

    const triggers = ['replica-slot-1', 'replica-slot-2', 'replica-slot-3', 'replica-slot-4'];
    await Promise.all(triggers.map((jobId) => sending.add('weekly-digest', {}, { jobId })));
    const outcomes: string[] = [];
    for (const id of triggers) {
      for (let i = 0; ; i += 1) {
        const job = await sending.getJob(id);
        const state = job ? await job.getState() : 'missing';
        if (state === 'completed') {
          outcomes.push((job!.returnvalue as { outcome: string }).outcome);
          break;
        }
        if (state === 'failed') throw new Error(`${id} failed: ${job!.failedReason}`);
        if (i > 600) throw new Error(`${id} did not finish`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(outcomes.sort()).toEqual(['already-run', 'already-run', 'already-run', 'scheduled']);
    expect(await count(`SELECT count(*) AS n FROM bulletin.digest_run`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM bulletin.bulletin WHERE kind = 'DIGEST'`)).toBe(2);

    await quiescent();
    expect(await count(`SELECT count(*) AS n FROM bulletin.bulletin WHERE kind = 'DIGEST' AND status <> 'SENT'`)).toBe(0);
    for (const reader of readers) {
      const mail = stack.mailbox.to(reader);
      expect({ reader, digests: mail.filter((m) => DIGEST_SUBJECT.test(m.subject)).length, all: mail.length }).toEqual({ reader, digests: 1, all: 1 });
    }
    const each = stack.mailbox.to('each.bulletin@replicas.example.org');
    expect(each.map((m) => m.subject)).toEqual(['Two of everything']);
  }, 240_000);

  it('every outbox row was handed to its queue once, and every email job ran once', async () => {
    await quiescent();
    for (const schema of SCHEMAS_WITH_OUTBOX) {
      const { rows } = await db.query<{ total: number; undispatched: number; repeated: number }>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE dispatched_at IS NULL)::int AS undispatched, count(*) FILTER (WHERE attempts <> 1)::int AS repeated FROM "${schema}".outbox`,
      );
      expect({ schema, undispatched: rows[0].undispatched, repeated: rows[0].repeated }).toEqual({ schema, undispatched: 0, repeated: 0 });
    }
    // Every email row is one completed job of the email queue, and the queue holds nothing else.
    const email = queue(QUEUE_NAMES.email);
    let emailRows = 0;
    for (const schema of SCHEMAS_WITH_OUTBOX) emailRows += await count(`SELECT count(*) AS n FROM "${schema}".outbox WHERE queue = $1`, [QUEUE_NAMES.email]);
    const counts = await email.getJobCounts('completed', 'failed');
    expect(counts).toEqual({ completed: emailRows, failed: 0 });
  }, 120_000);
});
