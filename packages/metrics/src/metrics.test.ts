import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Registry } from 'prom-client';
import { mayReadMetrics, metricsAccess } from './access';
import { registerOutboxBacklog, registerQueueDepth, type CountableQueue } from './collectors';
import { graphqlMetrics } from './graphql';
import { BoundedLabel, createMetricsRegistry } from './registry';

const value = async (registry: Registry, name: string, labels: Record<string, string> = {}) =>
  (await registry.getSingleMetric(name)!.get()).values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);

describe('who may read /metrics', () => {
  it('is open outside production, off in production, and behind the token whenever one is set', () => {
    expect(metricsAccess({ env: 'development', metrics: {} })).toEqual({ kind: 'open' });
    expect(metricsAccess({ env: 'test', metrics: {} })).toEqual({ kind: 'open' });
    expect(metricsAccess({ env: 'production', metrics: {} })).toEqual({ kind: 'off' });
    expect(metricsAccess({ env: 'development', metrics: { token: 't'.repeat(20) } })).toEqual({ kind: 'token', token: 't'.repeat(20) });
  });

  it('accepts only the exact bearer token', () => {
    const access = metricsAccess({ env: 'production', metrics: { token: 'the-metrics-token-1234' } });
    expect(mayReadMetrics(access, 'Bearer the-metrics-token-1234')).toBe(true);
    expect(mayReadMetrics(access, 'bearer the-metrics-token-1234')).toBe(true);
    for (const wrong of [undefined, '', 'Bearer ', 'Bearer the-metrics-token-123', 'Bearer the-metrics-token-12345', 'Basic the-metrics-token-1234', 'the-metrics-token-1234']) {
      expect({ wrong, ok: mayReadMetrics(access, wrong) }).toEqual({ wrong, ok: false });
    }
    expect(mayReadMetrics({ kind: 'off' }, 'Bearer anything')).toBe(false);
    expect(mayReadMetrics({ kind: 'open' }, undefined)).toBe(true);
  });
});

describe('BoundedLabel', () => {
  it('passes known-shaped values up to its bound, then says "other"', () => {
    const label = new BoundedLabel(2, /^[A-Z]+$/, 5);
    expect(['A', 'B', 'A', 'C', 'lower', 'TOOLONG', 'B'].map((v) => label.value(v))).toEqual(['A', 'B', 'A', 'other', 'other', 'other', 'B']);
  });
});

describe('GraphQL metrics', () => {
  async function serverWith(registry: Registry) {
    const server = new ApolloServer({
      typeDefs: 'type Query { ok: Boolean, refused: Boolean }',
      resolvers: { Query: { ok: () => true, refused: () => { throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } }); } } },
      plugins: [graphqlMetrics(registry).plugin],
    });
    await server.start();
    return server;
  }

  it('counts requests, latency and errors by operation name and code', async () => {
    const registry = new Registry();
    const server = await serverWith(registry);
    await server.executeOperation({ query: 'query Ok { ok }' });
    await server.executeOperation({ query: 'query Ok { ok }' });
    await server.executeOperation({ query: 'query Refused { refused }' });
    await server.executeOperation({ query: '{ ok }' });
    await server.executeOperation({ query: 'query Broken { nope }' });
    await server.executeOperation({ query: '{ ok' });
    expect(await value(registry, 'sendco_graphql_requests_total', { operation: 'Ok', type: 'query' })).toBe(2);
    expect(await value(registry, 'sendco_graphql_requests_total', { operation: 'anonymous' })).toBe(1);
    expect(await value(registry, 'sendco_graphql_requests_total', { operation: 'unresolved' })).toBe(2);
    expect(await value(registry, 'sendco_graphql_errors_total', { operation: 'Refused', code: 'FORBIDDEN' })).toBe(1);
    expect(await value(registry, 'sendco_graphql_errors_total', { operation: 'unresolved', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(await value(registry, 'sendco_graphql_errors_total', { operation: 'unresolved', code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(await value(registry, 'sendco_graphql_errors_total', { operation: 'Ok' })).toBe(0);
    const histogram = await registry.getSingleMetric('sendco_graphql_request_duration_seconds')!.get();
    expect(histogram.values.find((v) => (v as { metricName?: string }).metricName === 'sendco_graphql_request_duration_seconds_count' && v.labels.operation === 'Ok')!.value).toBe(2);
    await server.stop();
  });
});

describe('collectors', () => {
  it('reads queue depth per queue and state at scrape time, and leaves out a queue that does not answer', async () => {
    const registry = createMetricsRegistry('jobs');
    const counts = { waiting: 3, active: 1, delayed: 7, failed: 2 };
    const queues: CountableQueue[] = [
      { name: 'email', getJobCounts: async () => counts },
      { name: 'broken', getJobCounts: () => Promise.reject(new Error('down')) },
    ];
    registerQueueDepth(registry, queues);
    expect(await value(registry, 'sendco_queue_jobs', { queue: 'email', state: 'delayed' })).toBe(7);
    expect(await value(registry, 'sendco_queue_jobs', { queue: 'email', state: 'failed' })).toBe(2);
    counts.delayed = 0;
    expect(await value(registry, 'sendco_queue_jobs', { queue: 'email', state: 'delayed' })).toBe(0);
    expect((await registry.getSingleMetric('sendco_queue_jobs')!.get()).values.filter((v) => v.labels.queue === 'broken')).toEqual([]);
    // One collection error per scrape of the gauge so far (four).
    expect(await value(registry, 'sendco_metrics_collect_errors_total', { source: 'queue:broken' })).toBe(4);
    expect(await registry.metrics()).toMatch(/sendco_queue_jobs\{queue="email",state="waiting",service="jobs"\} 3/);
  });

  it('reads the outbox backlog once per scrape for all its gauges', async () => {
    const registry = new Registry();
    let reads = 0;
    registerOutboxBacklog(registry, async () => {
      reads += 1;
      return { pending: 4, oldestAgeSeconds: 12.5, dead: 2 };
    });
    const text = await registry.metrics();
    expect(text).toMatch(/^sendco_outbox_pending_rows 4$/m);
    expect(text).toMatch(/^sendco_outbox_oldest_pending_age_seconds 12.5$/m);
    expect(text).toMatch(/^sendco_outbox_dead_rows 2$/m);
    expect(reads).toBe(1);
  });
});
