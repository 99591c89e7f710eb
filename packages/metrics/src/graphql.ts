/**
 * Requests, latency and errors per GraphQL operation, as an Apollo Server plugin. Errors are
 * counted from the response as sent (after formatError), so the code counted is the code the
 * client saw.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';
import { BoundedLabel, METRIC_PREFIX } from './registry';

/** A request whose document never resolved to an operation (unparseable, invalid, unknown operationName). */
export const UNRESOLVED_OPERATION = 'unresolved';
/** A resolved operation without a name. */
export const ANONYMOUS_OPERATION = 'anonymous';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

export interface GraphqlMetrics {
  plugin: ApolloServerPlugin<BaseContext>;
}

export function graphqlMetrics(registry: Registry): GraphqlMetrics {
  const labelNames = ['operation', 'type'] as const;
  const requests = new Counter({
    name: `${METRIC_PREFIX}graphql_requests_total`,
    help: 'GraphQL requests answered, by operation name and type (query, mutation)',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${METRIC_PREFIX}graphql_request_duration_seconds`,
    help: 'Time from receiving a GraphQL request to sending its answer, by operation',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: `${METRIC_PREFIX}graphql_errors_total`,
    help: 'GraphQL errors in answers, by operation and extensions.code',
    labelNames: ['operation', 'code'] as const,
    registers: [registry],
  });
  // Operation names come from clients: bounded so invented names cannot grow the series for ever.
  const operations = new BoundedLabel(300, GRAPHQL_NAME);
  const codes = new BoundedLabel(50, ERROR_CODE, 60);

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(context) {
          const operation = context.operation ? operations.value(context.operationName ?? ANONYMOUS_OPERATION) : UNRESOLVED_OPERATION;
          const type = context.operation?.operation ?? 'unknown';
          requests.inc({ operation, type });
          duration.observe({ operation, type }, Number(process.hrtime.bigint() - started) / 1e9);
          const body = context.response.body;
          const sent = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          for (const error of sent ?? []) {
            const code = error.extensions?.code;
            errors.inc({ operation, code: typeof code === 'string' ? codes.value(code) : 'NONE' });
          }
        },
      };
    },
  };
  return { plugin };
}
