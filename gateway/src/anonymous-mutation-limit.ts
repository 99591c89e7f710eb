/**
 * Anonymous mutations (a bulletin subscription, an unsubscribe, …) are the only writes anyone may
 * send without signing in, so each client address may send a limited number per window; beyond
 * it the answer is HTTP 429 with Retry-After. The counters live in this gateway's memory
 * (rate-limiter-flexible's RateLimiterMemory): one gateway process per deployment today; several
 * would each count on their own, and would share one store (its Redis or Postgres limiter) instead.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { isAnonymous, type Principal } from '@sendco/auth';
import { rateLimited, requestError } from '@sendco/errors';

export interface ClientContext {
  principal: Principal;
  /** The caller's address (X-Forwarded-For only from trusted proxies). */
  clientAddress: string;
}

export function anonymousMutationLimitPlugin(limit: { points: number; windowSeconds: number }): ApolloServerPlugin<ClientContext> {
  if (limit.points === 0) return {};
  const limiter = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || !isAnonymous(contextValue.principal)) return;
          try {
            await limiter.consume(contextValue.clientAddress);
          } catch (refusal) {
            if (!(refusal instanceof RateLimiterRes)) throw refusal;
            throw requestError(rateLimited(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000))));
          }
        },
      };
    },
  };
}
