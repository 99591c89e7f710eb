/**
 * What every HTTP service (the gateway and each subgraph) does to every request before GraphQL:
 * security headers on every response, and the caller's token checked with a bad one answered
 * 401 (never 500), at whichever service it is sent to.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Principal, TokenVerifier } from '@sendco/auth';
import { AppError, requestError } from '@sendco/errors';
import type { Logger } from '@sendco/logger';

/**
 * helmet's headers (nosniff, Referrer-Policy, HSTS, X-Frame-Options DENY, …), a
 * Content-Security-Policy that forbids framing any page (the Apollo landing page in development,
 * /dev/mail; pages may set a stricter policy of their own), and `Cache-Control: no-store`: the
 * answers carry personal data for whoever's token asked, and nothing here is meant for a cache.
 */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    // Only frame-ancestors here: the landing page loads Apollo's Sandbox from its CDN, and JSON
    // answers run nothing; /dev/mail sets its own strict policy on top.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc, 'frame-ancestors': ["'none'"] },
    },
    frameguard: { action: 'deny' },
  });
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}

/** The principal for a request's Authorization header; a bad token is an HTTP 401 UNAUTHENTICATED answer. */
export async function principalOf(verifier: TokenVerifier, authorization: string | undefined): Promise<Principal> {
  try {
    return await verifier.verify(authorization);
  } catch (error) {
    throw error instanceof AppError ? requestError(error) : error;
  }
}

/**
 * The last handlers of every service: a body over the size limit is 413, one that is not JSON 400,
 * an unknown path 404, and anything else 500 (logged here): all answered as JSON with a contract
 * code, never as Express's HTML error page (which also carried its own policy headers).
 */
/** The JSON body of an answer given before GraphQL runs, in the contract's error shape. */
export function httpErrorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Messages of those answers, the same whichever path (express or graphql-http.ts) gives them. */
export const HTTP_ERROR_MESSAGES = {
  notJson: 'The request body is not valid JSON.',
  failed: 'Something went wrong on our side. Please try again later.',
} as const;

export function finalHandlers(logger: Logger): [RequestHandler, ErrorRequestHandler] {
  const answer = (res: Response, status: number, message: string, code: string) => res.status(status).json(httpErrorBody(message, code));
  const notFound: RequestHandler = (_req, res) => {
    answer(res, 404, 'There is nothing at this address.', 'NOT_FOUND');
  };
  const failed: ErrorRequestHandler = (error: Error & { type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error.type === 'entity.too.large') return answer(res, 413, 'The request is too large.', 'BAD_USER_INPUT');
    if (error.type === 'entity.parse.failed') return answer(res, 400, HTTP_ERROR_MESSAGES.notJson, 'BAD_USER_INPUT');
    logger.error({ err: error }, 'unexpected error in an HTTP handler');
    return answer(res, 500, HTTP_ERROR_MESSAGES.failed, 'INTERNAL_SERVER_ERROR');
  };
  return [notFound, failed];
}
