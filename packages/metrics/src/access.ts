/**
 * Who may read `/metrics`, decided once for every service. Metrics hold no personal data, but
 * they do tell an outsider which operations exist, how busy the service is and how deep the
 * email queue is, and the gateway's port is the public one. So:
 *
 * - `METRICS_TOKEN` set: every service's /metrics requires `Authorization: Bearer <token>`
 *   (Prometheus: `authorization: { credentials: ... }` in the scrape config).
 * - unset, outside production: open, for trying the product and for tests.
 * - unset, in production: not served (404); the operator opts in by setting a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export type MetricsAccess = { kind: 'open' } | { kind: 'token'; token: string } | { kind: 'off' };

export function metricsAccess(config: { env: string; metrics: { token?: string } }): MetricsAccess {
  if (config.metrics.token) return { kind: 'token', token: config.metrics.token };
  return config.env === 'production' ? { kind: 'off' } : { kind: 'open' };
}

/** Whether this request may read the metrics; compared in constant time. */
export function mayReadMetrics(access: MetricsAccess, authorization: string | undefined): boolean {
  if (access.kind === 'open') return true;
  if (access.kind === 'off') return false;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(access.token));
}

/** `GET /metrics` for express or a bare node:http server. */
export function metricsEndpoint(registry: Registry, access: MetricsAccess) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (access.kind === 'off') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (!mayReadMetrics(access, req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('Unauthorized\n');
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics could not be collected\n');
    }
  };
}
