/**
 * Transactional outbox. A service that commits something which requires an email records the job
 * in its own schema's `outbox` table inside the same transaction; the relay then enqueues it with
 * the row's id as the BullMQ jobId. So an email is never lost when Redis is down or the process
 * dies right after the commit, and enqueuing the same row twice is harmless.
 */
import { Column, CreateDateColumn, Entity, In, Index, PrimaryGeneratedColumn, type DataSource, type EntityManager } from 'typeorm';
import type { Queue } from 'bullmq';
import { combineWrites, insertRows, twoTripTransaction, writeTogether, type SqlStatement, type TransactionSession } from '@sendco/database';
import type { Logger } from '@sendco/logger';
import type { OutboxJob, QueueName } from './jobs';
import { outsideTrace } from '@sendco/tracing';
import { outboxTraceColumn, traceJobOptions } from './job-tracing';

@Entity({ name: 'outbox' })
@Index('outbox_pending_idx', ['createdAt'], { where: 'dispatched_at IS NULL' })
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

/** How many rows wait to be handed to their queue, and how long the oldest has waited (for metrics). */
export async function readOutboxBacklog(dataSource: DataSource): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const row = await dataSource
    .getRepository(OutboxMessage)
    .createQueryBuilder('m')
    .select('count(*)::int', 'pending')
    .addSelect('coalesce(extract(epoch from now() - min(m.created_at)), 0)::float8', 'oldest')
    .where('m.dispatched_at IS NULL')
    .getRawOne<{ pending: number; oldest: number }>();
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Number(row?.oldest ?? 0) };
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  queues: Partial<Record<QueueName, Queue>>;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  /** How long one enqueue may take before the row is left for the next pass (Redis down). */
  enqueueTimeoutMs?: number;
}

/**
 * Moves outbox rows to their queues: at once after a commit (`kick()`), and on a timer for anything
 * a crash or an outage left behind. No transaction is held while talking to the queue.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
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
    await this.idle();
  }

  /**
   * One pass: a batch of rows oldest first, handed to each queue with one `addBulk` (one round trip
   * to Redis, or one statement on the Postgres backend), then marked dispatched with one UPDATE.
   * Row by row (an add and an UPDATE each) the relay made two round trips per email from inside the
   * subgraph's busy event loop: during a booking rush the emails trailed the bookings by seconds
   * and the UPDATEs took pool connections from the bookings (BENCHMARKS.md, issue 6).
   * Adding a row twice (a pass that failed after its add, or two processes) is harmless: the
   * row's id is the job's id and the queue ignores a job id it already has.
   */
  private async drain(): Promise<void> {
    const repo = this.options.dataSource.getRepository(OutboxMessage);
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const pending = await repo
        .createQueryBuilder('m')
        .where('m.dispatched_at IS NULL')
        .orderBy('m.created_at', 'ASC')
        .limit(batchSize)
        .getMany();
      if (pending.length === 0) return;
      const byQueue = new Map<string, OutboxMessage[]>();
      for (const message of pending) {
        const messages = byQueue.get(message.queue);
        if (messages) messages.push(message);
        else byQueue.set(message.queue, [message]);
      }
      const dispatched: string[] = [];
      try {
        for (const [name, messages] of byQueue) {
          const queue = this.options.queues[name as QueueName];
          try {
            if (!queue) throw new Error(`no queue "${name}" in this process`);
            const now = Date.now();
            const jobs = messages.map((message) => ({
              name: message.jobName,
              data: message.payload,
              opts: { jobId: message.id, delay: message.runAtMs ? Math.max(0, Number(message.runAtMs) - now) : 0, ...traceJobOptions(message.traceContext) },
            }));
            await withTimeout(queue.addBulk(jobs), this.options.enqueueTimeoutMs ?? 5000);
            dispatched.push(...messages.map((message) => message.id));
          } catch (error) {
            const ids = messages.map((message) => message.id);
            await repo.update({ id: In(ids) }, { attempts: () => 'attempts + 1', lastError: String((error as Error).message ?? error).slice(0, 500) } as never);
            this.options.logger.warn({ err: error, queue: name, outboxIds: ids.length }, 'could not enqueue outbox messages; will retry');
            return; // the queue is probably down: wait for the next timer tick
          }
        }
      } finally {
        if (dispatched.length) await repo.update({ id: In(dispatched) }, { dispatchedAt: () => 'now()', attempts: () => 'attempts + 1' } as never);
      }
      if (pending.length < batchSize) return;
    }
  }
}

/** Rejects when `promise` has not settled within `ms` (a queue or database that stopped answering). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
