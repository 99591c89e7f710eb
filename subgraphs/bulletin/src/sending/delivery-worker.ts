/**
 * The bulletin's delivery worker, hosted by the jobs process next to the email worker (it sends
 * mail; the subgraph serves the API). It reads and writes only the bulletin's own tables, through
 * the bulletin's own code, with a small pool of its own.
 */
import type { Worker } from 'bullmq';
import type { AppConfig } from '@sendco/config';
import { AuditEntry, createDataSource, initializeDataSource } from '@sendco/database';
import type { Logger } from '@sendco/logger';
import type { Mailer } from '@sendco/mail';
import { createWorker, QUEUE_NAMES, type BulletinDeliveryJob } from '@sendco/queue';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Subscriber } from '../subscribers/subscriber.entity';
import { SubscriberLinks } from '../subscribers/subscriber-links';
import { BULLETIN_SCHEMA } from '../schema-name';
import { createDeliveryProcessor, type DeliveryOutcome } from './delivery';
import { Delivery } from './delivery.entity';
import { deliveryLimiter } from './sending-rules';

export interface RunningDeliveryWorker {
  worker: Worker<BulletinDeliveryJob, DeliveryOutcome>;
  close(): Promise<void>;
}

export async function startBulletinDeliveryWorker(config: AppConfig, mailer: Pick<Mailer, 'send'>, logger: Logger): Promise<RunningDeliveryWorker> {
  const dataSource = createDataSource({
    schema: BULLETIN_SCHEMA,
    url: config.database.url,
    entities: [Bulletin, Subscriber, Delivery, AuditEntry],
    migrations: [],
    // Two queries per email (claim, mark sent), from every concurrent send.
    poolSize: Math.min(config.database.poolSize, Math.max(2, Math.ceil(config.bulletin.sendConcurrency / 2))),
    statementTimeoutMs: config.database.statementTimeoutMs,
    lockTimeoutMs: config.database.lockTimeoutMs,
  });
  await initializeDataSource(dataSource, { migrate: false }); // the bulletin subgraph owns its migrations
  const processor = createDeliveryProcessor({ dataSource, mailer, links: new SubscriberLinks(config.bulletin.tokenSecret, config.publicUrl), logger });
  const worker = createWorker<BulletinDeliveryJob>(config.queue, QUEUE_NAMES.bulletinDelivery, processor, {
    concurrency: config.bulletin.sendConcurrency,
    limiter: deliveryLimiter(config.bulletin.sendRatePerSecond),
  }) as Worker<BulletinDeliveryJob, DeliveryOutcome>;
  worker.on('failed', (job, error) => {
    if (error.name === 'DelayedError') return;
    logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, error: { name: error.name, code: (error as { code?: string }).code, responseCode: (error as { responseCode?: number }).responseCode } }, 'bulletin delivery attempt failed');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'bulletin delivery worker error'));
  await worker.waitUntilReady();
  logger.info({ queue: QUEUE_NAMES.bulletinDelivery, concurrency: config.bulletin.sendConcurrency, ratePerSecond: config.bulletin.sendRatePerSecond || 'unlimited' }, 'bulletin delivery worker ready');
  return {
    worker,
    close: async () => {
      await worker.close();
      await dataSource.destroy();
    },
  };
}
