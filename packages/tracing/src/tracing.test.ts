import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { loadConfig } from '@sendco/config';
import { contextFromCarrier, currentTraceCarrier, inSpan, outsideTrace, startTracing, stopTracing, tracingEnabled } from './index';
import { redactSqlLiterals } from './sdk';

describe('redactSqlLiterals', () => {
  it('replaces standard and escape string literals, keeping the statement', () => {
    expect(redactSqlLiterals(`SELECT id FROM "training"."booking" WHERE school_urn = '940001' AND idempotency_key = 'it''s-1'`)).toBe(
      `SELECT id FROM "training"."booking" WHERE school_urn = '?' AND idempotency_key = '?'`,
    );
    expect(redactSqlLiterals(`INSERT INTO outbox (payload) VALUES ( E'{"to":"tia@school.example.org","note":"a \\' quote"}', NULL)`)).toBe(`INSERT INTO outbox (payload) VALUES ( '?', NULL)`);
    expect(redactSqlLiterals(`INSERT INTO place (delegate_name, delegate_email) VALUES ('Tia Trace', 'tia@sch`)).toBe(`INSERT INTO place (delegate_name, delegate_email) VALUES ('?', '?'`);
    expect(redactSqlLiterals(`INSERT INTO outbox (payload) VALUES (E'{"to":"tia@sch\\`)).toBe(`INSERT INTO outbox (payload) VALUES ('?'`);
    expect(redactSqlLiterals('UPDATE "training"."outbox" SET attempts = attempts + 1 WHERE id IN ($1, $2)')).toBe('UPDATE "training"."outbox" SET attempts = attempts + 1 WHERE id IN ($1, $2)');
  });
});

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  afterAll(() => stopTracing());

  it('is off without an OTLP endpoint: nothing started, no carrier, work runs unwrapped', async () => {
    expect(startTracing('test', loadConfig({}).tracing)).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(currentTraceCarrier()).toBeUndefined();
    expect(await inSpan('work', {}, async () => 'done')).toBe('done');
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('carries the active span as a W3C traceparent and continues it from the carrier', async () => {
    expect(startTracing('test', loadConfig({}).tracing, { exporter, instrument: false })).toBe(true);
    let carrier: string | undefined;
    await inSpan('request', {}, async () => {
      carrier = currentTraceCarrier();
    });
    expect(carrier).toMatch(/^\{"traceparent":"00-[0-9a-f]{32}-[0-9a-f]{16}-01"\}$/);
    const request = exporter.getFinishedSpans().find((span) => span.name === 'request')!;
    expect(JSON.parse(carrier!).traceparent).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);

    await inSpan('later', { parent: contextFromCarrier(carrier) }, async () => undefined);
    const later = exporter.getFinishedSpans().find((span) => span.name === 'later')!;
    expect(later.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(later.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    // Outside any span there is nothing to carry; a malformed carrier starts a new trace instead of failing.
    expect(currentTraceCarrier()).toBeUndefined();
    await inSpan('fresh', { parent: contextFromCarrier('{not json') }, async () => undefined);
    expect(exporter.getFinishedSpans().find((span) => span.name === 'fresh')!.parentSpanContext).toBeUndefined();
  });

  it('runs background work outside the trace of the request that started it', async () => {
    let inside: unknown = 'unset';
    await inSpan('request', {}, async () => {
      expect(trace.getActiveSpan()).toBeDefined();
      inside = outsideTrace(() => trace.getActiveSpan());
    });
    expect(inside).toBeUndefined();
  });

  it('records a failure on the span and rethrows it', async () => {
    await expect(inSpan('failing', {}, async () => Promise.reject(new TypeError('no')))).rejects.toThrow('no');
    const failing = exporter.getFinishedSpans().find((span) => span.name === 'failing')!;
    expect(failing.status).toMatchObject({ code: 2, message: 'TypeError' });
  });

  it('keeps query strings and SQL values out of the spans it exports', async () => {
    const tracer = trace.getTracer('test');
    tracer
      .startSpan('GET', { attributes: { 'url.full': 'http://127.0.0.1:4000/bulletin/unsubscribe?token=eyJsecret', 'url.query': 'token=eyJsecret', 'http.target': '/bulletin/preferences?token=eyJsecret' } })
      .end();
    // Set after the start, as the pg instrumentation does.
    const query = tracer.startSpan('pg.query');
    query.setAttribute('db.query.text', `SELECT 1 FROM place WHERE delegate_email = 'tia@school.example.org'`);
    query.end();
    const exported = JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes));
    expect(exported).not.toMatch(/eyJsecret|tia@school/);
    expect(exported).toContain('http://127.0.0.1:4000/bulletin/unsubscribe?redacted');
    expect(exported).toContain(`delegate_email = '?'`);
  });
});
