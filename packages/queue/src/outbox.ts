/**
 * Transactional outbox. A service that commits something which requires an email records the job
 * in its own schema's `outbox` table inside the same transaction; the relay then enqueues it with
 * the row's id as the BullMQ jobId. So an email is never lost when Redis is down or the process
 * dies right after the commit, and enqueuing the same row twice is harmless.
 *
 * A row its queue refuses waits (doubling from the poll interval up to 5 minutes) without holding
 * back any other row or queue; after `maxAttempts` failed hand-overs it is set aside as dead
 * (`dead_at`, logged, counted in `sendco_outbox_dead_rows`). Relayed rows, whose payloads carry
 * names and addresses, are deleted after the retention period, and dead ones that long after.
 */
import { Column, CreateDateColumn, Entity, In, Index, IsNull, PrimaryGeneratedColumn, type DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { Queue } from 'bullmq';
import { combineWrites, insertRows, twoTripTransaction, writeTogether, type SqlStatement, type TransactionSession } from '@sendco/database';
import type { Logger } from '@sendco/logger';
import type { OutboxJob, QueueName } from './jobs';
import { outsideTrace } from '@sendco/tracing';
import { outboxTraceColumn, outboxTraceMigrations, traceJobOptions } from './job-tracing';

@Entity({ name: 'outbox' })
@Index('outbox_pending_idx', ['createdAt'], { where: 'dispatched_at IS NULL AND dead_at IS NULL' })
@Index('outbox_dispatched_idx', ['dispatchedAt'], { where: 'dispatched_at IS NOT NULL' })
@Index('outbox_dead_idx', ['deadAt'], { where: 'dead_at IS NOT NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  queue!: string;

  @Column({ type: 'text', name: 'job_name' })
  jobName!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  /** When the job is due, in epoch ms (reminders); null = now. */
  @Column({ type: 'bigint', name: 'run_at_ms', nullable: true })
  runAtMs!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'dispatched_at', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError!: string | null;

  /** After a failed hand-over: not tried again before this. */
  @Column({ type: 'timestamptz', name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  /** Set aside after too many failed hand-overs: never relayed again unless an operator clears it. */
  @Column({ type: 'timestamptz', name: 'dead_at', nullable: true })
  deadAt!: Date | null;

  /** The trace the job was recorded in (a JSON propagation carrier), when tracing is on: see job-tracing.ts. */
  @Column({ type: 'text', name: 'trace_context', nullable: true })
  traceContext!: string | null;
}

/** DDL for a subgraph's migration: `await queryRunner.query(outboxTableSql('training'))`. */
export function outboxTableSql(schema: string): string {
  return `
    CREATE TABLE "${schema}"."outbox" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "queue" text NOT NULL,
      "job_name" text NOT NULL,
      "payload" jsonb NOT NULL,
      "run_at_ms" bigint,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "dispatched_at" timestamptz,
      "attempts" int NOT NULL DEFAULT 0,
      "last_error" text
    );
    CREATE INDEX "outbox_pending_idx" ON "${schema}"."outbox" ("created_at") WHERE dispatched_at IS NULL;`;
}

/** DDL that adds the retry, dead-letter and retention columns and indexes to a schema's outbox (every subgraph with one). */
export function outboxDeadLetterSql(schema: string): string {
  return `
    ALTER TABLE "${schema}"."outbox" ADD COLUMN "next_attempt_at" timestamptz, ADD COLUMN "dead_at" timestamptz;
    DROP INDEX "${schema}"."outbox_pending_idx";
    CREATE INDEX "outbox_pending_idx" ON "${schema}"."outbox" ("created_at") WHERE dispatched_at IS NULL AND dead_at IS NULL;
    CREATE INDEX "outbox_dispatched_idx" ON "${schema}"."outbox" ("dispatched_at") WHERE dispatched_at IS NOT NULL;
    CREATE INDEX "outbox_dead_idx" ON "${schema}"."outbox" ("dead_at") WHERE dead_at IS NOT NULL;`;
}

/**
 * The outbox's own migrations after the table's creation, for the subgraph shell to append to the
 * migrations of every subgraph that uses the queue (one piece of code for every schema).
 */
export function outboxMigrations(schema: string): Function[] {
  class OutboxDeadLetters1765000000000 implements MigrationInterface {
    name = 'OutboxDeadLetters1765000000000';
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(outboxDeadLetterSql(schema));
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        DROP INDEX "${schema}"."outbox_dead_idx";
        DROP INDEX "${schema}"."outbox_dispatched_idx";
        DROP INDEX "${schema}"."outbox_pending_idx";
        CREATE INDEX "outbox_pending_idx" ON "${schema}"."outbox" ("created_at") WHERE dispatched_at IS NULL;
        ALTER TABLE "${schema}"."outbox" DROP COLUMN "dead_at", DROP COLUMN "next_attempt_at";`);
    }
  }
  // Then the trace column (job-tracing.ts): every outbox migration comes from this one list.
  return [OutboxDeadLetters1765000000000, ...outboxTraceMigrations(schema)];
}

/** The INSERT of these jobs' outbox rows (one statement, whatever the number of jobs). */
function outboxInsert(manager: EntityManager, jobs: OutboxJob[]): SqlStatement {
  const trace = outboxTraceColumn();
  return insertRows(
    manager,
    OutboxMessage,
    jobs.map((job) => ({ queue: job.queue, jobName: job.name, payload: job.data, runAtMs: 'runAt' in job ? String(job.runAt.getTime()) : null, ...trace })),
  );
}

/** Records jobs inside the caller's transaction. */
export async function recordInOutbox(manager: EntityManager, jobs: OutboxJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await writeTogether(manager, [outboxInsert(manager, jobs)]);
}

/** What a unit of work committed with its jobs hands back. */
export interface WorkWithJobs<T> {
  result: T;
  jobs: OutboxJob[];
  /**
   * Inserts the work leaves to the end of its transaction: they go to Postgres in one statement
   * together with the outbox rows, one round trip for all of them (see writeTogether). A hot
   * path under a row lock uses this to hold the lock for fewer round trips.
   */
  writes?: SqlStatement[];
}

/**
 * Commits a change together with the jobs it requires: runs `work` in one transaction, records
 * the jobs it returns in the outbox inside that transaction, and after the commit asks the relay
 * to send them at once. The one way a service commits work that sends something.
 */
export async function commitWithJobs<T>(
  dataSource: DataSource,
  outbox: Pick<OutboxRelay, 'kick'> | undefined,
  work: (manager: EntityManager) => Promise<WorkWithJobs<T>>,
): Promise<T> {
  const { result, jobs } = await dataSource.transaction(async (manager) => {
    const done = await work(manager);
    await writeTogether(manager, closingWrites(manager, done));
    return done;
  });
  if (jobs.length) outbox?.kick();
  return result;
}

/** What ends a unit of work's transaction: the writes it left to the end, then its outbox rows. */
function closingWrites(manager: EntityManager, done: WorkWithJobs<unknown>): SqlStatement[] {
  return [...(done.writes ?? []), ...(done.jobs.length ? [outboxInsert(manager, done.jobs)] : [])];
}

/**
 * commitWithJobs in two round trips (twoTripTransaction in @sendco/database): `opening` (a row lock
 * and a read) goes with BEGIN, and the work's writes and outbox rows go as one statement with
 * COMMIT. For the booking rush, where every round trip under the lock is one everybody else waits for.
 */
export async function commitWithJobsInTwoTrips<T>(
  dataSource: DataSource,
  outbox: Pick<OutboxRelay, 'kick'> | undefined,
  opening: SqlStatement[],
  work: (rows: Record<string, unknown>[][], session: TransactionSession) => Promise<WorkWithJobs<T>>,
): Promise<T> {
  let jobCount = 0;
  const result = await twoTripTransaction(dataSource, opening, async (rows, session) => {
    const done = await work(rows, session);
    jobCount = done.jobs.length;
    const writes = closingWrites(dataSource.manager, done);
    return { result: done.result, closing: writes.length ? [combineWrites(writes)] : [] };
  });
  if (jobCount) outbox?.kick();
  return result;
}

/** How many rows wait to be handed to their queue, how long the oldest has waited, and how many are dead (for metrics). */
export async function readOutboxBacklog(dataSource: DataSource): Promise<{ pending: number; oldestAgeSeconds: number; dead: number }> {
  const repo = dataSource.getRepository(OutboxMessage);
  const [row, dead] = await Promise.all([
    repo
      .createQueryBuilder('m')
      .select('count(*)::int', 'pending')
      .addSelect('coalesce(extract(epoch from now() - min(m.created_at)), 0)::float8', 'oldest')
      .where('m.dispatched_at IS NULL AND m.dead_at IS NULL')
      .getRawOne<{ pending: number; oldest: number }>(),
    repo.createQueryBuilder('m').where('m.dead_at IS NOT NULL').getCount(),
  ]);
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Number(row?.oldest ?? 0), dead };
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  queues: Partial<Record<QueueName, Queue>>;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  /** How long one enqueue may take before the row is left for the next pass (Redis down). */
  enqueueTimeoutMs?: number;
  /** Failed hand-overs after which a row is dead (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** How long relayed (and dead) rows are kept before they are deleted (OUTBOX_RETENTION_DAYS). */
  retentionMs?: number;
}

/**
 * How long a pass's claim on its rows lasts, in enqueue timeouts (5 s each: 15 s): longer than a
 * hand-over takes, so only a relay that died (or lost the database) mid-pass leaves rows to wait
 * this long. A pass that outlasts it anyway costs a repeated add, which the job id makes harmless.
 */
const CLAIM_IN_ENQUEUE_TIMEOUTS = 3;
/** The longest wait between two hand-overs of a row its queue refused. */
export const OUTBOX_MAX_RETRY_DELAY_MS = 5 * 60_000;
/** How often the relay deletes rows past their retention, and how many per statement. */
const CLEANUP_EVERY_MS = 3600_000;
const CLEANUP_BATCH = 1000;

/** The queue did not answer in time: it is down, so trying its rows one by one would only wait longer. */
class QueueTimeoutError extends Error {
  override name = 'QueueTimeoutError';
}

/**
 * Moves outbox rows to their queues: at once after a commit (`kick()`), and on a timer for anything
 * a crash or an outage left behind. No transaction is held while talking to the queue.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private cleanupTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.cleanupTimer = setInterval(() => void this.cleanupQuietly(), CLEANUP_EVERY_MS);
    this.cleanupTimer.unref();
    void this.cleanupQuietly();
    this.kick();
  }

  /** Ask for a pass soon; passes never overlap within a process. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = outsideTrace(() => this.drain())
      .catch((error) => this.options.logger.warn({ err: error }, 'outbox pass failed; will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no pass is running (for graceful shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    await this.idle();
  }

  /**
   * Deletes rows relayed longer ago than the retention period, and dead rows set aside that long
   * ago, a batch per statement (each a short range of a partial index). Returns how many.
   */
  async cleanup(): Promise<number> {
    const repo = this.options.dataSource.getRepository(OutboxMessage);
    const retentionMs = this.options.retentionMs ?? 7 * 24 * 3600_000;
    let deleted = 0;
    for (const column of ['dispatched_at', 'dead_at']) {
      for (;;) {
        const old = repo
          .createQueryBuilder('o')
          .select('o.id')
          .where(`o.${column} < now() - :retentionMs * interval '1 millisecond'`)
          .limit(CLEANUP_BATCH);
        const result = await repo
          .createQueryBuilder()
          .delete()
          .where(`id IN (${old.getQuery()})`)
          .setParameters({ retentionMs })
          .execute();
        deleted += result.affected ?? 0;
        if ((result.affected ?? 0) < CLEANUP_BATCH) break;
      }
    }
    if (deleted) this.options.logger.info({ deleted, retentionDays: retentionMs / 86_400_000 }, 'outbox rows past their retention deleted');
    return deleted;
  }

  private async cleanupQuietly(): Promise<void> {
    try {
      await this.cleanup();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox cleanup failed; will retry');
    }
  }

  /**
   * One pass: a batch of due rows oldest first, handed to each queue with one `addBulk` (one round
   * trip to Redis, or one statement on the Postgres backend), then marked dispatched with one UPDATE.
   * Row by row (an add and an UPDATE each) the relay made two round trips per email from inside the
   * subgraph's busy event loop: during a booking rush the emails trailed the bookings by seconds
   * and the UPDATEs took pool connections from the bookings (BENCHMARKS.md, issue 6).
   * Rows are claimed first, so another process's relay passes over them; adding a row twice anyway
   * (a pass that failed after its add, or outlived its claim) is harmless: the
   * row's id is the job's id and the queue ignores a job id it already has.
   *
   * A queue that refuses its rows holds back nobody else: its rows are marked to wait (doubling)
   * and the other queues' rows go on. When a queue answers but refuses a batch, its rows are tried
   * one at a time, so one row it will never take does not hold back the rest.
   */
  private async drain(): Promise<void> {
    const repo = this.options.dataSource.getRepository(OutboxMessage);
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const pending = await this.claim(batchSize);
      if (pending.length === 0) return;
      const byQueue = new Map<string, OutboxMessage[]>();
      for (const message of pending) {
        const messages = byQueue.get(message.queue);
        if (messages) messages.push(message);
        else byQueue.set(message.queue, [message]);
      }
      const dispatched: string[] = [];
      const failed: { messages: OutboxMessage[]; error: unknown }[] = [];
      try {
        for (const [name, messages] of byQueue) {
          const outcome = await this.handOver(name, messages);
          dispatched.push(...outcome.dispatched.map((message) => message.id));
          if (outcome.failed.length) failed.push({ messages: outcome.failed, error: outcome.error });
        }
      } finally {
        // Only rows not yet relayed: a pass that outlived its claim finds them taken over, and leaves them be.
        if (dispatched.length) await repo.update({ id: In(dispatched), dispatchedAt: IsNull() }, { dispatchedAt: () => 'now()', attempts: () => 'attempts + 1', nextAttemptAt: null } as never);
        for (const { messages, error } of failed) await this.recordFailure(messages, error);
      }
      if (pending.length < batchSize) return;
    }
  }

  /**
   * Takes the next due rows, oldest first, for this pass: one UPDATE that sets their
   * `next_attempt_at` a claim's length ahead (three enqueue timeouts) on rows it locks with SKIP
   * LOCKED, so a relay in another process (a second replica of the subgraph) passes over them
   * instead of handing them over a second time. The claim ends when the pass marks them relayed or
   * records a failure; if this process dies mid-pass, the rows are due again when it runs out.
   */
  private async claim(batchSize: number): Promise<OutboxMessage[]> {
    const repo = this.options.dataSource.getRepository(OutboxMessage);
    const due = repo
      .createQueryBuilder('m')
      .select('m.id')
      .where('m.dispatched_at IS NULL AND m.dead_at IS NULL')
      .andWhere('(m.next_attempt_at IS NULL OR m.next_attempt_at <= now())')
      .orderBy('m.created_at', 'ASC')
      .limit(batchSize)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked');
    const result = await repo
      .createQueryBuilder()
      .update()
      .set({ nextAttemptAt: () => `now() + :claimMs::float8 * interval '1 millisecond'` } as never)
      .where(`id IN (${due.getQuery()})`)
      .setParameters({ claimMs: CLAIM_IN_ENQUEUE_TIMEOUTS * (this.options.enqueueTimeoutMs ?? 5000) })
      // UPDATE … RETURNING comes back in no particular order, and a JS Date keeps only milliseconds
      // of created_at's microseconds: rows written in the same millisecond came back swapped (CI,
      // outbox.test.ts). The microseconds, as text, put them back oldest first.
      .returning('id, queue, job_name, payload, run_at_ms, created_at, trace_context, (extract(epoch from created_at) * 1000000)::bigint::text AS created_us')
      .execute();
    const rows = (result.raw ?? []) as { id: string; queue: string; job_name: string; payload: unknown; run_at_ms: string | null; created_at: Date; trace_context: string | null; created_us: string }[];
    rows.sort((a, b) => { const diff = BigInt(a.created_us) - BigInt(b.created_us); return diff < 0n ? -1 : diff > 0n ? 1 : 0; });
    return rows.map((row) => Object.assign(new OutboxMessage(), { id: row.id, queue: row.queue, jobName: row.job_name, payload: row.payload, runAtMs: row.run_at_ms, createdAt: row.created_at, traceContext: row.trace_context }));
  }

  /** One queue's share of a pass: all in one addBulk, or, when the queue refuses that, row by row. */
  private async handOver(name: string, messages: OutboxMessage[]): Promise<{ dispatched: OutboxMessage[]; failed: OutboxMessage[]; error?: unknown }> {
    const queue = this.options.queues[name as QueueName];
    if (!queue) return { dispatched: [], failed: messages, error: new Error(`no queue "${name}" in this process`) };
    const add = (batch: OutboxMessage[]) => {
      const now = Date.now();
      const jobs = batch.map((message) => ({
        name: message.jobName,
        data: message.payload,
        opts: { jobId: message.id, delay: message.runAtMs ? Math.max(0, Number(message.runAtMs) - now) : 0, ...traceJobOptions(message.traceContext) },
      }));
      return withTimeout(Promise.resolve().then(() => queue.addBulk(jobs)), this.options.enqueueTimeoutMs ?? 5000);
    };
    try {
      await add(messages);
      return { dispatched: messages, failed: [] };
    } catch (error) {
      if (error instanceof QueueTimeoutError || messages.length === 1) return { dispatched: [], failed: messages, error };
      const dispatched: OutboxMessage[] = [];
      const failed: OutboxMessage[] = [];
      let lastError: unknown = error;
      for (const message of messages) {
        try {
          await add([message]);
          dispatched.push(message);
        } catch (rowError) {
          failed.push(message);
          lastError = rowError;
          // The queue stopped answering: the rest would only wait as long each.
          if (rowError instanceof QueueTimeoutError) {
            failed.push(...messages.slice(messages.indexOf(message) + 1));
            break;
          }
        }
      }
      return { dispatched, failed, error: lastError };
    }
  }

  /** Counts a failed hand-over on each row, sets when it is tried again, and sets aside those out of attempts. */
  private async recordFailure(messages: OutboxMessage[], error: unknown): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 300;
    const reason = String((error as Error)?.message ?? error).slice(0, 500);
    const ids = messages.map((message) => message.id);
    const result = await this.options.dataSource
      .getRepository(OutboxMessage)
      .createQueryBuilder()
      .update()
      .set({
        attempts: () => 'attempts + 1',
        lastError: reason,
        nextAttemptAt: () => `now() + least(:capMs::float8, :pollMs::float8 * power(2, least(attempts, 30))) * interval '1 millisecond'`,
        deadAt: () => 'CASE WHEN attempts + 1 >= :maxAttempts THEN now() END',
      } as never)
      .where('id IN (:...ids)', { ids, capMs: OUTBOX_MAX_RETRY_DELAY_MS, pollMs: this.options.pollMs, maxAttempts })
      .returning(['id', 'queue', 'attempts', 'deadAt'])
      .execute();
    const rows = (result.raw ?? []) as { id: string; queue: string; attempts: number; dead_at: Date | null }[];
    const dead = rows.filter((row) => row.dead_at);
    this.options.logger.warn({ err: error, queue: messages[0]?.queue, outboxIds: ids.length }, 'could not enqueue outbox messages; will retry');
    if (dead.length) {
      // Identifiers only: the payloads hold names and addresses.
      this.options.logger.error({ queue: messages[0]?.queue, outboxIds: dead.map((row) => row.id), attempts: maxAttempts, lastError: reason }, 'outbox rows dead after their last attempt: not relayed again (see README, "The outbox")');
    }
  }
}

/** Rejects when `promise` has not settled within `ms` (a queue or database that stopped answering). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new QueueTimeoutError(`queue did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
