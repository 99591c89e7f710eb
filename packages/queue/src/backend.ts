/**
 * Queue and worker construction with the defaults set once (Vendure's bullmq strategy): retries
 * with exponential backoff from 1 s capped at an hour for at least a day, bounded retention. Redis when REDIS_URL is set, else
 * BullMQ's own Postgres backend in the product's database: the same BullMQ code either way.
 */
import { createPostgresBackend, Queue, Worker, withBackend, type JobsOptions, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import type { AppConfig, RetrySchedule } from '@sendco/config';
import { Redis, type RedisOptions } from 'ioredis';
import type { QueueName } from './jobs';
import { tracedProcessor } from './job-tracing';

/** Completed jobs are kept a day so a repeated add with the same jobId stays a no-op (outbox relays may repeat). */
const COMPLETED_KEPT_SECONDS = 24 * 3600;

export type QueueConfig = AppConfig['queue'];

/**
 * The default retry schedule: waits doubling from 1 s up to an hour each, for at least a day.
 * Ten attempts with plain exponential backoff (the first schedule) gave up after about 17
 * minutes, so a mail relay down for longer lost every email that fell due meanwhile.
 */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { windowMs: 24 * 3600_000, firstDelayMs: 1000, maxDelayMs: 3600_000 };

/** The name of the backoff below in a job's options; every worker made by createWorker knows it. */
export const CAPPED_EXPONENTIAL_BACKOFF = 'capped-exponential';

/** The wait after a job's `attemptsMade`-th failed attempt: doubling from the first delay, never above the cap. */
export function retryDelayMs(schedule: RetrySchedule, attemptsMade: number): number {
  return Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** Attempts in all (the first one included) for the waits between them to add up to the window. */
export function retryAttempts(schedule: RetrySchedule): number {
  let waited = 0;
  let failures = 0;
  while (waited < schedule.windowMs) waited += retryDelayMs(schedule, ++failures);
  return failures + 1;
}

/** Every queue's job defaults: the retry schedule, and bounded retention (Vendure's bullmq strategy). */
export function defaultJobOptions(schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): JobsOptions {
  return {
    attempts: retryAttempts(schedule),
    backoff: { type: CAPPED_EXPONENTIAL_BACKOFF, delay: schedule.firstDelayMs },
    // At most 50,000: a bound on Redis's memory.
    removeOnComplete: { age: COMPLETED_KEPT_SECONDS, count: 50_000 },
    // Failed jobs (no attempt left) stay for the dashboard, /metrics and a retry by an admin.
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/**
 * On BullMQ's Postgres backend, retention by age only. Its count rule runs, at every job's
 * completion, a DELETE … WHERE id NOT IN (the newest `count` completed jobs, sorted), which reads
 * and sorts every completed job of the queue kept so far: with the 4,000 emails of the
 * benchmark's warm-up kept, Postgres spent 11 CPU-seconds on the rush's 1,000 emails, and the
 * delegate's email p95 went from 2.2 to 4.8 s (BENCHMARKS.md, "Third round"). The age rule is
 * one range of the (queue, state, finished_at_ms) index. Disk, not memory, bounds this backend.
 */
export function postgresJobOptions(schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): JobsOptions {
  return { ...defaultJobOptions(schedule), removeOnComplete: { age: COMPLETED_KEPT_SECONDS } };
}

/**
 * The worker side of the schedule (BullMQ's `settings.backoffStrategy`): the cap lives in the
 * worker's configuration, the first delay in the job. Jobs queued with the built-in
 * `exponential` backoff before this schedule keep it (BullMQ looks built-in types up first).
 */
function backoffSettings(schedule: RetrySchedule) {
  return {
    backoffStrategy: (attemptsMade: number, type?: string, _error?: Error, job?: { opts?: { backoff?: number | { delay?: number } } }) => {
      if (type !== CAPPED_EXPONENTIAL_BACKOFF) throw new Error(`unknown backoff strategy ${type}`);
      const backoff = job?.opts?.backoff;
      const firstDelayMs = typeof backoff === 'object' && backoff.delay ? backoff.delay : schedule.firstDelayMs;
      return retryDelayMs({ ...schedule, firstDelayMs }, attemptsMade);
    },
  };
}

const postgres = withBackend(createPostgresBackend);

/** Postgres schema that BullMQ's tables live in when there is no Redis. */
export function postgresQueueSchema(prefix: string): string {
  return `${prefix}_jobs`;
}

function postgresConnection(config: Extract<QueueConfig, { backend: 'postgres' }>) {
  // A small pool each: every Queue/Worker on this backend opens its own pool plus a listener.
  return { connectionString: config.databaseUrl, schema: postgresQueueSchema(config.prefix), migrate: true, max: 3 };
}

export function createQueue<T>(config: QueueConfig, name: QueueName): Queue<T> {
  if (config.backend === 'redis') {
    return new Queue<T>(name, { defaultJobOptions: defaultJobOptions(config.retry), prefix: config.prefix, connection: redisConnection(config.redisUrl) } as QueueOptions);
  }
  return new postgres.Queue<T>(name, { defaultJobOptions: postgresJobOptions(config.retry), connection: postgresConnection(config) }) as unknown as Queue<T>;
}

export function createWorker<T>(config: QueueConfig, name: QueueName, processor: Processor<T>, options: Partial<WorkerOptions> = {}): Worker<T> {
  const common = { concurrency: 5, ...options, settings: { ...backoffSettings(config.retry ?? DEFAULT_RETRY_SCHEDULE), ...options.settings } };
  processor = tracedProcessor(name, processor);
  if (config.backend === 'redis') {
    return new Worker<T>(name, processor, { ...common, prefix: config.prefix, connection: redisConnection(config.redisUrl) } as WorkerOptions);
  }
  // Woken by LISTEN/NOTIFY when a job is added, and by a timer when a delayed one falls due.
  return new postgres.Worker<T>(name, processor, { ...common, connection: postgresConnection(config) }) as unknown as Worker<T>;
}

/**
 * An ioredis client on REDIS_URL for things other than BullMQ (the gateway's shared rate limits),
 * with the same reading of the URL; `overrides` e.g. fail fast instead of queueing while Redis is away.
 */
export function createRedisClient(redisUrl: string, overrides: Partial<RedisOptions> = {}): Redis {
  return new Redis({ ...redisConnection(redisUrl), ...overrides });
}

function redisConnection(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers need this; queues then keep trying through a Redis restart instead of failing.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  };
}
