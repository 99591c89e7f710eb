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

// Connections stay open between requests and are reused; as many as the load needs. An idle
// connection is closed after 4 s, before the subgraph's server closes it (Node's keepAliveTimeout
// is 5 s): otherwise a request could be sent on a socket the server is closing at that moment.
// The timeout only closes idle sockets; a request waiting for its answer is not cut off.
const agentOptions = { keepAlive: true, scheduling: 'lifo' as const, timeout: 4000 };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

export const subgraphFetcher: Fetcher = (url, init) =>
  nodeFetch(url, { ...(init as object), agent: (parsed: URL) => (parsed.protocol === 'https:' ? httpsAgent : httpAgent) }) as unknown as ReturnType<Fetcher>;
