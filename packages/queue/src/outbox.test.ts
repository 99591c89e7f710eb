/**
 * The outbox relay against a real Postgres (DATABASE_URL, a database of this file's own): a
 * failing queue or row holds back no other, rows out of attempts are set aside as dead, and
 * relayed rows are deleted after the retention period. The queues are stand-ins with BullMQ's
 * `addBulk`, so a queue can be made to refuse; the relay's SQL is the real one.
 */
import { DataSource } from 'typeorm';
import type { Queue } from 'bullmq';
import { createScratchDatabase } from '@sendco/database';
import type { Logger } from '@sendco/logger';
import { OutboxMessage, OutboxRelay, outboxDeadLetterSql, outboxTableSql, readOutboxBacklog } from './outbox';
import { outboxTraceContextSql } from './job-tracing';

const baseUrl = process.env.DATABASE_URL;
const describeWithPostgres = baseUrl ? describe : describe.skip;
const SCHEMA = 'outbox_test';

type AddedJob = { name: string; data: { n: number; poison?: boolean }; opts: { jobId: string } };

/** A queue stand-in: records what it is given, or refuses as told. */
function fakeQueue(refuse: (jobs: AddedJob[]) => boolean = () => false) {
  const added: AddedJob[] = [];
  return {
    added,
    addBulk: async (jobs: AddedJob[]) => {
      if (refuse(jobs)) throw new Error('refused by the queue');
      added.push(...jobs);
      return jobs;
    },
  };
}

function recordingLogger() {
  const errors: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: (fields: Record<string, unknown>, message: string) => errors.push({ fields, message }) };
  return { logger: logger as unknown as Logger, errors };
}

