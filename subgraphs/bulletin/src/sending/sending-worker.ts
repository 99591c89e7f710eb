/**
 * The bulletin subgraph's own worker on the `bulletin-sending` queue: due sends (fan-out) and
 * the weekly digest (a repeatable job registered here at start). Only this subgraph has the data
 * to decide them; the emails themselves are sent by the delivery worker in the jobs process.
 */
import type { Job, Queue } from 'bullmq';
import type { AppConfig } from '@sendco/config';
import type { Logger } from '@sendco/logger';
import { createQueue, createWorker, QUEUE_NAMES, type BulletinDeliveryJob, type BulletinSendJob } from '@sendco/queue';
import type { WeeklyDigest } from '../digest/weekly-digest';
import type { BulletinSender } from './fan-out';

export const DIGEST_SCHEDULER_ID = 'bulletin-weekly-digest';

export function createDeliveryQueue(config: AppConfig): Queue<BulletinDeliveryJob> {
  return createQueue<BulletinDeliveryJob>(config.queue, QUEUE_NAMES.bulletinDelivery);
}

export async function startSendingWorker(config: AppConfig, sender: BulletinSender, digest: WeeklyDigest, logger: Logger) {
  const queue = createQueue<BulletinSendJob | Record<string, never>>(config.queue, QUEUE_NAMES.bulletinSending);
  queue.on('error', (error) => logger.warn({ err: error }, 'bulletin sending queue error'));
  await queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: config.bulletin.digestCron, tz: 'Europe/London' }, { name: 'weekly-digest', data: {} });
  const worker = createWorker<BulletinSendJob | Record<string, never>>(config.queue, QUEUE_NAMES.bulletinSending, async (job: Job) => {
    // The digest's slot: the time the scheduler planned this run for (one digest per slot).
    const outcome = job.name === 'weekly-digest' ? await digest.run(job.opts.prevMillis) : await sender.handleSendJob(job.data as BulletinSendJob);
    logger.info({ jobId: job.id, job: job.name, ...outcome }, 'bulletin sending job handled');
    return outcome;
  }, { concurrency: 1 });
  worker.on('error', (error) => logger.warn({ err: error }, 'bulletin sending worker error'));
  return [worker, queue];
}
