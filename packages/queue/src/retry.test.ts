/**
 * The retry schedule every queue's jobs get: at least a day of attempts by default (the first
 * schedule, ten attempts of plain exponential backoff, gave up after about 17 minutes), waits
 * doubling from 1 s and never above an hour, and the same schedule applied by a real BullMQ
 * worker made with createWorker (on Postgres when DATABASE_URL is set).
 */
import type { Job } from 'bullmq';
import { loadConfig } from '@sendco/config';
import { createScratchDatabase } from '@sendco/database';
import { createQueue, createWorker, DEFAULT_RETRY_SCHEDULE, defaultJobOptions, retryAttempts, retryDelayMs, type QueueConfig } from './backend';

/** The waits between the attempts of a schedule, in order. */
function waits(schedule: typeof DEFAULT_RETRY_SCHEDULE): number[] {
  return Array.from({ length: retryAttempts(schedule) - 1 }, (_, i) => retryDelayMs(schedule, i + 1));
}

describe('the retry schedule', () => {
  it('covers at least 24 hours by default, in waits doubling from 1 s up to an hour', () => {
    const all = waits(DEFAULT_RETRY_SCHEDULE);
    const total = all.reduce((sum, wait) => sum + wait, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3600_000);
    // No more attempts than it takes: without the last wait it would fall short.
    expect(total - all[all.length - 1]).toBeLessThan(24 * 3600_000);
    expect(all.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(Math.max(...all)).toBe(3600_000);
    expect(all.every((wait, i) => i === 0 || wait >= all[i - 1])).toBe(true);
  });

  it('is what a queue made from the default configuration gives each job', () => {
    const config = loadConfig({});
    expect(config.queue.retry).toEqual(DEFAULT_RETRY_SCHEDULE);
    const options = defaultJobOptions(config.queue.retry);
    expect(options.attempts).toBe(retryAttempts(DEFAULT_RETRY_SCHEDULE));
    expect(options.attempts).toBeGreaterThan(10);
    expect(options.backoff).toEqual({ type: 'capped-exponential', delay: 1000 });
  });

  it('follows EMAIL_RETRY_HOURS and EMAIL_RETRY_MAX_DELAY_SECONDS', () => {
    const config = loadConfig({ EMAIL_RETRY_HOURS: '48', EMAIL_RETRY_MAX_DELAY_SECONDS: '600' });
    const all = waits(config.queue.retry!);
    expect(all.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThanOrEqual(48 * 3600_000);
    expect(Math.max(...all)).toBe(600_000);
    expect(() => loadConfig({ EMAIL_RETRY_HOURS: '0' })).toThrow(/EMAIL_RETRY_HOURS must be more than 0/);
    expect(() => loadConfig({ EMAIL_RETRY_MAX_DELAY_SECONDS: 'soon' })).toThrow(/EMAIL_RETRY_MAX_DELAY_SECONDS/);
  });

  it('never overflows: a late attempt waits the cap', () => {
    expect(retryDelayMs(DEFAULT_RETRY_SCHEDULE, 5000)).toBe(3600_000);
  });
});

const baseUrl = process.env.DATABASE_URL;
const describeWithPostgres = baseUrl ? describe : describe.skip;

describeWithPostgres('a worker made by createWorker (BullMQ on Postgres)', () => {
  let config: QueueConfig;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createScratchDatabase(baseUrl!, `sendco_retry_test_${process.pid}`);
    drop = database.drop;
    // A short schedule: 1.5 s of waits, 50 ms doubling, at most 200 ms each.
    config = { backend: 'postgres', databaseUrl: database.url, prefix: 'retrytest', retry: { windowMs: 1500, firstDelayMs: 50, maxDelayMs: 200 } };
  });

  afterAll(() => drop?.());

  it('retries a failing job with the capped backoff for every attempt of the schedule, then keeps it as failed', async () => {
    const schedule = config.retry!;
    const queue = createQueue<{ n: number }>(config, 'email');
    const attempts: number[] = [];
    const worker = createWorker<{ n: number }>(config, 'email', async (job) => {
      attempts.push(job.attemptsMade);
      throw new Error('relay refused');
    });
    try {
      const failedForGood = new Promise<Job>((resolve) =>
        worker.on('failed', (job) => {
          if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) resolve(job);
        }),
      );
      await queue.add('booking-confirmation', { n: 1 });
      const job = await failedForGood;
      expect(job.opts.attempts).toBe(retryAttempts(schedule));
      expect(attempts).toEqual(Array.from({ length: retryAttempts(schedule) }, (_, i) => i));
      expect(await queue.getJobCounts('failed')).toMatchObject({ failed: 1 });
    } finally {
      await worker.close();
      await queue.close();
    }
  }, 60_000);
});
