/**
 * The one endpoint. Composes the subgraphs' schemas at start (IntrospectAndCompose), verifies the
 * caller's JWT (a bad token is refused here, before any subgraph is asked), forwards the
 * Authorization header and a request id to the subgraphs (which verify the token again), and
 * enforces request limits (body size, query depth, aliases).
 */
import http from 'node:http';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import express from 'express';
import { createTokenVerifier, type Principal } from '@sendco/auth';
import { SUBGRAPHS, type AppConfig } from '@sendco/config';
import { formatError } from '@sendco/errors';
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from '@sendco/logger';
import { devMailboxRouter } from './dev-mailbox';
import { forwardHttp, subgraphHttpBase } from './forward-http';

interface GatewayContext {
  authorization?: string;
  requestId: string;
  principal: Principal;
}

class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('requestId' in context)) return; // health checks and composition carry no caller
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(config: AppConfig, logger: Logger): Promise<RunningGateway> {
  const subgraphs = SUBGRAPHS.map((name) => ({ name, url: config.subgraphs[name].url }));
  await waitForSubgraphs(subgraphs, logger);

  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs }),
    buildService: ({ url }) => new AuthForwardingDataSource({ url }),
  });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const verifier = createTokenVerifier(config.auth);

  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: config.env !== 'production',
    validationRules: [maxDepthRule({ n: config.gateway.maxQueryDepth }), maxAliasesRule({ n: 30 })],
    formatError: (formatted, error) => formatError(formatted, error, (hidden) => logger.error({ err: hidden }, 'unexpected error at the gateway')),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  try {
    await server.start();
  } catch (error) {
    throw new Error(`the subgraphs' schemas do not compose into one supergraph:\n${(error as Error).message}`);
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.all(subgraphs.map(async (s) => [s.name, await isReady(s.url)] as const));
    const ready = checks.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', supergraph: 'composed', subgraphs: Object.fromEntries(checks) });
  });
  if (config.mail.devMailbox && config.env !== 'production') {
    app.use('/dev/mail', devMailboxRouter(`${config.embedded.dataDir}/mailbox`));
  }
  // The bulletin's one-click unsubscribe (RFC 8058), email links and web archive, on the one public port.
  app.use('/bulletin', forwardHttp(subgraphHttpBase(config.subgraphs.bulletin.url, 'bulletin')));
  app.use(
    '/graphql',
    express.json({ limit: config.gateway.maxBodyBytes }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        const principal = await verifier.verify(req.headers.authorization);
        return { authorization: req.headers.authorization, requestId, principal };
      },
    }),
  );
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ errors: [{ message: 'The request is too large.', extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    next(error);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.gateway.port, config.listenHost, resolve);
  });
  const url = `http://localhost:${config.gateway.port}/graphql`;
  logger.info({ url, subgraphs }, 'gateway ready');
  return { url, close: () => server.stop() };
}

/** Subgraphs may still be starting (migrations, demo data): wait for each to answer, up to a minute. */
async function waitForSubgraphs(subgraphs: { name: string; url: string }[], logger: Logger, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const subgraph of subgraphs) {
    let logged = false;
    while (!(await isReady(subgraph.url))) {
      if (Date.now() > deadline) throw new Error(`subgraph "${subgraph.name}" did not become ready at ${subgraph.url} within ${timeoutMs / 1000} s`);
      if (!logged) logger.info({ subgraph: subgraph.name }, 'waiting for subgraph');
      logged = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function isReady(graphqlUrl: string): Promise<boolean> {
  try {
    const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}
