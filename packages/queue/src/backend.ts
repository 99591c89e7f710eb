/**
 * Queue and worker construction with the defaults set once (Vendure's bullmq strategy): retries
 * with exponential backoff from 1 s, bounded retention. Redis when REDIS_URL is set, else
 * BullMQ's own Postgres backend in the product's database: the same BullMQ code either way.
 */
import { createPostgresBackend, Queue, Worker, withBackend, type JobsOptions, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import type { AppConfig } from '@sendco/config';
import type { QueueName } from './jobs';
import { tracedProcessor } from './job-tracing';

/** Completed jobs are kept a day so a repeated add with the same jobId stays a no-op (outbox relays may repeat). */
const COMPLETED_KEPT_SECONDS = 24 * 3600;

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 10, // ~17 minutes of backoff in all: rides out a mail server restart
  backoff: { type: 'exponential', delay: 1000 },
  // At most 50,000: a bound on Redis's memory.
  removeOnComplete: { age: COMPLETED_KEPT_SECONDS, count: 50_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * On BullMQ's Postgres backend, retention by age only. Its count rule runs, at every job's
 * completion, a DELETE … WHERE id NOT IN (the newest `count` completed jobs, sorted), which reads
 * and sorts every completed job of the queue kept so far: with the 4,000 emails of the
 * benchmark's warm-up kept, Postgres spent 11 CPU-seconds on the rush's 1,000 emails, and the
 * delegate's email p95 went from 2.2 to 4.8 s (BENCHMARKS.md, "Third round"). The age rule is
 * one range of the (queue, state, finished_at_ms) index. Disk, not memory, bounds this backend.
 */
export const POSTGRES_JOB_OPTIONS: JobsOptions = { ...DEFAULT_JOB_OPTIONS, removeOnComplete: { age: COMPLETED_KEPT_SECONDS } };

const postgres = withBackend(createPostgresBackend);

export type QueueConfig = AppConfig['queue'];

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
    return new Queue<T>(name, { defaultJobOptions: DEFAULT_JOB_OPTIONS, prefix: config.prefix, connection: redisConnection(config.redisUrl) } as QueueOptions);
  }
  return new postgres.Queue<T>(name, { defaultJobOptions: POSTGRES_JOB_OPTIONS, connection: postgresConnection(config) }) as unknown as Queue<T>;
}

export function createWorker<T>(config: QueueConfig, name: QueueName, processor: Processor<T>, options: Partial<WorkerOptions> = {}): Worker<T> {
  const common = { concurrency: 5, ...options };
  processor = tracedProcessor(name, processor);
  if (config.backend === 'redis') {
    return new Worker<T>(name, processor, { ...common, prefix: config.prefix, connection: redisConnection(config.redisUrl) } as WorkerOptions);
  }
  // Woken by LISTEN/NOTIFY when a job is added, and by a timer when a delayed one falls due.
  return new postgres.Worker<T>(name, processor, { ...common, connection: postgresConnection(config) }) as unknown as Worker<T>;
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
