/**
 * The database under pressure, through the gateway (issue 15, "nothing lost, nothing stuck"):
 * a lock held longer than DB_LOCK_TIMEOUT_MS answers a retryable CONFLICT that changed nothing
 * (not INTERNAL_SERVER_ERROR, not a request hanging for ever); one idempotency key used on two
 * events at the same moment answers CONFLICT (a unique violation, mapped once in
 * packages/errors); the same key with another request answers CONFLICT naming the key; and
 * replicas migrating one fresh database at once apply each migration once.
 */
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@sendco/config';
import { codes, contractOperation, REPO_ROOT, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { schoolAndOnlineEvent } from '../support/training';

const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const URN = '930001';
const LOCK_TIMEOUT_MS = 2000;

let stack: TestStack;
let db: Client;
let sendco: string;
let eventA: string;
let eventB: string;

beforeAll(async () => {
  stack = await startTestStack('db_robustness', { env: { DB_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) } });
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  sendco = await stack.token('SENDCO', { schoolUrn: URN, email: 'sendco.930001@example.org' });
  eventA = (await schoolAndOnlineEvent(stack, { urn: URN, name: 'Robust Primary', phase: 'PRIMARY' }, { title: 'Event A', category: 'PREPARATION_FOR_ADULTHOOD', capacity: 20, daysAhead: 20 })).id;
  // The school again (an upsert) and a second event.
  eventB = (await schoolAndOnlineEvent(stack, { urn: URN, name: 'Robust Primary', phase: 'PRIMARY' }, { title: 'Event B', category: 'PREPARATION_FOR_ADULTHOOD', capacity: 20, daysAhead: 21 })).id;
}, 240_000);

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

const delegate = (n: number) => ({ name: `Delegate ${n}`, email: `delegate.${n}@example.org`, jobTitle: 'Teacher' });
const book = (eventId: string, idempotencyKey: string, delegates: ReturnType<typeof delegate>[]): Promise<GraphQLResponse> =>
  stack.gql(BOOK_EVENT, { input: { eventId, schoolUrn: URN, idempotencyKey, delegates } }, sendco);
const bookingsWithKey = async (key: string) => Number((await db.query(`SELECT count(*) FROM training.booking WHERE idempotency_key = $1`, [key])).rows[0].count);

/** Polls until `n` of the training subgraph's connections wait for a lock (so the test knows they are queued behind it). */
async function trainingConnectionsWaitingForALock(n: number): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sendco-training' AND wait_event_type = 'Lock'`,
    );
    if (rows[0].waiting >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${n} training connections ever waited for a lock`);
}

describe('a lock held too long', () => {
  it('answers a retryable CONFLICT saying nothing was changed, writes nothing, and the same request sent again books once', async () => {
    const holder = new Client({ connectionString: stack.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM training.event WHERE id = $1 FOR UPDATE`, [eventA]);
      // Without a lock timeout the booking would wait for this lock for ever: let it go after 30 s at the latest.
      const letGo = setTimeout(() => void holder.query('ROLLBACK').catch(() => undefined), 30_000);
      const answer = await book(eventA, 'busy-key-0001', [delegate(1)]);
      clearTimeout(letGo);
      await holder.query('ROLLBACK');

      expect(answer.data?.bookEvent ?? null).toBeNull();
      expect(codes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors![0].extensions!.retryable).toBe(true);
      expect(answer.errors![0].message).toMatch(/busy and nothing was changed; send it again/);
      expect(JSON.stringify(answer)).not.toMatch(/lock timeout|canceling|SELECT|training\./);
      expect(await bookingsWithKey('busy-key-0001')).toBe(0);
      expect(Number((await db.query(`SELECT count(*) FROM training.place WHERE delegate_email = 'delegate.1@example.org'`)).rows[0].count)).toBe(0);

      const again = await book(eventA, 'busy-key-0001', [delegate(1)]);
      expect(codes(again)).toEqual([]);
      expect(again.data.bookEvent.places.map((p: { status: string }) => p.status)).toEqual(['CONFIRMED']);
      expect(await bookingsWithKey('busy-key-0001')).toBe(1);
    } finally {
      await holder.end();
    }
  }, 90_000);
});

