/**
 * A booking's trace across the outbox and the queue (README "Operations: tracing"): the trace
 * context active when a job is recorded goes into its outbox row (`trace_context`), the relay hands
 * it to BullMQ as the job's `opts.telemetry.metadata` (BullMQ's own field for context propagation,
 * kept by both backends), and every worker runs the job in a consumer span whose parent is that
 * context, so what the job does (an email's send, a reminder's checks) is in the booking's trace.
 * With tracing off none of this adds anything: no column value, no job option, no span.
 */
import type { JobsOptions, Processor } from 'bullmq';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { contextFromCarrier, currentTraceCarrier, inSpan, SpanKind, tracingEnabled } from '@sendco/tracing';

/** The outbox row's trace column, set only while tracing is on and a span is active. */
export function outboxTraceColumn(): { traceContext?: string } {
  const carrier = currentTraceCarrier();
  return carrier ? { traceContext: carrier } : {};
}

/** The job options that carry a row's trace context to its worker (none without one). */
export function traceJobOptions(traceContext: string | null | undefined): Pick<JobsOptions, 'telemetry'> {
  return traceContext ? { telemetry: { metadata: traceContext } } : {};
}

/** Runs each job in a consumer span continuing the trace its options carry. */
export function tracedProcessor<T>(queue: string, processor: Processor<T>): Processor<T> {
  if (!tracingEnabled()) return processor;
  return (job, token, signal) =>
    inSpan(
      `${queue} process`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromCarrier(job.opts?.telemetry?.metadata),
        attributes: { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.message.id': job.id ?? '', 'messaging.operation': 'process', 'bullmq.job.name': job.name, 'bullmq.job.attempts_made': job.attemptsMade },
      },
      () => processor(job, token, signal),
    );
}

/** DDL that adds the trace column to a schema's outbox. */
export function outboxTraceContextSql(schema: string): string {
  return `ALTER TABLE "${schema}"."outbox" ADD COLUMN "trace_context" text`;
}

/** The outbox's `trace_context` column, in every schema with an outbox (appended to its subgraph's migrations). */
export function outboxTraceMigrations(schema: string): Function[] {
  class OutboxTraceContext1765500000000 implements MigrationInterface {
    name = 'OutboxTraceContext1765500000000';
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(outboxTraceContextSql(schema));
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`ALTER TABLE "${schema}"."outbox" DROP COLUMN "trace_context"`);
    }
  }
  return [OutboxTraceContext1765500000000];
}
