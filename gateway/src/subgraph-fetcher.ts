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

// Connections stay open between requests and are reused; as many as the load needs.
const httpAgent = new http.Agent({ keepAlive: true, scheduling: 'lifo' });
const httpsAgent = new https.Agent({ keepAlive: true, scheduling: 'lifo' });

export const subgraphFetcher: Fetcher = (url, init) =>
  nodeFetch(url, { ...(init as object), agent: (parsed: URL) => (parsed.protocol === 'https:' ? httpsAgent : httpAgent) }) as unknown as ReturnType<Fetcher>;
