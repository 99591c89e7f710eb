/**
 * The OpenTelemetry SDK itself, required by startTracing() only when tracing is on: a Node tracer
 * provider (AsyncLocalStorage context, W3C trace context propagation), spans batched to the OTLP
 * endpoint over HTTP (JSON), and the instrumentations: incoming and outgoing HTTP (node:http,
 * which Apollo Gateway's node-fetch subgraph fetcher uses, so `traceparent` reaches each
 * subgraph), fetch() (undici), pg queries and GraphQL operations. Apollo Gateway's own spans
 * (request, plan, fetch) come through the same global provider.
 */
import os from 'node:os';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from '@sendco/config';

export interface SdkOptions {
  /** Tests: export here, span by span, instead of batching to the OTLP endpoint. */
  exporter?: SpanExporter;
  /** Tests: false leaves node:http, pg and graphql unpatched. */
  instrument?: boolean;
}

export interface StartedSdk {
  shutdown(): Promise<void>;
}

/** Health probes and scrapes, every few seconds from every watcher: not worth a trace each. */
const UNTRACED_PATHS = /^\/(healthz|readyz|metrics)(\/|\?|$)/;

/** Span attributes that may hold a URL with its query string. */
const URL_ATTRIBUTES = ['http.url', 'http.target', 'url.full', 'url.query', 'http.request.header.referer'];

/** Span attributes holding SQL text. */
const SQL_ATTRIBUTES = ['db.query.text', 'db.statement'];

/**
 * SQL text without its string literals. The booking's hot path sends its statements with the
 * values written in (twoTripTransaction, one round trip): names, addresses, whole email payloads.
 * Standard strings ('…', '' inside) and escape strings (E'…', backslash escapes) become '?'.
 * (It runs on the attribute as kept, after the length limit has cut it.)
 */
export function redactSqlLiterals(sql: string): string {
  // A literal cut off by the attribute length limit (no closing quote) is redacted to the end too.
  return sql.replace(/\bE'(?:[^'\\]|''|\\.)*(?:'|\\?$)|'(?:[^']|'')*(?:'|$)/g, "'?'");
}

/**
 * What never leaves the process in a span: query strings (the bulletin's links carry signed
 * tokens, `/bulletin/unsubscribe?token=…`, which would let whoever reads the traces act for a
 * subscriber) and the values written into SQL text (personal data). Runs before the exporting
 * processor, which sees the span only once it has ended.
 */
export class SpanRedactor implements SpanProcessor {
  onStart(): void {}
  /** Just before the span ends: instrumentations set some attributes after its start (pg's query text). */
  onEnding(span: Span): void {
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value !== 'string') continue;
      if (key === 'url.query') span.setAttribute(key, 'redacted');
      else if (value.includes('?')) span.setAttribute(key, `${value.slice(0, value.indexOf('?'))}?redacted`);
    }
    for (const key of SQL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === 'string' && value.includes("'")) span.setAttribute(key, redactSqlLiterals(value));
    }
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function instrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      ignoreOutgoingRequestHook: (request) => UNTRACED_PATHS.test(request.path ?? ''),
    }),
    new UndiciInstrumentation({ ignoreRequestHook: (request) => UNTRACED_PATHS.test(request.path) }),
    // Only queries inside a traced request or job: not the relays' and queues' background polling.
    // No parameter values (names, addresses): the statement text only.
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    // parse, validate and execute per operation; literal values in the document masked (allowValues
    // false); no span per resolved field.
    new GraphQLInstrumentation({ allowValues: false, ignoreResolveSpans: true }),
  ];
}

export function startSdk(config: TracingConfig, serviceName: string, options: SdkOptions): StartedSdk {
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: `${config.endpoint}/v1/traces`, headers: config.headers });
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        'service.name': config.serviceName ?? serviceName,
        'service.namespace': 'sendco-hub',
        'service.instance.id': `${os.hostname()}:${process.pid}`,
      }),
    ),
    // A request that arrives with a trace context keeps its caller's decision; new traces are sampled at the ratio.
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    // A document near MAX_BODY_BYTES or a booking's one-statement write stays a bounded attribute.
    spanLimits: { attributeValueLengthLimit: 8192 },
    spanProcessors: [
      new SpanRedactor(),
      options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000, maxQueueSize: 4096, maxExportBatchSize: 512 }),
    ],
  });
  provider.register();
  const unregister = options.instrument === false ? () => undefined : registerInstrumentations({ tracerProvider: provider, instrumentations: instrumentations() });
  return {
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}
