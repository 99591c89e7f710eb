/**
 * The bulletin subgraph's worker on the `bulletin-drafts` queue: drafts other services ask for
 * through their outbox (they never touch this schema). One DRAFT per sourceKey, so a repeated job
 * does nothing; a draft the content rules refuse will be refused on every retry, so it fails at
 * once (kept with the failed jobs, its problems in the log and the job's failure reason).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { AppConfig } from '@sendco/config';
import { AppError, ErrorCode } from '@sendco/errors';
import type { Logger } from '@sendco/logger';
import { createWorker, QUEUE_NAMES, type BulletinDraftJob } from '@sendco/queue';
import type { BulletinService } from '../bulletins/bulletin.service';

export function startDraftWorker(config: AppConfig, bulletins: BulletinService, logger: Logger) {
  const worker = createWorker<BulletinDraftJob>(config.queue, QUEUE_NAMES.bulletinDrafts, async (job: Job<BulletinDraftJob>) => {
    try {
      const { bulletin, created } = await bulletins.createFromSource(job.data);
      logger.info({ jobId: job.id, sourceKey: job.data.sourceKey, bulletinId: bulletin.id, created }, created ? 'bulletin draft created' : 'bulletin draft exists already');
      return { bulletinId: bulletin.id, created };
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) {
        logger.warn({ jobId: job.id, sourceKey: job.data?.sourceKey, fields: error.details.fields }, 'bulletin draft refused');
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }, { concurrency: 2 });
  worker.on('error', (error) => logger.warn({ err: error }, 'bulletin drafts worker error'));
  return worker;
}
