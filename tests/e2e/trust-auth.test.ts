/**
 * Issue 15, "forged tokens, email bombing": user tokens must carry an expiry and, when
 * AUTH_ISSUER / AUTH_AUDIENCE are set, the right `iss` and `aud` (HS256 too), at the gateway and
 * straight at a subgraph; anonymous mutations are counted per mutation field (aliases included),
 * not per request; one mailbox gets at most one confirmation email per hour however many aliased
 * sign-ups arrive at once; and with Redis the anonymous limit is shared by every gateway process.
 */
import type { ChildProcess } from 'node:child_process';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { codes, spawnGateway, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';

const ISSUER = 'https://hub.e2e.example.org';
const AUDIENCE = 'sendco-hub-e2e';
const LIMIT = 30;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack('trust_auth', {
    env: {
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      // The production default, over a window no test outlasts.
      ANONYMOUS_MUTATIONS_PER_WINDOW: String(LIMIT),
      ANONYMOUS_MUTATIONS_WINDOW_SECONDS: '3600',
      // Each test is its own client address (X-Forwarded-For), as behind the council's proxy.
      TRUST_PROXY_HOPS: '1',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: GraphQLResponse }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse };
}

async function countRows(sql: string, params: unknown[] = []): Promise<number> {
  const client = new Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql, params)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** One request with `emails.length` subscribe fields, aliased s0, s1, … (the last unaliased when `unaliasedLast`). */
function aliasedSubscribes(emails: string[], unaliasedLast = false): { query: string } {
  const fields = emails.map((email, i) => `${unaliasedLast && i === emails.length - 1 ? '' : `s${i}: `}subscribe(input: {email: ${JSON.stringify(email)}}) { ok }`);
  return { query: `mutation { ${fields.join(' ')} }` };
}

describe('user tokens', () => {
  const sign = (claims: { iss?: string; aud?: string; exp?: boolean }) => {
    const jwt = new SignJWT({ roles: ['ADMIN'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('intruder').setIssuedAt();
    if (claims.exp !== false) jwt.setExpirationTime('1h');
    if (claims.iss) jwt.setIssuer(claims.iss);
    if (claims.aud) jwt.setAudience(claims.aud);
    return jwt.sign(new TextEncoder().encode(stack.authSecret));
  };

  const refused: [string, () => Promise<string>][] = [
    ['without exp', () => sign({ iss: ISSUER, aud: AUDIENCE, exp: false })],
    ['with another issuer', () => sign({ iss: 'https://other.example.org', aud: AUDIENCE })],
    ['with another audience', () => sign({ iss: ISSUER, aud: 'another-app' })],
    ['without iss and aud', () => sign({})],
  ];

  for (const target of ['gateway', 'training subgraph'] as const) {
    const url = () => (target === 'gateway' ? stack.gatewayUrl : stack.subgraphUrls.training);

    it.each(refused)(`a token %s, signed with the right secret, is refused with 401 UNAUTHENTICATED at the ${target}`, async (_what, make) => {
      const answer = await post(url(), { query: '{ __typename }' }, { authorization: `Bearer ${await make()}` });
      expect(answer.status).toBe(401);
      expect(codes(answer.body)).toEqual(['UNAUTHENTICATED']);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it(`a token with exp, iss and aud (as the tests and npm run token make them) works at the ${target}`, async () => {
      const answer = await post(url(), { query: '{ __typename }' }, { authorization: `Bearer ${await stack.token('ADMIN')}` });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { __typename: expect.any(String) } });
      const alsoRight = await post(url(), { query: '{ __typename }' }, { authorization: `Bearer ${await sign({ iss: ISSUER, aud: AUDIENCE })}` });
      expect(alsoRight.status).toBe(200);
    });
  }
});

describe('anonymous mutations are counted per field, aliases included', () => {
  it(`${LIMIT} aliased subscribes use up the window's ${LIMIT}: the next mutation from that address is refused`, async () => {
    const client = { 'x-forwarded-for': '198.51.100.1' };
    const first = await post(stack.gatewayUrl, aliasedSubscribes(Array.from({ length: LIMIT }, (_, i) => `count-${i}@example.org`)), client);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const next = await post(stack.gatewayUrl, aliasedSubscribes(['count-next@example.org']), client);
    expect(next.status).toBe(429);
    expect(codes(next.body)).toEqual(['RATE_LIMITED']);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await countRows("SELECT count(*) AS n FROM bulletin.subscriber WHERE email = 'count-next@example.org'")).toBe(0);
  });

  it(`one request with ${LIMIT + 1} subscribe fields is refused whole: nobody is signed up or emailed`, async () => {
    const emails = Array.from({ length: LIMIT + 1 }, (_, i) => `over-${i}@example.org`);
    const answer = await post(stack.gatewayUrl, aliasedSubscribes(emails, true), { 'x-forwarded-for': '198.51.100.2' });
    expect(answer.status).toBe(429);
    expect(codes(answer.body)).toEqual(['RATE_LIMITED']);
    expect(await countRows("SELECT count(*) AS n FROM bulletin.subscriber WHERE email LIKE 'over-%'")).toBe(0);
    expect(await countRows("SELECT count(*) AS n FROM bulletin.outbox WHERE payload->'to'->>'email' LIKE 'over-%'")).toBe(0);
  });
});

describe('confirmation emails per mailbox', () => {
  it(`${LIMIT} aliased sign-ups of one mailbox at once (spelled in different cases, with +tags) send it one confirmation email`, async () => {
    const spellings = Array.from({ length: LIMIT }, (_, i) => (i % 3 === 0 ? 'bomb@example.org' : i % 3 === 1 ? `Bomb+${i}@Example.ORG` : `bomb+${i}@example.org`));
    const answer = await post(stack.gatewayUrl, aliasedSubscribes(spellings), { 'x-forwarded-for': '198.51.100.3' });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    // Every field answers alike: nothing tells the sender which sign-up was emailed.
    expect(Object.values(answer.body.data ?? {})).toEqual(spellings.map(() => ({ ok: true })));

    const toBomb = (all: { envelopeTo: string[] }[]) => all.filter((m) => m.envelopeTo.some((to) => /^bomb(\+[^@]*)?@example\.org$/.test(to)));
    await stack.mailbox.waitFor((all) => toBomb(all).length >= 1, 'the one confirmation to bomb@example.org');
    // Committed to the outbox once; then a later sign-up's email has arrived, so nothing of the first request is still on its way.
    expect(await countRows("SELECT count(*) AS n FROM bulletin.outbox WHERE payload->'to'->>'email' LIKE 'bomb%'")).toBe(1);
    await post(stack.gatewayUrl, aliasedSubscribes(['sentinel@example.org']), { 'x-forwarded-for': '198.51.100.4' });
    await stack.mailbox.waitForCount('sentinel@example.org', 1);
    expect(toBomb(stack.mailbox.messages)).toHaveLength(1);

    // Asked again at once: still that one email (the next may go an hour after it).
    const again = await post(stack.gatewayUrl, aliasedSubscribes(['bomb@example.org']), { 'x-forwarded-for': '198.51.100.6' });
    expect(again.status).toBe(200);
    expect(await countRows("SELECT count(*) AS n FROM bulletin.outbox WHERE payload->'to'->>'email' LIKE 'bomb%'")).toBe(1);
  });

  it('keeps a mailbox in its throttle only while it decides something: a sign-up clears the addresses whose hour is over', async () => {
    // The throttle holds plain addresses, also of people who never asked for anything (the bombed).
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      await client.query(`INSERT INTO bulletin.confirmation_throttle (mailbox, sent_at) VALUES ('stale@example.org', now() - interval '61 minutes'), ('recent@example.org', now() - interval '59 minutes')`);
    } finally {
      await client.end();
    }
    const answer = await post(stack.gatewayUrl, aliasedSubscribes(['passer-by@example.org']), { 'x-forwarded-for': '198.51.100.7' });
    expect(answer.body.errors).toBeUndefined();
    const mailboxes = async (list: string[]) => countRows('SELECT count(*) AS n FROM bulletin.confirmation_throttle WHERE mailbox = ANY($1)', [list]);
    expect(await mailboxes(['stale@example.org'])).toBe(0);
    expect(await mailboxes(['recent@example.org', 'passer-by@example.org'])).toBe(2);
  });
});

describe('the anonymous limit across gateway processes', () => {
  const gateways: ChildProcess[] = [];
  afterAll(() => {
    for (const gateway of gateways) gateway.kill('SIGTERM');
  });

  /** A second gateway process with the stack's own settings (same Redis, same subgraphs). */
  async function secondGateway(): Promise<string> {
    const { url, child } = await spawnGateway({ ...stack.env, LOG_LEVEL: 'silent' });
    gateways.push(child);
    return `${url}/graphql`;
  }

  // With Redis configured the counters live there; the embedded default runs one gateway and keeps them in memory.
  const withRedis = process.env.REDIS_URL ? it : it.skip;
  withRedis('is one limit for a client, whichever gateway it reaches (the counters are in Redis)', async () => {
    const other = await secondGateway();
    const client = { 'x-forwarded-for': '198.51.100.5' };
    const half = LIMIT / 2;
    const viaFirst = await post(stack.gatewayUrl, aliasedSubscribes(Array.from({ length: half }, (_, i) => `shared-a${i}@example.org`)), client);
    expect(viaFirst.status).toBe(200);
    const viaSecond = await post(other, aliasedSubscribes(Array.from({ length: half }, (_, i) => `shared-b${i}@example.org`)), client);
    expect(viaSecond.status).toBe(200);
    const beyond = await post(other, aliasedSubscribes(['shared-c@example.org']), client);
    expect(beyond.status).toBe(429);
    expect(codes(beyond.body)).toEqual(['RATE_LIMITED']);
    expect((await post(stack.gatewayUrl, aliasedSubscribes(['shared-d@example.org']), client)).status).toBe(429);
  });
});