describe('one idempotency key', () => {
  it('used on two events at the same moment: one booking, the other a CONFLICT naming the key (a unique violation, not INTERNAL_SERVER_ERROR)', async () => {
    const key = 'same-moment-0001';
    // Both bookings read "no booking with this key yet" and then queue behind this uncommitted
    // row's key; rolled back, they race for the key itself: exactly one can have it.
    const holder = new Client({ connectionString: stack.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO training.booking (id, reference, event_id, school_urn, idempotency_key, booked_by) VALUES (gen_random_uuid(), 'TRN-HOLDER01', $1, $2, $3, 'e2e')`,
        [eventA, URN, key],
      );
      const answers = Promise.all([book(eventA, key, [delegate(2)]), book(eventB, key, [delegate(3)])]);
      await trainingConnectionsWaitingForALock(2);
      await holder.query('ROLLBACK');
      const [first, second] = await answers;
      const booked = [first, second].filter((a) => a.data?.bookEvent);
      const refused = [first, second].filter((a) => !a.data?.bookEvent);
      expect(booked).toHaveLength(1);
      expect(refused.map(codes)).toEqual([['CONFLICT']]);
      expect(refused[0].errors![0].message).toMatch(/idempotencyKey/);
      expect(JSON.stringify(refused[0])).not.toMatch(/same-moment-0001|booking_idempotency_key|duplicate key/);
      expect(await bookingsWithKey(key)).toBe(1);
    } finally {
      await holder.end();
    }
  }, 90_000);

  it('sent again with the same request returns the first booking; with other delegates it is a CONFLICT naming the key, and nothing is booked', async () => {
    const key = 'different-payload-01';
    const first = await book(eventB, key, [delegate(4)]);
    expect(codes(first)).toEqual([]);
    const same = await book(eventB, key, [{ ...delegate(4), email: 'Delegate.4@Example.org' }]);
    expect(codes(same)).toEqual([]);
    expect(same.data.bookEvent.id).toBe(first.data.bookEvent.id);

    const different = await book(eventB, key, [delegate(5)]);
    expect(codes(different)).toEqual(['CONFLICT']);
    expect(different.data?.bookEvent ?? null).toBeNull();
    expect(different.errors![0].message).toMatch(/idempotencyKey was already used for a different booking/);
    expect(different.errors![0].extensions!.fields).toEqual(['idempotencyKey']);
    const extra = await book(eventB, key, [delegate(4), delegate(6)]);
    expect(codes(extra)).toEqual(['CONFLICT']);
    expect(await bookingsWithKey(key)).toBe(1);
    expect(Number((await db.query(`SELECT count(*) FROM training.place WHERE delegate_email IN ('delegate.5@example.org', 'delegate.6@example.org')`)).rows[0].count)).toBe(0);
  }, 60_000);
});

describe('migrations', () => {
  it('run by several replicas at once on a fresh database: every one succeeds and each migration is applied once', async () => {
    const name = `race_${Date.now()}_${process.pid}`;
    await db.query(`CREATE DATABASE "${name}"`);
    const url = new URL(stack.databaseUrl);
    url.pathname = `/${name}`;
    const config = loadConfig({ ...stack.env, DATABASE_URL: url.toString() });
    // The subgraphs' own definitions and data sources, as each replica's start builds them.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { subgraphDataSource } = require('@sendco/federation');
    const { initializeDataSource } = require('@sendco/database');
    const definitions = [
      require(path.join(REPO_ROOT, 'subgraphs/training/dist/training.subgraph')).trainingSubgraph,
      require(path.join(REPO_ROOT, 'subgraphs/bulletin/dist/bulletin.subgraph')).bulletinSubgraph,
    ];
    /* eslint-enable @typescript-eslint/no-require-imports */
    const replicas = definitions.flatMap((definition) => Array.from({ length: 4 }, () => ({ definition, dataSource: subgraphDataSource(definition, config) })));
    try {
      const results = await Promise.allSettled(replicas.map(({ dataSource }) => initializeDataSource(dataSource)));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
      expect(failures).toEqual([]);
      const check = new Client({ connectionString: url.toString() });
      await check.connect();
      try {
        for (const definition of definitions) {
          const { rows } = await check.query(`SELECT name, count(*)::int AS times FROM "${definition.dbSchema}".migrations GROUP BY name ORDER BY name`);
          // Every migration the data source runs (its own, and the shared outbox's), each exactly once.
          const migrations = replicas.find((r) => r.definition === definition)!.dataSource.migrations as { name?: string }[];
          expect(migrations.length).toBeGreaterThan(definition.migrations.length);
          expect(rows).toEqual(migrations.map((m) => ({ name: m.name ?? m.constructor.name, times: 1 })).sort((a, b) => a.name.localeCompare(b.name)));
        }
      } finally {
        await check.end();
      }
    } finally {
      await Promise.all(replicas.map(({ dataSource }) => (dataSource.isInitialized ? dataSource.destroy() : undefined)));
      await db.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }, 120_000);
});
