export * from './jobs';
export * from './backend';
export * from './outbox';
export { outboxTraceMigrations, traceJobOptions } from './job-tracing';
