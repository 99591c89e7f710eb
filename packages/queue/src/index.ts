export * from './jobs';
export * from './backend';
export * from './outbox';
export { outboxTraceContextSql, outboxTraceMigrations, traceJobOptions } from './job-tracing';
