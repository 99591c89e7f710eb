import express from 'express';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { countFields, fieldLimit } from './field-limit';

describe('countFields', () => {
  it('counts every field of the document, in fragments too', () => {
    expect(countFields(parse('{ a b { c d } }'))).toBe(4);
    expect(countFields(parse('query { events { ...E ...E } } fragment E on Event { id title }'))).toBe(3);
  });
});

describe('fieldLimit', () => {
  async function post(body: unknown, method = 'POST'): Promise<{ status: number; body: any; reached: boolean }> {
    let reached = false;
    const app = express();
    app.use(express.json(), fieldLimit({ fields: 5, tokens: 100 }), (_req, res) => {
      reached = true;
      res.json({ ok: true });
    });
    const server = app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const query = method === 'GET' ? `?query=${encodeURIComponent((body as { query: string }).query)}` : '';
      const response = await fetch(`http://127.0.0.1:${port}/${query}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json(), reached };
    } finally {
      server.close();
    }
  }

  it('lets a document within the limit through', async () => {
    expect(await post({ query: '{ a b c d e }' })).toMatchObject({ status: 200, reached: true });
  });

  it('refuses one over it with 400 before the GraphQL server sees it, in a POST, a GET or a batch', async () => {
    for (const [body, method] of [
      [{ query: '{ a b c d e f }' }, 'POST'],
      [{ query: '{ a b c d e f }' }, 'GET'],
      [[{ query: '{ a }' }, { query: '{ a b c d e f }' }], 'POST'],
    ] as const) {
      const answer = await post(body, method);
      expect(answer).toMatchObject({ status: 400, reached: false });
      expect(answer.body.errors[0]).toEqual({ message: 'Syntax Error: Query field limit of 5 exceeded, found 6.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    }
  });

  it('leaves what it cannot parse (or is over the token limit) to the GraphQL server', async () => {
    expect(await post({ query: '{ a ' })).toMatchObject({ status: 200, reached: true });
    expect(await post({ query: `{ ${'a '.repeat(200)}}` })).toMatchObject({ status: 200, reached: true });
    expect(await post({ variables: {} })).toMatchObject({ status: 200, reached: true });
  });

  it('answers a query text it has seen before the same way, from its cache', () => {
    const limit = fieldLimit({ fields: 5, tokens: 100 });
    const run = (query: string) => {
      let status = 0;
      let reached = false;
      const res = { status: (code: number) => ((status = code), res), json: () => res } as never;
      limit({ method: 'POST', body: { query } } as never, res, () => (reached = true));
      return { status, reached };
    };
    for (let i = 0; i < 2; i += 1) {
      expect(run('{ a b c d e f }')).toEqual({ status: 400, reached: false });
      expect(run('{ a b }')).toEqual({ status: 0, reached: true });
      expect(run('{ a ')).toEqual({ status: 0, reached: true });
    }
  });
});
