/**
 * An email job is sent once even when its queue forgets that it was. BullMQ records a job as
 * done after the processor returns; if the queue's store (Redis, or Postgres on that backend)
 * goes away between the email leaving and that record being written, the job is still "active"
 * when the store returns, is taken for stalled, and is run again: the email would go twice.
 * So the worker remembers the jobs it has sent (by job id, which is the outbox row's id, one per
 * email) and answers a repeat with the first result instead of sending again.
 *
 * The memory is this process's and bounded (the most recent `capacity` jobs): a job run again
 * after the worker itself restarted, or by another worker process, is not covered. SMTP offers
 * nothing better; the outbox and job ids already make every other repeat harmless.
 */
import type { Job } from 'bullmq';
import type { Logger } from '@sendco/logger';

export function sendOncePerJob<T, R>(processor: (job: Job<T>) => Promise<R>, logger: Logger, capacity = 50_000): (job: Job<T>) => Promise<R> {
  const sent = new Map<string, R>();
  return async (job) => {
    const id = job.id;
    if (id !== undefined && sent.has(id)) {
      logger.warn({ jobId: id, attempt: job.attemptsMade }, 'email job run again after it was sent (its completion was not recorded); not sending twice');
      return sent.get(id)!;
    }
    const result = await processor(job);
    if (id !== undefined) {
      sent.set(id, result);
      if (sent.size > capacity) sent.delete(sent.keys().next().value!);
    }
    return result;
  };
}