describeWithPostgres('the outbox relay (real Postgres)', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createScratchDatabase(baseUrl!, `sendco_outbox_test_${process.pid}`);
    drop = database.drop;
    dataSource = new DataSource({ type: 'postgres', url: database.url, schema: SCHEMA, entities: [OutboxMessage] });
    await dataSource.initialize();
    // The table as the subgraphs' migrations make it: created, then upgraded by the outbox's own migration.
    await dataSource.query(`CREATE SCHEMA "${SCHEMA}"`);
    await dataSource.query(outboxTableSql(SCHEMA));
    await dataSource.query(outboxDeadLetterSql(SCHEMA));
    await dataSource.query(outboxTraceContextSql(SCHEMA));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  beforeEach(() => dataSource.query(`TRUNCATE "${SCHEMA}"."outbox"`));

  /**
   * Rows for `queue`, created_at ordering them as given, a microsecond apart inside one millisecond
   * (as a rush writes them), and written to the table newest first, so neither the table's physical
   * order nor a millisecond clock can stand in for created_at (CI once saw two swapped).
   */
  let clockMs = Date.UTC(2026, 0, 1);
  async function insertRows(queue: string, count: number, data: (i: number) => object = (n) => ({ n })): Promise<string[]> {
    const base = new Date((clockMs += 1000)).toISOString();
    const ids: string[] = [];
    for (let i = count - 1; i >= 0; i--) {
      const [row] = await dataSource.query(
        `INSERT INTO "${SCHEMA}"."outbox" (queue, job_name, payload, created_at) VALUES ($1, 'job', $2, $3::timestamptz + $4::int * interval '1 microsecond') RETURNING id`,
        [queue, JSON.stringify(data(i)), base, i % 1000],
      );
      ids[i] = row.id;
    }
    return ids;
  }

  const rows = () => dataSource.getRepository(OutboxMessage).find({ order: { createdAt: 'ASC' } });

  async function pass(relay: OutboxRelay): Promise<void> {
    relay.kick();
    await relay.idle();
  }

  it('relays the other queues while one queue refuses everything, even with a full batch of its rows in front', async () => {
    const failing = fakeQueue(() => true);
    const working = fakeQueue();
    await insertRows('email', 150);
    const later = await insertRows('training-reminders', 5);
    const { logger } = recordingLogger();
    const relay = new OutboxRelay({ dataSource, logger, pollMs: 100, batchSize: 100, queues: { email: failing as unknown as Queue, 'training-reminders': working as unknown as Queue } });
    await pass(relay);
    // The refused rows wait their turn again; the first pass reached the rest of the table.
    await dataSource.query(`UPDATE "${SCHEMA}"."outbox" SET next_attempt_at = now() WHERE dispatched_at IS NULL`);
    await pass(relay);
    expect(working.added.map((job) => job.opts.jobId).sort()).toEqual([...later].sort());
    const all = await rows();
    expect(all.filter((row) => row.queue === 'training-reminders').every((row) => row.dispatchedAt !== null)).toBe(true);
    const refused = all.filter((row) => row.queue === 'email');
    expect(refused.every((row) => row.dispatchedAt === null && row.attempts >= 1 && row.lastError === 'refused by the queue')).toBe(true);
    expect(refused.every((row) => row.nextAttemptAt !== null)).toBe(true);
  });

  it("hands a row's trace context to its job (BullMQ's opts.telemetry.metadata), and a row without one no option", async () => {
    const queue = fakeQueue();
    const [traced, plain] = await insertRows('email', 2);
    const carrier = '{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}';
    await dataSource.query(`UPDATE "${SCHEMA}"."outbox" SET trace_context = $1 WHERE id = $2`, [carrier, traced]);
    const { logger } = recordingLogger();
    await pass(new OutboxRelay({ dataSource, logger, pollMs: 100, queues: { email: queue as unknown as Queue } }));
    const opts = Object.fromEntries(queue.added.map((job) => [job.opts.jobId, job.opts as { telemetry?: unknown }]));
    expect(opts[traced].telemetry).toEqual({ metadata: carrier });
    expect(opts[plain]).not.toHaveProperty('telemetry');
  });

  it('relays the other rows of a queue that refuses one of them', async () => {
    const queue = fakeQueue((jobs) => jobs.some((job) => job.data.poison));
    const ids = await insertRows('email', 3, (i) => ({ n: i, poison: i === 1 }));
    const { logger } = recordingLogger();
    const relay = new OutboxRelay({ dataSource, logger, pollMs: 100, queues: { email: queue as unknown as Queue } });
    await pass(relay);
    expect(queue.added.map((job) => job.opts.jobId)).toEqual([ids[0], ids[2]]);
    const poison = (await rows()).find((row) => row.id === ids[1])!;
    expect(poison).toMatchObject({ dispatchedAt: null, attempts: 1, deadAt: null });
    expect(poison.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
  });

  it('sets a row aside as dead after its last attempt, logs it and counts it, and never tries it again', async () => {
    const queue = fakeQueue((jobs) => jobs.some((job) => job.data.poison));
    const [poisonId] = await insertRows('email', 1, () => ({ n: 0, poison: true }));
    const { logger, errors } = recordingLogger();
    const relay = new OutboxRelay({ dataSource, logger, pollMs: 100, maxAttempts: 3, queues: { email: queue as unknown as Queue } });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await rows())[0].deadAt).toBeNull();
      await pass(relay);
      await dataSource.query(`UPDATE "${SCHEMA}"."outbox" SET next_attempt_at = now() WHERE dead_at IS NULL`); // its wait is over
    }
    const [dead] = await rows();
    expect(dead).toMatchObject({ id: poisonId, attempts: 3, dispatchedAt: null });
    expect(dead.deadAt).toBeInstanceOf(Date);
    expect(errors).toEqual([expect.objectContaining({ fields: expect.objectContaining({ outboxIds: [poisonId], queue: 'email' }) })]);
    // Left out of the backlog, counted as dead; a healthy row behind it still goes.
    const [fine] = await insertRows('email', 1);
    await pass(relay);
    expect(queue.added.map((job) => job.opts.jobId)).toEqual([fine]);
    expect((await rows())[0].attempts).toBe(3);
    expect(await readOutboxBacklog(dataSource)).toMatchObject({ pending: 0, dead: 1 });
  });

  it('waits longer after each failed hand-over, doubling from the poll interval', async () => {
    const queue = fakeQueue(() => true);
    await insertRows('email', 1);
    const { logger } = recordingLogger();
    const relay = new OutboxRelay({ dataSource, logger, pollMs: 60_000, queues: { email: queue as unknown as Queue } });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await pass(relay);
      const [{ wait }] = await dataSource.query(`SELECT extract(epoch FROM next_attempt_at - now())::float8 AS wait FROM "${SCHEMA}"."outbox"`);
      waits.push(Math.round(wait / 60));
      await dataSource.query(`UPDATE "${SCHEMA}"."outbox" SET next_attempt_at = now()`);
    }
    // 1, 2, 4 minutes, then the 5-minute cap.
    expect(waits).toEqual([1, 2, 4, 5]);
    // A row still waiting is not tried again.
    await pass(relay);
    await pass(relay);
    expect((await rows())[0].attempts).toBe(5);
  });

  it('deletes rows relayed (or set aside dead) longer ago than the retention period, and nothing else', async () => {
    const [oldSent, recentSent, oldDead, recentDead, oldPending] = await insertRows('email', 5);
    const set = (id: string, sql: string) => dataSource.query(`UPDATE "${SCHEMA}"."outbox" SET ${sql} WHERE id = $1`, [id]);
    await set(oldSent, `dispatched_at = now() - interval '8 days'`);
    await set(recentSent, `dispatched_at = now() - interval '6 days'`);
    await set(oldDead, `dead_at = now() - interval '8 days'`);
    await set(recentDead, `dead_at = now() - interval '1 day'`);
    await set(oldPending, `created_at = now() - interval '30 days'`);
    const { logger } = recordingLogger();
    const relay = new OutboxRelay({ dataSource, logger, pollMs: 100, retentionMs: 7 * 24 * 3600_000, queues: {} });
    expect(await relay.cleanup()).toBe(2);
    expect((await rows()).map((row) => row.id).sort()).toEqual([recentSent, recentDead, oldPending].sort());
  });

  it('deletes in batches until none is left', async () => {
    await dataSource.query(`INSERT INTO "${SCHEMA}"."outbox" (queue, job_name, payload, dispatched_at) SELECT 'email', 'job', '{}', now() - interval '10 days' FROM generate_series(1, 2500)`);
    const { logger } = recordingLogger();
    const relay = new OutboxRelay({ dataSource, logger, pollMs: 100, retentionMs: 7 * 24 * 3600_000, queues: {} });
    expect(await relay.cleanup()).toBe(2500);
    expect(await rows()).toEqual([]);
  });
  describe('two relays on one outbox (two replicas of a subgraph)', () => {
    /** A queue whose first addBulk waits until released, saying when it was reached; later calls go straight through. */
    function heldQueue() {
      const queue = fakeQueue();
      let release!: () => void;
      let reached!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const reachedFirst = new Promise<void>((resolve) => (reached = resolve));
      let first = true;
      const addBulk = queue.addBulk;
      queue.addBulk = async (jobs: AddedJob[]) => {
        if (first) {
          first = false;
          reached();
          await released;
        }
        return addBulk(jobs);
      };
      return { queue, release, reachedFirst };
    }

    it('hands each row over once: rows one relay is handing over are not read by the other', async () => {
      const ids = await insertRows('email', 5);
      const { queue, release, reachedFirst } = heldQueue();
      const { logger } = recordingLogger();
      const options = { dataSource, logger, pollMs: 100, queues: { email: queue as unknown as Queue } };
      const [first, second] = [new OutboxRelay(options), new OutboxRelay(options)];
      first.kick();
      await reachedFirst; // the first relay has read the rows and is handing them to the queue
      await pass(second); // meanwhile the other replica's relay makes a whole pass
      release();
      await first.idle();
      await pass(second);
      expect(queue.added.map((job) => job.opts.jobId).sort()).toEqual([...ids].sort());
      expect((await rows()).map((row) => ({ dispatched: row.dispatchedAt !== null, attempts: row.attempts }))).toEqual(ids.map(() => ({ dispatched: true, attempts: 1 })));
    });

    it("takes over a relay's rows when it died while handing them over, once their claim has run out", async () => {
      const ids = await insertRows('email', 3);
      const { queue, release, reachedFirst } = heldQueue();
      const { logger } = recordingLogger();
      const dead = new OutboxRelay({ dataSource, logger, pollMs: 100, queues: { email: queue as unknown as Queue } });
      dead.kick();
      await reachedFirst; // and never released: this relay's process is gone
      const other = fakeQueue();
      const survivor = new OutboxRelay({ dataSource, logger, pollMs: 100, queues: { email: other as unknown as Queue } });
      await pass(survivor);
      expect(other.added).toEqual([]); // still claimed
      await dataSource.query(`UPDATE "${SCHEMA}"."outbox" SET next_attempt_at = now() - interval '1 second' WHERE dispatched_at IS NULL`); // the claim ran out
      await pass(survivor);
      expect(other.added.map((job) => job.opts.jobId).sort()).toEqual([...ids].sort());
      // Should the stalled hand-over finish after all, the rows stay relayed once.
      release();
      await dead.idle();
      expect((await rows()).map((row) => ({ dispatched: row.dispatchedAt !== null, attempts: row.attempts }))).toEqual(ids.map(() => ({ dispatched: true, attempts: 1 })));
    });
  });
});
