/**
 * The one endpoint. Serves the supergraph composed at build time (gateway/supergraph.graphql, see
 * supergraph.ts), verifies the caller's JWT (a bad token is refused here with 401, before any
 * subgraph is asked), forwards the Authorization header and a request id to the subgraphs (which
 * verify the token again), and refuses abuse before it costs much. Where each limit bites: body
 * size while reading the request; tokens while parsing (graphql-js's own `maxTokens`;
 * graphql-armor's max-tokens is an Envelop plugin doing the same); fields right after
 * (field-limit.ts), before validation; depth, aliases, directives and cost as graphql-armor
 * validation rules; anonymous mutations per client address once the operation is known.
 */
import http from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import { createTokenVerifier, type Principal } from '@sendco/auth';
import { SUBGRAPHS, type AppConfig, type SubgraphName } from '@sendco/config';
import { formatError } from '@sendco/errors';
import { finalHandlers, graphqlPostFastPath, inputGuardPlugin, principalOf, securityHeaders } from '@sendco/federation';
import proxyAddr from 'proxy-addr';
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from '@sendco/logger';
import { anonymousMutationLimitPlugin, createAnonymousMutationLimiter } from './anonymous-mutation-limit';
import { devMailboxRouter } from './dev-mailbox';
import { fieldLimit, fieldLimitCheck } from './field-limit';
import { loadSupergraph } from './supergraph';
import { createMetricsRegistry, graphqlMetrics, metricsAccess, metricsEndpoint } from '@sendco/metrics';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from './queue-dashboard';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { forwardHttp, subgraphHttpBase } from './forward-http';

interface GatewayContext {
  authorization?: string;
  requestId: string;
  principal: Principal;
  clientAddress: string;
}

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('requestId' in context)) return; // health checks carry no caller
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  /**
   * A subgraph refuses a whole request with a 4xx and a GraphQL body (bad input: 400, a token
   * it does not accept: 401). That answer is the client's to see, with its code and fields; the
   * base class would turn it into an opaque error, which clients saw as INTERNAL_SERVER_ERROR.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const body = (error.extensions.response as { body?: { errors?: GraphQLFormattedError[] } } | undefined)?.body;
    const first = response.status < 500 && Array.isArray(body?.errors) ? body.errors[0] : undefined;
    if (first && typeof first.message === 'string' && typeof first.extensions?.code === 'string') {
      return new GraphQLError(first.message, { extensions: first.extensions });
    }
    return error;
  }
}

/**
 * graphql-armor's rules throw by default, which Apollo Server answers as a 500; reported to the
 * validation context instead, a query over a limit is a 400 GRAPHQL_VALIDATION_FAILED.
 */
const REPORT_AS_VALIDATION_ERROR = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(config: AppConfig, logger: Logger): Promise<RunningGateway> {
  const subgraphs = SUBGRAPHS.map((name) => ({ name, url: config.subgraphs[name].url }));
  const subgraphFetcher = createSubgraphFetcher(config.gateway.subgraphConnections);
  const gateway = new ApolloGateway({
    supergraphSdl: loadSupergraph(),
    // The supergraph's URLs are placeholders: each subgraph is where this deployment's config says.
    buildService: ({ name }) => new AuthForwardingDataSource({ url: config.subgraphs[name as SubgraphName].url, fetcher: subgraphFetcher }),
  });
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag; nothing revalidates a GraphQL POST, so that is CPU for nothing.
  app.set('etag', false);
  if (config.gateway.trustProxyHops > 0) app.set('trust proxy', config.gateway.trustProxyHops);
  const httpServer = http.createServer();
  const verifier = createTokenVerifier(config.auth);
  const { limits } = config.gateway;
  const metrics = createMetricsRegistry('gateway');
  const anonymousLimiter = createAnonymousMutationLimiter(config);

  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: config.env !== 'production',
    // Counted by the parser itself: a 50,000-field query stops at the limit, before it is fully
    // parsed and long before validation (whose overlapping-fields check is quadratic).
    parseOptions: { maxTokens: limits.tokens },
    validationRules: [
      maxDepthRule({ n: config.gateway.maxQueryDepth, ...REPORT_AS_VALIDATION_ERROR }),
      maxAliasesRule({ n: limits.aliases, ...REPORT_AS_VALIDATION_ERROR }),
      maxDirectivesRule({ n: limits.directives, ...REPORT_AS_VALIDATION_ERROR }),
      costLimitRule({ maxCost: limits.cost, ...REPORT_AS_VALIDATION_ERROR }),
    ],
    formatError: (formatted, error) => formatError(formatted, error, (hidden) => logger.error({ err: hidden }, 'unexpected error at the gateway')),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), anonymousMutationLimitPlugin(anonymousLimiter), inputGuardPlugin(), graphqlMetrics(metrics).plugin],
  });
  await server.start();

  const headers = securityHeaders();
  app.use(headers);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.all(subgraphs.map(async (s) => [s.name, await isReady(s.url)] as const));
    const ready = checks.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', supergraph: 'loaded', subgraphs: Object.fromEntries(checks) });
  });
  // Operations (README "Operations"): metrics for Prometheus, the queue dashboard for admins.
  app.get('/metrics', metricsEndpoint(metrics, metricsAccess(config)));
  const dashboard = config.queueDashboard ? queueDashboard(config, logger) : undefined;
  if (dashboard) app.use(QUEUE_DASHBOARD_PATH, dashboard.router);
  if (config.mail.devMailbox && config.env !== 'production') {
    app.use('/dev/mail', devMailboxRouter(`${config.embedded.dataDir}/mailbox`));
  }
  // The bulletin's one-click unsubscribe (RFC 8058), email links and web archive, on the one public port.
  app.use('/bulletin', forwardHttp(subgraphHttpBase(config.subgraphs.bulletin.url, 'bulletin')));
  // The client's address as express's req.ip gives it (the same proxy-addr with the same trust rule).
  const trusted = (_address: string, hop: number) => hop < config.gateway.trustProxyHops;
  const gatewayContext = async (req: http.IncomingMessage): Promise<GatewayContext> => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const principal = await principalOf(verifier, req.headers.authorization);
    return { authorization: req.headers.authorization, requestId, principal, clientAddress: proxyAddr(req, trusted) ?? req.socket.remoteAddress ?? 'unknown' };
  };
  const checkFields = fieldLimitCheck(limits);
  app.use(
    '/graphql',
    express.json({ limit: config.gateway.maxBodyBytes }),
    fieldLimit(limits, checkFields),
    expressMiddleware(server, { context: ({ req }) => gatewayContext(req) }),
  );
  app.use(...finalHandlers(logger));
  httpServer.on(
    'request',
    graphqlPostFastPath({ server, maxBodyBytes: config.gateway.maxBodyBytes, securityHeaders: headers, context: gatewayContext, precheck: checkFields, logger }, app),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.gateway.port, config.listenHost, resolve);
  });
  const url = `http://localhost:${config.gateway.port}/graphql`;
  logger.info({ url, subgraphs }, 'gateway ready');
  return {
    url,
    close: async () => {
      await server.stop();
      await dashboard?.close();
      await anonymousLimiter?.close();
    },
  };
}

async function isReady(graphqlUrl: string): Promise<boolean> {
  try {
    const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}
