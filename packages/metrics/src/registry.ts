import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every series name this project defines starts with this. */
export const METRIC_PREFIX = 'sendco_';

/**
 * One registry per process, every series labelled `service` (gateway, jobs, training, ...), so a
 * Prometheus without relabelling still tells the processes apart. Process metrics (CPU, memory,
 * event-loop lag) come with it under their usual names.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * A label value taken from outside (an operation name a client chose, an error code) with a
 * bound on how many distinct values it may take, so a client inventing names cannot grow the
 * process's memory or Prometheus's series without limit. Past the bound, new values read `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly maxValues: number,
    private readonly pattern: RegExp,
    private readonly maxLength = 100,
  ) {}

  value(raw: string): string {
    if (raw.length > this.maxLength || !this.pattern.test(raw)) return 'other';
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.maxValues) return 'other';
    this.seen.add(raw);
    return raw;
  }
}
