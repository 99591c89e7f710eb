/**
 * A small closed-loop HTTP load generator for the benchmark: `connections` keep-alive connections,
 * each sending the next POST as soon as the previous answer has been read, for `durationMs`.
 * It runs in the benchmark process, on the same cores as what it measures, so compare figures
 * taken in the same run (gateway vs subgraph), never across machines.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpLoadOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Requests sent before measuring starts (each connection opened, first-request costs paid). */
  warmUpMs?: number;
  /** Called on each answer's body; returns a problem to count as an error (e.g. GraphQL errors). */
  check?: (body: string) => string | undefined;
}

export interface HttpLoadResult {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  errors: number;
  firstError?: string;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * The benchmark's client for one-off requests (the booking rush: one request per school, all at
 * once): node:http, which costs the benchmark process less CPU than Node's fetch per request (the
 * client shares the cores with what it measures). A new connection for each request, as 500
 * different schools would open: kept alive, a connection left idle between two scenarios could be
 * reused just as the server closed it (its keep-alive timeout), and the booking sent on it lost.
 */
const oneOffAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

export async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
  const { status, text } = await post(oneOffAgent, new URL(url), JSON.stringify(body), headers);
  return { status, json: JSON.parse(text) as T };
}

export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const warmUpEnds = performance.now() + (options.warmUpMs ?? 1000);
  const ends = warmUpEnds + options.durationMs;

  const loop = async () => {
    for (;;) {
      const started = performance.now();
      if (started >= ends) return;
      try {
        const { status, text } = await post(agent, url, options.body, options.headers ?? {});
        const problem = status !== 200 ? `HTTP ${status}: ${text.slice(0, 200)}` : options.check?.(text);
        if (started >= warmUpEnds) {
          if (problem) {
            errors += 1;
            firstError ??= problem;
          } else latencies.push(performance.now() - started);
        }
      } catch (error) {
        if (started >= warmUpEnds) {
          errors += 1;
          firstError ??= String(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  agent.destroy();
  // Answers to requests sent during the window count; the window is durationMs long.
  return {
    requests: latencies.length,
    requestsPerSecond: Math.round((latencies.length / options.durationMs) * 1000 * 10) / 10,
    latencyMs: { p50: Math.round(percentile(latencies, 50) * 10) / 10, p99: Math.round(percentile(latencies, 99) * 10) / 10 },
    errors,
    firstError,
  };
}
