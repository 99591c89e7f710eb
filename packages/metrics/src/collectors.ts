/**
 * Gauges read when Prometheus scrapes, not on a timer: queue depth, the outbox backlog. A source
 * that does not answer within a couple of seconds (its database or Redis is down) leaves its
 * series out of that scrape and counts a collection error, rather than hanging the scrape.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { withTimeout } from '@sendco/queue';
import { METRIC_PREFIX } from './registry';

const COLLECT_TIMEOUT_MS = 2000;

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** The part of a BullMQ Queue the depth gauge needs (either backend). */
export interface CountableQueue {
  name: string;
  getJobCounts(...states: QueueState[]): Promise<Record<string, number>>;
}

export interface OutboxBacklog {
  pending: number;
  /** Age of the oldest row not yet handed to its queue; 0 when none are waiting. */
  oldestAgeSeconds: number;
  /** Rows set aside after their last failed hand-over: never relayed unless an operator clears them. */
  dead: number;
}

function collectErrors(registry: Registry): Counter<'source'> {
  const name = `${METRIC_PREFIX}metrics_collect_errors_total`;
  return (
    (registry.getSingleMetric(name) as Counter<'source'> | undefined) ??
    new Counter({ name, help: 'Scrapes in which a source (queue, outbox) did not answer', labelNames: ['source'] as const, registers: [registry] })
  );
}

/** `sendco_queue_jobs{queue, state}`: jobs waiting, active, delayed and failed (retained) per queue. */
export function registerQueueDepth(registry: Registry, queues: CountableQueue[]): void {
  const failures = collectErrors(registry);
  new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs in each queue by state (failed: kept after their last attempt)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          try {
            const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), COLLECT_TIMEOUT_MS);
            for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch {
            failures.inc({ source: `queue:${queue.name}` });
          }
        }),
      );
    },
  });
}

/** `sendco_outbox_pending_rows`, `sendco_outbox_oldest_pending_age_seconds` and `sendco_outbox_dead_rows` for this service's outbox. */
export function registerOutboxBacklog(registry: Registry, read: () => Promise<OutboxBacklog>): void {
  const failures = collectErrors(registry);
  let latest: Promise<OutboxBacklog | undefined> | undefined;
  // Both gauges are collected in one scrape: read the table once for the pair.
  const readOnce = () =>
    (latest ??= withTimeout(read(), COLLECT_TIMEOUT_MS)
      .catch(() => {
        failures.inc({ source: 'outbox' });
        return undefined;
      })
      .finally(() => setImmediate(() => (latest = undefined))));
  const gauges: [string, string, (backlog: OutboxBacklog) => number][] = [
    ['outbox_pending_rows', 'Outbox rows committed but not yet handed to their queue', (b) => b.pending],
    ['outbox_oldest_pending_age_seconds', 'Age of the oldest outbox row not yet handed to its queue (0 when none wait)', (b) => b.oldestAgeSeconds],
    ['outbox_dead_rows', 'Outbox rows set aside after their last failed hand-over (not relayed; should be 0)', (b) => b.dead],
  ];
  for (const [name, help, pick] of gauges) {
    new Gauge({
      name: `${METRIC_PREFIX}${name}`,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        const backlog = await readOnce();
        if (backlog) this.set(pick(backlog));
      },
    });
  }
}

export interface EmailMetrics {
  sent(template: string): void;
  /** `final`: no attempt is left (or the job can never succeed); otherwise BullMQ retries it. */
  failed(template: string, final: boolean): void;
}

export function registerEmailMetrics(registry: Registry): EmailMetrics {
  const sent = new Counter({
    name: `${METRIC_PREFIX}emails_sent_total`,
    help: 'Emails handed to the mail server, by template',
    labelNames: ['template'] as const,
    registers: [registry],
  });
  const failed = new Counter({
    name: `${METRIC_PREFIX}emails_failed_total`,
    help: 'Failed email attempts, by template; final="true" when no retry follows',
    labelNames: ['template', 'final'] as const,
    registers: [registry],
  });
  return {
    sent: (template) => sent.inc({ template }),
    failed: (template, final) => failed.inc({ template, final: String(final) }),
  };
}
