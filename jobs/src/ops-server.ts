/**
 * The jobs worker's only HTTP surface, on JOBS_METRICS_PORT (LISTEN_HOST): GET /metrics for
 * Prometheus, GET /healthz (process up) and GET /readyz (the worker runs and its queue answers),
 * the same endpoints every other service has. Nothing else is served.
 */
import http from 'node:http';
import type { AppConfig } from '@sendco/config';
import type { Logger } from '@sendco/logger';
import { metricsAccess, metricsEndpoint, type Registry } from '@sendco/metrics';

export interface OpsServerOptions {
  config: AppConfig;
  logger: Logger;
  metrics: Registry;
  /** Throws when the worker cannot do its work (queue unreachable, worker stopped). */
  readiness: () => Promise<void>;
}

export async function startOpsServer({ config, logger, metrics, readiness }: OpsServerOptions): Promise<{ close(): Promise<void> }> {
  const serveMetrics = metricsEndpoint(metrics, metricsAccess(config));
  const json = (res: http.ServerResponse, status: number, body: object) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    if (path === '/metrics') return void serveMetrics(req, res);
    if (path === '/healthz') return json(res, 200, { status: 'ok', service: 'jobs' });
    if (path === '/readyz') {
      readiness().then(
        () => json(res, 200, { status: 'ready', service: 'jobs' }),
        (error: Error) => {
          logger.warn({ err: error }, 'not ready');
          json(res, 503, { status: 'not ready', service: 'jobs' });
        },
      );
      return;
    }
    json(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.jobs.metricsPort, config.listenHost, resolve);
  });
  logger.info({ port: config.jobs.metricsPort }, 'jobs metrics and health on /metrics, /healthz, /readyz');
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
