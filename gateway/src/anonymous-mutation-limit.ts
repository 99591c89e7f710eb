/**
 * Anonymous mutations (a bulletin subscription, an unsubscribe, …) are the only writes anyone may
 * send without signing in, so each client address may send a limited number per window; beyond
 * it the answer is HTTP 429 with Retry-After. What is counted is each **mutation field** of the
 * operation, aliases and fragments included: one request of 30 aliased `subscribe` fields is 30
 * sign-ups (and would be 30 confirmation emails), not one request.
 *
 * Where the counters live (rate-limiter-flexible): in Redis when REDIS_URL is set, so every
 * gateway process behind a load balancer shares one limit per client (keys under the queue
 * prefix); should Redis not answer, each process counts in its own memory until it does (the
 * library's insurance limiter) rather than refusing or waving everyone through. Without Redis
 * (the embedded default, one gateway) they are in this process's memory.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { isAnonymous, type Principal } from '@sendco/auth';
import type { AppConfig } from '@sendco/config';
import { rateLimited, requestError } from '@sendco/errors';
import { createRedisClient } from '@sendco/queue';

export interface ClientContext {
  principal: Principal;
  /** The caller's address (X-Forwarded-For only from trusted proxies). */
  clientAddress: string;
}

export interface AnonymousMutationLimiter {
  /** Counts `points` for the address; rejects with a RateLimiterRes when they go beyond the window's limit. */
  consume(address: string, points: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Redis-backed when the config has Redis, memory otherwise; undefined when the limit is off (0). */
export function createAnonymousMutationLimiter(config: Pick<AppConfig, 'queue'> & { gateway: Pick<AppConfig['gateway'], 'anonymousMutations'> }): AnonymousMutationLimiter | undefined {
  const { points, windowSeconds } = config.gateway.anonymousMutations;
  if (points === 0) return undefined;
  const memory = new RateLimiterMemory({ points, duration: windowSeconds });
  if (config.queue.backend !== 'redis') return { consume: (address, n) => memory.consume(address, n), close: async () => undefined };
  // Fail fast while Redis is away (no offline queue, no retries): the insurance limiter answers instead.
  const redis = createRedisClient(config.queue.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined); // reconnects by itself; meanwhile the memory limiter counts
  const limiter: RateLimiterAbstract = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${config.queue.prefix}:anonymous-mutations`,
    points,
    duration: windowSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  return {
    consume: (address, n) => limiter.consume(address, n),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Mutation fields in a selection set: aliases count one each, fragments are followed, `__typename` is free. */
export function countMutationFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countMutationFields(selection.selectionSet, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // A fragment spread twice selects the same fields twice: GraphQL merges them into one field.
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      count += countMutationFields(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}

export function anonymousMutationLimitPlugin(limiter: AnonymousMutationLimiter | undefined): ApolloServerPlugin<ClientContext> {
  if (!limiter) return {};
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (operation?.operation !== 'mutation' || !isAnonymous(contextValue.principal)) return;
          const fragments = Object.fromEntries(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          // At least one: a mutation of only __typename is still a write-shaped request.
          const fields = Math.max(1, countMutationFields(operation.selectionSet, fragments));
          try {
            await limiter.consume(contextValue.clientAddress, fields);
          } catch (refusal) {
            if (!(refusal instanceof RateLimiterRes)) throw refusal;
            throw requestError(rateLimited(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000))));
          }
        },
      };
    },
  };
}
