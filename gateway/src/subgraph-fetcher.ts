/**
 * How the gateway talks to its subgraphs. Apollo Gateway's default fetcher is make-fetch-happen
 * (npm's HTTP client, with cache, integrity and retry layers): under load it was about a fifth
 * of the gateway's CPU, and a plain node-fetch over keep-alive connections costs less than half
 * as much per request (BENCHMARKS.md, `node tests/dist/bench/gateway-fetchers.js`). The
 * subgraphs are a few fixed origins on a private network: nothing to cache, and no retries
 * wanted (a mutation must not be sent twice).
 */
import http from 'node:http';
import https from 'node:https';
import type { Fetcher } from '@apollo/utils.fetcher';
import nodeFetch from 'node-fetch';

/**
 * Connections stay open between requests and are reused. An idle connection is closed after 4 s,
 * before the subgraph's server closes it (Node's keepAliveTimeout is 5 s): otherwise a request
 * could be sent on a socket the server is closing at that moment. The timeout only closes idle
 * sockets; a request waiting for its answer is not cut off.
 *
 * At most `maxConnections` per subgraph (SUBGRAPH_CONNECTIONS): with no cap, 500 bookings at once
 * opened hundreds of connections to the training subgraph, each paid for with a TCP handshake and
 * a new HTTP parser on both sides, and most closed again afterwards (Node keeps 256 idle), although
 * the subgraph answers only as many at once as its database pool allows. Requests beyond the cap
 * wait in the agent's queue, in order, as they would have waited inside the subgraph.
 */
export function createSubgraphFetcher(maxConnections: number): Fetcher {
  const agentOptions = { keepAlive: true, scheduling: 'lifo' as const, timeout: 4000, maxSockets: maxConnections, maxFreeSockets: maxConnections };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  return (url, init) =>
    nodeFetch(url, { ...(init as object), agent: (parsed: URL) => (parsed.protocol === 'https:' ? httpsAgent : httpAgent) }) as unknown as ReturnType<Fetcher>;
}
