/**
 * OpenTelemetry tracing for every process (README "Operations: tracing"). Each service's
 * `src/tracing.ts` calls `startTracing(name)` and is the first import of its `main.ts`, so the
 * SDK's instrumentations are in place before http, pg, graphql and express are loaded.
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then nothing below loads the SDK, and every
 * helper here returns at its first line (no span, no carrier, no cost on the hot path).
 *
 * Across the outbox and the queue the trace context travels as a propagation carrier (W3C
 * `traceparent`, and `tracestate` when there is one) serialised as JSON: the form BullMQ keeps in
 * a job's `opts.telemetry.metadata`.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import { loadConfigOrExit, type TracingConfig } from '@sendco/config';
import type { SdkOptions, StartedSdk } from './sdk';

export { SpanKind };

let sdk: StartedSdk | undefined;

/**
 * Starts tracing for this process when an OTLP endpoint is configured; returns whether it did.
 * `serviceName` is the process's own name, used unless OTEL_SERVICE_NAME is set.
 * `options` is for tests (an in-process exporter instead of OTLP, no instrumentations).
 */
export function startTracing(serviceName: string, config: TracingConfig = loadConfigOrExit().tracing, options: SdkOptions = {}): boolean {
  if (sdk || (!config.endpoint && !options.exporter)) return false;
  // Loaded only now: with tracing off the SDK is never required.
  const { startSdk } = require('./sdk') as typeof import('./sdk');
  sdk = startSdk(config, serviceName, options);
  return true;
}

export function tracingEnabled(): boolean {
  return sdk !== undefined;
}

/** Sends the spans still buffered and stops the SDK (at shutdown: after the service has closed). */
export async function stopTracing(): Promise<void> {
  const started = sdk;
  sdk = undefined;
  await started?.shutdown().catch(() => undefined);
}

/** The active trace context as a JSON carrier, or undefined when tracing is off or no span is active. */
export function currentTraceCarrier(): string | undefined {
  if (!sdk) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? JSON.stringify(carrier) : undefined;
}

/** The context a carrier from currentTraceCarrier() describes; the root context for none or a malformed one. */
export function contextFromCarrier(carrier: string | null | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  try {
    const parsed = JSON.parse(carrier) as unknown;
    return parsed && typeof parsed === 'object' ? propagation.extract(ROOT_CONTEXT, parsed) : ROOT_CONTEXT;
  } catch {
    return ROOT_CONTEXT;
  }
}

/**
 * Runs `work` outside any trace: for background work that a request merely starts (the outbox
 * relay's pass, kicked after a commit, relays other requests' rows too and would otherwise land
 * in the trace of whichever request kicked it).
 */
export function outsideTrace<T>(work: () => T): T {
  return sdk ? context.with(ROOT_CONTEXT, work) : work();
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent: by default the active context. */
  parent?: Context;
}

/**
 * Runs `work` inside a new span (ended when it settles; an error is recorded on it and rethrown).
 * With tracing off it only calls `work`.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  if (!sdk) return work();
  const tracer = trace.getTracer('sendco-hub');
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, options.parent ?? context.active(), async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name });
      throw error;
    } finally {
      span.end();
    }
  });
}
