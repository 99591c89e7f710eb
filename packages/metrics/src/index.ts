/**
 * Prometheus metrics (prom-client) for every process: one registry per process labelled with
 * the service's name, GraphQL requests, latency and errors per operation (an Apollo Server
 * plugin the subgraph shell and the gateway install), and collectors that read queue depth and
 * the outbox backlog when Prometheus scrapes. `/metrics` access is decided once, in
 * `metricsAccess`, for every service.
 */
export * from './access';
export * from './graphql';
export * from './collectors';
export * from './registry';
export type { Registry } from 'prom-client';
