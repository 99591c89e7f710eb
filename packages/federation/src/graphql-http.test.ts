import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createLogger } from '@sendco/logger';
import { graphqlPostFastPath } from './graphql-http';
import { securityHeaders } from './http-security';

describe('graphqlPostFastPath', () => {
  let server: ApolloServer<{ who: string }>;
  let httpServer: http.Server;
  let base: string;
  const fellThrough: string[] = [];

  beforeAll(async () => {
    server = new ApolloServer<{ who: string }>({
      typeDefs: 'type Query { hello: String! }',
      resolvers: { Query: { hello: (_: unknown, __: unknown, context: { who: string }) => `hello ${context.who}` } },
    });
    await server.start();
    const fallback = (req: http.IncomingMessage, res: http.ServerResponse) => {
      fellThrough.push(`${req.method} ${req.url}`);
      res.statusCode = 299;
      res.end('fallback');
    };
    const listener = graphqlPostFastPath(
      {
        server,
        maxBodyBytes: 1000,
        securityHeaders: securityHeaders(),
        context: async (req) => {
          if (req.headers.authorization === 'Bearer bad') throw new GraphQLError('bad token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
          return { who: String(req.headers['x-who'] ?? 'anonymous') };
        },
        precheck: (body) => ((body as { query?: string }).query?.includes('tooBig') ? { status: 400, body: { errors: [{ message: 'too big' }] } } : undefined),
        logger: createLogger('test', 'silent'),
      },
      fallback,
    );
    httpServer = http.createServer(listener);
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => httpServer.close(resolve));
    await server.stop();
  });

  beforeEach(() => {
    fellThrough.length = 0;
  });

  const post = (body: string, headers: Record<string, string> = {}, path = '/graphql') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers a JSON POST itself, with the security headers and an exact Content-Length', async () => {
    const response = await post(JSON.stringify({ query: '{ hello }' }), { 'x-who': 'Sam' });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { hello: 'hello Sam' } });
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(fellThrough).toEqual([]);
  });

  it('answers a body that is not a JSON object or array with 400 BAD_USER_INPUT, as the express chain did', async () => {
    for (const body of ['{"query": ', '"a string"', '42']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    expect(fellThrough).toEqual([]);
  });

  it("gives the caller's precheck the last word before Apollo Server, and passes the context's refusal on", async () => {
    const refused = await post(JSON.stringify({ query: '{ tooBig: hello }' }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ errors: [{ message: 'too big' }] });
    const unauthenticated = await post(JSON.stringify({ query: '{ hello }' }), { authorization: 'Bearer bad' });
    expect(unauthenticated.status).toBe(401);
    const answer = (await unauthenticated.json()) as { errors: { extensions: { code: string } }[] };
    expect(answer.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('hands everything else to the express app: GET, other paths and types, bodies over the limit or compressed', async () => {
    await fetch(`${base}/graphql?query=%7Bhello%7D`);
    await post(JSON.stringify({ query: '{ hello }' }), {}, '/graphql?x=1');
    await post(JSON.stringify({ query: '{ hello }' }), {}, '/other');
    await post('{ hello }', { 'content-type': 'text/plain' });
    await post(JSON.stringify({ query: `{ hello }${' '.repeat(1000)}` }));
    await post(JSON.stringify({ query: '{ hello }' }), { 'content-encoding': 'gzip' });
    expect(fellThrough).toEqual(['GET /graphql?query=%7Bhello%7D', 'POST /graphql?x=1', 'POST /other', 'POST /graphql', 'POST /graphql', 'POST /graphql']);
  });
});
