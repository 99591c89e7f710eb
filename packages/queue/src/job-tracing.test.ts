import type { Job } from 'bullmq';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { loadConfig } from '@sendco/config';
import { inSpan, startTracing, stopTracing } from '@sendco/tracing';
import { outboxTraceColumn, traceJobOptions, tracedProcessor } from './job-tracing';

const job = (opts: Job['opts']) => ({ id: 'row-1', name: 'booking-confirmation', attemptsMade: 0, opts, data: {} }) as unknown as Job;

describe('a trace across the outbox and the queue', () => {
  const exporter = new InMemorySpanExporter();
  afterAll(() => stopTracing());

  it('adds nothing with tracing off: no column value, no job option, the processor itself', () => {
    expect(outboxTraceColumn()).toEqual({});
    expect(traceJobOptions(null)).toEqual({});
    const processor = async () => 'sent';
    expect(tracedProcessor('email', processor)).toBe(processor);
  });

  it("runs the job in a consumer span whose parent is the span that recorded it, and the job's own spans inside it", async () => {
    startTracing('test', loadConfig({}).tracing, { exporter, instrument: false });
    // The request that commits the booking records its outbox rows...
    const row = await inSpan('booking request', {}, async () => outboxTraceColumn());
    expect(row.traceContext).toMatch(/traceparent/);
    // ...the relay, later and outside that request, hands the row to BullMQ with its context...
    const opts = traceJobOptions(row.traceContext);
    expect(opts).toEqual({ telemetry: { metadata: row.traceContext } });
    // ...and the worker processes it.
    const processor = tracedProcessor('email', async () => inSpan('email send', {}, async () => 'sent'));
    expect(await processor(job(opts))).toBe('sent');

    const spans = exporter.getFinishedSpans();
    const [request, consume, send] = ['booking request', 'email process', 'email send'].map((name) => spans.find((span) => span.name === name)!);
    expect(new Set([request, consume, send].map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(consume.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(send.parentSpanContext?.spanId).toBe(consume.spanContext().spanId);
    expect(consume.kind).toBe(4); // CONSUMER in the API's numbering
    expect(consume.attributes).toMatchObject({ 'messaging.system': 'bullmq', 'messaging.destination.name': 'email', 'messaging.message.id': 'row-1' });
  });

  it('starts a trace of its own for a job recorded without one (before tracing was on)', async () => {
    const processor = tracedProcessor('email', async () => 'sent');
    await processor(job({}));
    const consume = exporter.getFinishedSpans().filter((span) => span.name === 'email process').at(-1)!;
    expect(consume.parentSpanContext).toBeUndefined();
  });
});
