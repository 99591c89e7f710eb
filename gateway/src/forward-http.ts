/**
 * Plain HTTP routes a subgraph serves beside GraphQL (the bulletin's one-click unsubscribe,
 * its email links and web archive), forwarded from the gateway so that everything public is on
 * the one public port. Method, path, query, body and content type pass through; the answer
 * comes back as it is, with its own Content-Security-Policy.
 */
import express from 'express';

export function forwardHttp(targetBase: string, timeoutMs = 10_000): express.Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    try {
      const hasBody = !['GET', 'HEAD'].includes(req.method) && Buffer.isBuffer(req.body) && req.body.length > 0;
      const upstream = await fetch(`${targetBase}${req.url}`, {
        method: req.method,
        headers: {
          ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          accept: req.headers.accept ?? '*/*',
        },
        body: hasBody ? new Uint8Array(req.body as Buffer) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      res.status(upstream.status);
      // A page's own Content-Security-Policy (the subgraph's page renderer sets it) replaces the gateway's.
      for (const header of ['content-type', 'content-security-policy', 'location', 'www-authenticate', 'retry-after']) {
        const value = upstream.headers.get(header);
        if (value) res.set(header, value);
      }
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.status(502).type('text/plain').send('The service behind this page is not answering. Please try again shortly.');
    }
  });
  return router;
}

/** `http://host:port/graphql` of a subgraph → `http://host:port/<prefix>`. */
export function subgraphHttpBase(graphqlUrl: string, prefix: string): string {
  return `${graphqlUrl.replace(/\/graphql\/?$/, '')}/${prefix}`;
}
