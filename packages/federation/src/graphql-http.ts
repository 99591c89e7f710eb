/**
 * The GraphQL endpoint's common case, `POST /graphql` with a JSON body, served straight from
 * node:http, ahead of express: in the gateway's CPU profile express and its middleware (router,
 * body-parser, raw-body, content negotiation, the Apollo integration) were a fifth of the work of
 * an `Events` request (BENCHMARKS.md, issue 6). It does what that chain did, in the same order,
 * with the same answers: the security headers, the body-size limit, JSON parsing (objects and
 * arrays only, like body-parser's strict mode), the caller's own checks (the gateway's field
 * limit), then Apollo Server's `executeHTTPGraphQLRequest`, its documented integration API.
 *
 * Anything else (GET, another path or content type, a compressed or chunked body, a body without
 * Content-Length or over the limit) goes on to the express app unchanged, which answers it as
 * before (a too-large body: 413 there too).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { Logger } from '@sendco/logger';
import { HTTP_ERROR_MESSAGES, httpErrorBody } from './http-security';

/** An answer the caller's checks give instead of running the operation. */
export interface EarlyAnswer {
  status: number;
  body: unknown;
}

export interface GraphQLPostOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  maxBodyBytes: number;
  /** The express app's security headers middleware (securityHeaders()), applied to these answers too. */
  securityHeaders: RequestHandler;
  context(req: IncomingMessage): Promise<TContext>;
  /** Checks on the parsed body before Apollo Server sees it; an answer ends the request there. */
  precheck?(body: unknown): EarlyAnswer | undefined;
  logger: Logger;
}

/** The headers a middleware sets on every response, read once by running it against a recorder. */
function fixedHeaders(middleware: RequestHandler): [string, string | number | readonly string[]][] {
  const headers: [string, string | number | readonly string[]][] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void headers.push([name, value]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  let called = false;
  middleware({ headers: {} } as never, recorder as never, () => (called = true));
  if (!called) throw new Error('the security headers middleware did not call next()');
  return headers;
}

const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

function answerJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

const notJson = httpErrorBody(HTTP_ERROR_MESSAGES.notJson, 'BAD_USER_INPUT');
const failed = httpErrorBody(HTTP_ERROR_MESSAGES.failed, 'INTERNAL_SERVER_ERROR');

/**
 * A request listener for node:http: serves what it can (see above) and hands everything else to
 * `fallback` (the express app).
 */
export function graphqlPostFastPath<TContext extends BaseContext>(
  options: GraphQLPostOptions<TContext>,
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const securityHeaders = fixedHeaders(options.securityHeaders);
  return (req, res) => {
    const length = Number(req.headers['content-length']);
    const served =
      req.method === 'POST' &&
      req.url === '/graphql' &&
      JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? '') &&
      (req.headers['content-encoding'] === undefined || req.headers['content-encoding'] === 'identity') &&
      req.headers['transfer-encoding'] === undefined &&
      Number.isInteger(length) &&
      length > 0 &&
      length <= options.maxBodyBytes;
    if (!served) {
      fallback(req, res);
      return;
    }
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    serve(options, req, res, length).catch((error: unknown) => {
      options.logger.error({ err: error }, 'unexpected error in an HTTP handler');
      if (!res.headersSent) answerJson(res, 500, failed);
      else res.destroy();
    });
  };
}

async function serve<TContext extends BaseContext>(options: GraphQLPostOptions<TContext>, req: IncomingMessage, res: ServerResponse, length: number): Promise<void> {
  const raw = await readBody(req, length);
  if (raw === undefined) {
    // The client went away before the whole body came, or sent less than it announced.
    if (!res.destroyed) answerJson(res, 400, notJson);
    return;
  }
  const text = raw.toString('utf8');
  // body-parser's strict mode, which the express chain used: only an object or an array.
  const first = text.trimStart()[0];
  let body: unknown;
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or an array');
    body = JSON.parse(text);
  } catch {
    answerJson(res, 400, notJson);
    return;
  }
  const early = options.precheck?.(body);
  if (early) {
    answerJson(res, early.status, early.body);
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await options.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body },
    context: () => options.context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** The body, exactly `length` bytes as announced; undefined if it did not all come. */
function readBody(req: IncomingMessage, length: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const body = Buffer.allocUnsafe(length);
    let received = 0;
    let done = false;
    const finish = (value: Buffer | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      if (received + chunk.length > length) {
        // More than Content-Length said: Node's parser does not allow it, but refuse rather than trust.
        req.removeAllListeners('data');
        reject(new Error('request body longer than its Content-Length'));
        return;
      }
      chunk.copy(body, received);
      received += chunk.length;
    });
    req.on('end', () => finish(received === length ? body : undefined));
    req.on('close', () => {
      if (!req.complete) finish(undefined);
    });
    req.on('error', (error) => (done ? undefined : reject(error)));
  });
}
