/**
 * Structured JSON logs (pino). Every service logs through createLogger(service); request
 * handlers use a child logger carrying the request id the gateway assigns and forwards in
 * the `x-request-id` header, so one request can be followed across processes.
 */
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export const REQUEST_ID_HEADER = 'x-request-id';

export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Personal data must not end up in logs: redact the usual carriers (SQL parameters hold names and emails).
    redact: {
      paths: ['err.parameters', 'req.headers.authorization', '*.authorization', '*.password', '*.token', 'variables.*.email', 'variables.input.delegates'],
      censor: '[redacted]',
    },
  });
}

/** The incoming request id if it looks sane, else a fresh one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._-]{8,128}$/.test(value) ? value : randomUUID();
}
