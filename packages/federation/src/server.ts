/**
 * The HTTP shell every subgraph runs in: POST /graphql (Apollo Server), GET /healthz (process up),
 * GET /readyz (its database and queue answer), GET /metrics (Prometheus). The JWT forwarded by the gateway is verified here
 * again: a subgraph trusts no one's word for who is asking.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { createTokenVerifier, type AuthContext } from '@sendco/auth';
import type { AppConfig } from '@sendco/config';
import { formatError } from '@sendco/errors';
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from '@sendco/logger';
import { graphqlPostFastPath } from './graphql-http';
import { principalOf, finalHandlers, securityHeaders } from './http-security';
import { inputGuardPlugin } from './input-guard';
import { graphqlMetrics, metricsAccess, metricsEndpoint, type Registry } from '@sendco/metrics';

export interface RequestContext extends AuthContext {
  requestId: string;
  logger: Logger;
}

export interface SubgraphServerOptions {
  name: string;
  port: number;
  config: AppConfig;
  schema: GraphQLSchema;
  logger: Logger;
  /** Throws when a dependency is not ready. */
  readiness: () => Promise<void>;
  /** The process's metrics; the server adds GraphQL request metrics and serves GET /metrics. */
  metrics: Registry;
  /** Plain HTTP pages and endpoints besides GraphQL, mounted at `/<name>` (the gateway forwards them). */
  httpRouter?: express.Router;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startSubgraphServer(options: SubgraphServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag; nothing revalidates a GraphQL POST, so that is CPU for nothing.
  app.set('etag', false);
  const httpServer = http.createServer();
  const verifier = createTokenVerifier(options.config.auth);

  const server = new ApolloServer<RequestContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, (hidden) => logger.error({ err: hidden }, 'unexpected error in resolver')),
    // Inline traces are for Apollo Studio, which a council deployment does not use.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled(), inputGuardPlugin(), graphqlMetrics(options.metrics).plugin],
  });
  await server.start();

  const headers = securityHeaders();
  app.use(headers);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await options.readiness();
      res.json({ status: 'ready', service: options.name });
    } catch (error) {
      logger.warn({ err: error }, 'not ready');
      res.status(503).json({ status: 'not ready', service: options.name });
    }
  });
  app.get('/metrics', metricsEndpoint(options.metrics, metricsAccess(options.config)));
  if (options.httpRouter) app.use(`/${options.name}`, options.httpRouter);
  const context = async (req: http.IncomingMessage): Promise<RequestContext> => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    // A bad token fails the whole request: HTTP 401, UNAUTHENTICATED.
    const principal = await principalOf(verifier, req.headers.authorization);
    return { principal, requestId, logger: logger.child({ requestId, sub: principal.sub }) };
  };
  const maxBodyBytes = options.config.gateway.maxBodyBytes;
  app.use('/graphql', express.json({ limit: maxBodyBytes }), expressMiddleware(server, { context: ({ req }) => context(req) }));
  app.use(...finalHandlers(logger));
  httpServer.on('request', graphqlPostFastPath({ server, maxBodyBytes, securityHeaders: headers, context, logger }, app));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.config.listenHost, resolve);
  });
  const url = `http://127.0.0.1:${options.port}/graphql`;
  logger.info({ url }, `${options.name} subgraph ready`);
  return {
    url,
    close: async () => {
      await server.stop();
    },
  };
}
