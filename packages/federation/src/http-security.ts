/**
 * What every HTTP service (the gateway and each subgraph) does to every request before GraphQL:
 * security headers on every response, and the caller's token checked with a bad one answered
 * 401 (never 500), at whichever service it is sent to.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import helmet from 'helmet';
import type { Principal, TokenVerifier } from '@sendco/auth';
import { AppError, requestError } from '@sendco/errors';

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

/** A body over the size limit is 413, one that is not JSON 400: both answered as GraphQL errors, never as an HTML error page. */
export function requestBodyErrors(): ErrorRequestHandler {
  return (error: Error & { type?: string }, _req, res, next) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ errors: [{ message: 'The request is too large.', extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    next(error);
  };
}
