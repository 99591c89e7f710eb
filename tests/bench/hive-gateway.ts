/**
 * `node tests/dist/bench/hive-gateway.js [--planner=js|rust] [--dedupe=on|off]`: Hive Gateway (The Guild's
 * `createGatewayRuntime`, graphql-yoga underneath) serving the committed supergraph
 * (gateway/supergraph.graphql), for the benchmark's gateway section to set beside Apollo Gateway
 * (run.ts). Bench-only: the product's gateway stays gateway/src/gateway.ts.
 *
 * It reads the same environment as the product's gateway (packages/config): `PORT` to listen on
 * and each subgraph's `<NAME>_PORT` / `<NAME>_URL`, which replace the supergraph's placeholder
 * URLs. The caller's `authorization` header is passed on to every subgraph, as the product's
 * gateway does; nothing else of the product's gateway is here (no JWT check, no graphql-armor
 * limits, no input guard, no metrics). `--planner=rust` plans with Hive Router's query planner
 * (Rust, a napi binary in @graphql-hive/router-query-planner) through @graphql-hive/router-runtime;
 * the default is the runtime's own JavaScript planner (@graphql-tools/federation).
 *
 * `--dedupe=off` turns off what Hive Gateway does by default and Apollo Gateway does not: a
 * subgraph query identical to one already in flight (same URL, headers and body) waits for that
 * one's answer instead of being sent again (`deduplicateInflightRequests` of
 * @graphql-tools/executor-http). A benchmark whose clients all send the same query is its best
 * case, so the benchmark measures both.
 *
 * Prints `hive-gateway ready <url> <planner>` on stdout once the supergraph is loaded and the
 * port is listening; GET /readiness answers 200 from then on. SIGTERM closes it.
 */
import http from 'node:http';
import { loadConfig, SUBGRAPHS } from '@sendco/config';
import { loadSupergraph } from '@sendco/gateway';

export type HivePlanner = 'js' | 'rust';

/**
 * The little of Hive Gateway's API used here, typed locally. Its own typings (graphql-yoga's)
 * augment graphql's GraphQLErrorExtensions with an `http` shape of their own, and the repository
 * typechecks as one program (tsconfig.test.json): importing them would break the product's
 * packages/errors, which sets Apollo Server's `http` extension. So the packages are required untyped.
 */
interface HiveGatewayConfig {
  supergraph: string;
  unifiedGraphHandler?: unknown;
  transports?: Record<string, unknown>;
  transportEntries?: Record<string, { options?: Record<string, unknown> }>;
  propagateHeaders?: { fromClientToSubgraphs(payload: { request: Request; subgraphName: string }): Record<string, string | undefined> };
  logging?: boolean | 'debug' | 'info' | 'warn' | 'error';
  landingPage?: boolean;
  graphiql?: boolean;
}
interface HiveGatewayRuntime {
  (request: http.IncomingMessage, response: http.ServerResponse): void;
  getSchema(): unknown;
  dispose(): unknown;
}
const { createGatewayRuntime } = require('@graphql-hive/gateway-runtime') as { createGatewayRuntime(config: HiveGatewayConfig): HiveGatewayRuntime };

/** The supergraph with each `@join__graph(name: "<name>", url: "…")` pointing at `urls[name]`. */
export function withSubgraphUrls(supergraphSdl: string, urls: Record<string, string>): string {
  const missing = new Set(Object.keys(urls));
  const sdl = supergraphSdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) => {
    if (!(name in urls)) throw new Error(`the supergraph joins "${name}", which has no URL here`);
    missing.delete(name);
    return `@join__graph(name: "${name}", url: "${urls[name]}")`;
  });
  if (missing.size) throw new Error(`the supergraph does not join ${[...missing].join(', ')}`);
  return sdl;
}

async function main(): Promise<void> {
  const planner = (process.argv.find((a) => a.startsWith('--planner='))?.slice('--planner='.length) ?? 'js') as HivePlanner;
  if (planner !== 'js' && planner !== 'rust') throw new Error(`--planner must be js or rust, not ${planner}`);
  const dedupe = process.argv.find((a) => a.startsWith('--dedupe='))?.slice('--dedupe='.length) ?? 'on';
  if (dedupe !== 'on' && dedupe !== 'off') throw new Error(`--dedupe must be on or off, not ${dedupe}`);
  const config = loadConfig(process.env);
  const supergraph = withSubgraphUrls(loadSupergraph(), Object.fromEntries(SUBGRAPHS.map((name) => [name, config.subgraphs[name].url])));

  // Loaded only when asked for: on a platform without a prebuilt binary this is where it fails.
  const unifiedGraphHandler = planner === 'rust' ? (require('@graphql-hive/router-runtime') as { unifiedGraphHandler: unknown }).unifiedGraphHandler : undefined;

  const gateway = createGatewayRuntime({
    supergraph,
    unifiedGraphHandler,
    // The http transport as an object, not found at run time by the package name it would guess.
    transports: { http: require('@graphql-mesh/transport-http') },
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: dedupe === 'on' } } },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? undefined }),
    },
    logging: 'error',
    landingPage: false,
    graphiql: false,
  });
  // Fails here (before "ready") if the supergraph or the planner cannot be loaded.
  await gateway.getSchema();

  const server = http.createServer(gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.gateway.port, config.listenHost, resolve);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(`hive-gateway ready http://127.0.0.1:${config.gateway.port}/graphql planner=${planner} dedupe=${dedupe}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
