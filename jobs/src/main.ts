/**
 * The jobs process (`node jobs/dist/main.js`): one BullMQ worker on the `email` queue. Logs say
 * which job, template and attempt, never the email's content or who it went to beyond the
 * recipient's domain (delegates' addresses are personal data).
 */
import './tracing';
import type { Job, Queue, Worker } from 'bullmq';
import { loadConfigOrExit } from '@sendco/config';
import { runService } from '@sendco/federation';
import { createLogger, type Logger } from '@sendco/logger';
import { createMailer, TemplateRenderer, type Mailer } from '@sendco/mail';
import { createMetricsRegistry, registerEmailMetrics, registerQueueDepth, type EmailMetrics } from '@sendco/metrics';
import { createQueue, createWorker, EMAIL_TEMPLATES, QUEUE_NAMES, withTimeout, type EmailJob } from '@sendco/queue';
import { startBulletinDeliveryWorker } from '@sendco/bulletin';
import { createEmailProcessor, isKnownTemplate, recipientDomain, redactAddresses, TEMPLATES_DIR, type EmailResult } from './email.handler';
import { startOpsServer } from './ops-server';
import { sendOncePerJob } from './send-once';

/** What may be logged about a job: identifiers only. */
function describeJob(job: Job<EmailJob>) {
  return {
    jobId: job.id,
    template: job.data?.template,
    attempt: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    recipientDomain: recipientDomain(job.data?.to?.email),
  };
}

/** The error without the SMTP response's quoted addresses or the stack's payload-bearing extras. */
function describeError(error: Error) {
  const smtp = error as Error & { code?: string; responseCode?: number };
  return { name: error.name, message: redactAddresses(error.message), code: smtp.code, responseCode: smtp.responseCode };
}

/** The template as a metrics label: one of the known templates, never a value from a payload. */
function templateLabel(job: Job<EmailJob> | undefined): string {
  return isKnownTemplate(job?.data?.template) ? job.data.template : 'unknown';
}

function logJobOutcomes(worker: Worker<EmailJob, EmailResult>, logger: Logger, emails: EmailMetrics): void {
  worker.on('completed', (job, result) => {
    emails.sent(templateLabel(job));
    logger.info({ ...describeJob(job), messageId: result?.messageId }, 'email sent');
  });
  worker.on('failed', (job, error) => {
    if (!job) {
      emails.failed('unknown', true);
      logger.error({ error: describeError(error) }, 'email job failed and was removed');
      return;
    }
    const details = { ...describeJob(job), error: describeError(error) };
    // BullMQ has already counted this attempt; it retries unless that was the last or the error is unrecoverable.
    const retrying = job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== 'UnrecoverableError';
    emails.failed(templateLabel(job), !retrying);
    if (retrying) logger.warn(details, 'email attempt failed; will retry with backoff');
    else logger.error(details, 'email failed; no more attempts');
  });
  worker.on('error', (error) => logger.error({ error: describeError(error) }, 'email worker error'));
}

/** A mail server that is down at boot is not fatal: jobs wait and retry. Say so early, though. */
async function checkMailServer(mailer: Mailer, logger: Logger): Promise<void> {
  try {
    await mailer.verify();
  } catch (error) {
    logger.warn({ error: describeError(error as Error) }, 'mail server not reachable yet; emails will be retried');
  }
}

const config = loadConfigOrExit();
const logger = createLogger('jobs', config.logLevel);

runService('jobs', logger, async () => {
  const renderer = new TemplateRenderer(TEMPLATES_DIR);
  // A missing template fails the deploy at boot instead of every email at send time.
  renderer.assertTemplates(EMAIL_TEMPLATES);
  const mailer = createMailer(config.mail);
  await checkMailServer(mailer, logger);

  const metrics = createMetricsRegistry('jobs');
  // Queue depth is a property of the queue, not of a process: reported here once for every queue,
  // rather than by each process that adds to it.
  const watched: Queue[] = Object.values(QUEUE_NAMES).map((name) => {
    const queue = createQueue(config.queue, name);
    queue.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue connection error'));
    return queue;
  });
  registerQueueDepth(metrics, watched);

  const { concurrency } = config.emailWorker;
  const processor = sendOncePerJob(createEmailProcessor({ renderer, mailer, logger }), logger);
  const worker = createWorker<EmailJob>(config.queue, QUEUE_NAMES.email, processor, { concurrency }) as Worker<EmailJob, EmailResult>;
  logJobOutcomes(worker, logger, registerEmailMetrics(metrics));
  await worker.waitUntilReady();
  const emailQueue = watched.find((queue) => queue.name === QUEUE_NAMES.email)!;
  const ops = await startOpsServer({
    config,
    logger,
    metrics,
    readiness: async () => {
      if (!worker.isRunning()) throw new Error('the email worker is not running');
      await withTimeout(emailQueue.getJobCounts('waiting'), 2000);
    },
  });
  logger.info({ queue: QUEUE_NAMES.email, backend: config.queue.backend, concurrency, smtpPool: config.mail.pool }, 'jobs worker ready');
  // Bulletins to their subscribers: the bulletin's own delivery worker, sharing this process's mail transport.
  const bulletinDelivery = await startBulletinDeliveryWorker(config, mailer, logger);

  return async () => {
    await ops.close();
    await worker.close(); // lets in-flight emails finish first
    await bulletinDelivery.close();
    for (const queue of watched) await queue.close();
    mailer.close(); // then the pool's connections, which are all idle by now
  };
});
