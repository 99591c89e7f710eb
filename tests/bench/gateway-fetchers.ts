/**
 * `node tests/dist/bench/gateway-fetchers.js`: the experiment behind the gateway's subgraph
 * fetcher (gateway/src/subgraph-fetcher.ts). One process, one loopback HTTP server answering a
 * small JSON body, 32 requests in flight; the CPU each client spends per request, measured in
 * the same run, alternating: Apollo Gateway's default (make-fetch-happen), node-fetch over a
 * keep-alive agent (what the gateway uses), and Node's own fetch (undici). CPU per request is
 * steadier than requests per second on a shared machine; both are printed.
 */
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { REPO_ROOT } from '../support/stack';

type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ json(): Promise<unknown> }>;

const fromGateway = createRequire(path.join(REPO_ROOT, 'gateway', 'package.json'));
const fromApolloGateway = createRequire(fromGateway.resolve('@apollo/gateway/package.json'));
const makeFetchHappen = fromApolloGateway('make-fetch-happen') as { defaults(options: object): Fetch };
const nodeFetch = fromGateway('node-fetch') as (url: string, init: object) => ReturnType<Fetch>;

const REQUESTS = Number(process.env.BENCH_FETCH_REQUESTS ?? 3000);
const body = JSON.stringify({ data: { events: Array.from({ length: 10 }, (_, i) => ({ id: String(i), title: `Event ${i}`.padEnd(40, '.') })) } });

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  const agent = new http.Agent({ keepAlive: true });
  const variants: [string, Fetch][] = [
    ['make-fetch-happen (Apollo Gateway default)', makeFetchHappen.defaults({ maxSockets: Infinity, retry: false })],
    ['node-fetch + keep-alive agent (gateway now)', (u, init) => nodeFetch(u, { ...init, agent })],
    ['global fetch (undici)', fetch as unknown as Fetch],
  ];
  // The server's share is the same for every variant; the differences are the clients'.
  console.log(`${REQUESTS} POSTs per variant, 32 in flight; CPU of this process (client + the loopback server) per request:`);
  for (let round = 1; round <= 2; round += 1) {
    for (const [name, fetchWith] of variants) {
      let sent = 0;
      const cpu = process.cpuUsage();
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (sent++ < REQUESTS) {
            const response = await fetchWith(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ events { id title } }"}' });
            await response.json();
          }
        }),
      );
      const used = process.cpuUsage(cpu);
      console.log(`  round ${round}  ${name.padEnd(44)} ${((used.user + used.system) / 1000 / REQUESTS).toFixed(3)} ms CPU/request, ${Math.round((REQUESTS / (Date.now() - started)) * 1000)} req/s`);
    }
  }
  agent.destroy();
  server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
