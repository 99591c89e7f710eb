/**
 * The machine's ceiling for a booking that crosses HTTP: the bare-SQL baseline's transaction
 * (sql-baseline.ts) served by the simplest Node services there can be, with no GraphQL, ORM,
 * validation, auth or logging in the way. Two child processes, started by run.ts:
 *
 *   node tests/dist/bench/http-floor.js service <port> <databaseUrl> <eventId>   one POST = one transaction
 *   node tests/dist/bench/http-floor.js proxy <port> <serviceUrl>                forwards each POST (keep-alive)
 *
 * 500 POSTs at once straight to the service measure one HTTP hop; through the proxy, two hops, the
 * shape of any gateway in front of a subgraph. Whatever the product reaches is below these, on the
 * same cores in the same run: they say how much of the bare-SQL figure a design with one or two
 * HTTP hops in Node can keep on this machine at all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { freePort } from '../support/stack';
import { postJson } from './http-load';
import { baselineTransaction, prepareBaselineBooking } from './sql-baseline';

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function service(port: number, databaseUrl: string, eventId: string): Promise<http.Server> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const bookingId = await prepareBaselineBooking(pool, eventId);
  await Promise.all(Array.from({ length: 10 }, () => pool.query('SELECT 1')));
  return http.createServer(async (request, response) => {
    try {
      const { i } = JSON.parse(await readBody(request)) as { i: number };
      await baselineTransaction(pool, eventId, bookingId, i);
      answer(response, 200, { data: { booked: i } });
    } catch (error) {
      answer(response, 500, { error: String(error) });
    }
  });
}

function proxy(serviceUrl: string): http.Server {
  const target = new URL(serviceUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return http.createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      const forwarded = http.request(
        { agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (upstream) => {
          readBody(upstream).then((text) => {
            response.writeHead(upstream.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
            response.end(text);
          }, (error) => answer(response, 502, { error: String(error) }));
        },
      );
      forwarded.on('error', (error) => answer(response, 502, { error: String(error) }));
      forwarded.end(body);
    } catch (error) {
      answer(response, 502, { error: String(error) });
    }
  });
}

async function main(): Promise<void> {
  const [mode, port, ...rest] = process.argv.slice(2);
  const server = mode === 'service' ? await service(Number(port), rest[0], rest[1]) : mode === 'proxy' ? proxy(rest[0]) : undefined;
  if (!server) throw new Error('usage: http-floor.js service <port> <databaseUrl> <eventId> | proxy <port> <serviceUrl>');
  server.keepAliveTimeout = 5000;
  server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

export interface HttpFloorResult {
  /** 500 POSTs at once straight to the bare service: one HTTP hop. */
  oneHop: { transactionsPerSecond: number; wallMs: number };
  /** The same through the bare proxy: two hops, like a gateway in front of a subgraph. */
  twoHops: { transactionsPerSecond: number; wallMs: number };
}

async function startChild(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [__filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`http-floor ${args[0]} exited with ${code}`)));
    child.stdout!.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return child;
}

/** `transactions` POSTs at once, each on a connection of its own (as the rush's 500 schools are), with the rush's own client. */
async function rush(url: string, transactions: number, offset: number): Promise<{ transactionsPerSecond: number; wallMs: number }> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: transactions }, async (_, i) => {
      const { status, json } = await postJson<{ data?: unknown; error?: string }>(url, { i: offset + i });
      if (status !== 200 || !json.data) throw new Error(`http floor: ${status} ${json.error ?? ''}`);
    }),
  );
  const wallMs = performance.now() - t0;
  return { transactionsPerSecond: Math.round((transactions / wallMs) * 1000 * 10) / 10, wallMs: Math.round(wallMs) };
}

/** Starts the bare service and proxy, warms them up, then measures one and two hops (run.ts, booking rush). */
export async function measureHttpFloor(databaseUrl: string, eventId: string, transactions: number): Promise<HttpFloorResult> {
  const [servicePort, proxyPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  try {
    children.push(await startChild(['service', String(servicePort), databaseUrl, eventId]));
    children.push(await startChild(['proxy', String(proxyPort), `http://127.0.0.1:${servicePort}/`]));
    const serviceUrl = `http://127.0.0.1:${servicePort}/`;
    const proxyUrl = `http://127.0.0.1:${proxyPort}/`;
    // Warm-up, as warm as the product's (run.ts): JIT, pools, connections.
    for (let round = 0; round < 2; round += 1) {
      await rush(serviceUrl, transactions, 100_000 + round * transactions);
      await rush(proxyUrl, transactions, 200_000 + round * transactions);
    }
    const oneHop = await rush(serviceUrl, transactions, 300_000);
    const twoHops = await rush(proxyUrl, transactions, 400_000);
    return { oneHop, twoHops };
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}
