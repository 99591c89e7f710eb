/**
 * Issue 7's table, tried as a hostile or careless client would, through the gateway (and straight
 * at a subgraph where the row says so): each answer is a contract code, never a 5xx, and what
 * held before still holds. How fast a refusal is belongs to `npm run bench`; here each limit is
 * shown to refuse at the stage that makes it cheap (the token limit while parsing).
 */
import type { ChildProcess } from 'node:child_process';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { codes, contractOperation, freePort, spawnGateway, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { at, DAY, HOUR } from '../support/training';

const CREATE_EVENT = `mutation CreateEvent($input: CreateEventInput!) { createEvent(input: $input) { id } }`;
const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const EVENTS = contractOperation('training.graphql', 'Events');

let stack: TestStack;
let admin: string;
let trainingAdmin: string;

beforeAll(async () => {
  stack = await startTestStack('hardening', {
    env: {
      // The dev mailbox (/dev/mail) is only served when SMTP_URL is unset; no test here reads mail.
      SMTP_URL: undefined,
      ANONYMOUS_MUTATIONS_PER_WINDOW: '5',
      ANONYMOUS_MUTATIONS_WINDOW_SECONDS: '3600',
      // Lets each test be its own client address (X-Forwarded-For), as behind the council's proxy.
      TRUST_PROXY_HOPS: '1',
    },
  });
  admin = await stack.token('ADMIN');
  trainingAdmin = await stack.token('TRAINING_ADMIN');
});

afterAll(async () => {
  await stack?.stop();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: GraphQLResponse }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let parsed: GraphQLResponse;
  try {
    parsed = JSON.parse(text) as GraphQLResponse;
  } catch {
    parsed = { errors: [{ message: text }] };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const asAdmin = (token: string) => ({ authorization: `Bearer ${token}` });

async function countRows(sql: string): Promise<number> {
  const client = new Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

const validEvent = () => ({
  title: 'Hostile input',
  category: 'OTHER',
  startsAt: at(40 * DAY),
  endsAt: at(40 * DAY + 2 * HOUR),
  bookingClosesAt: at(39 * DAY),
  cancellationDeadline: at(38 * DAY),
  format: 'IN_PERSON',
  venue: { name: 'County Hall' },
  capacity: 10,
});

describe('a 50,000-field query (about 550 KB)', () => {
  it('is refused while it is parsed, by the token limit, with 400', async () => {
    const query = `{ events(first: 1) { edges { node { ${'__typename '.repeat(50_000)}} } } }`;
    expect(query.length).toBeGreaterThan(500_000);
    const answer = await post(stack.gatewayUrl, { query });
    expect(answer.status).toBe(400);
    expect(codes(answer.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(answer.body.errors![0].message).toMatch(/more that 2000 tokens/); // graphql-js's own wording
  });

  it('under the token limit, is refused by the field limit before validation', async () => {
    const answer = await post(stack.gatewayUrl, { query: `{ events(first: 1) { edges { node { ${'__typename '.repeat(400)}} } } }` });
    expect(answer.status).toBe(400);
    expect(codes(answer.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors![0].message).toMatch(/field limit of 250 exceeded, found 403/);
  });

  it('a few fields that fan out through lists are refused by the cost limit', async () => {
    const place = 'id delegateName status history { action actor at details } event { id workshops { id placesLeft } places { id history { action at } } }';
    const answer = await post(stack.gatewayUrl, { query: `{ events(first: 100) { edges { node { id places { ${place} } } } } }` }, asAdmin(trainingAdmin));
    expect(answer.status).toBe(400);
    expect(codes(answer.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors![0].message).toMatch(/Cost limit of 3000 exceeded/);
  });

  it('while the contract operations pass', async () => {
    const answer = await post(stack.gatewayUrl, { query: EVENTS, variables: { first: 5 } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});

describe('createEvent with hostile dates', () => {
  const HOSTILE_DATES: unknown[] = ['', ' ', "' OR 1=1 --", -1, 1e308, '2026-02-30T25:61:00Z'];
  const DATE_FIELDS = ['startsAt', 'endsAt', 'bookingClosesAt', 'cancellationDeadline'];

  it.each(DATE_FIELDS)('%s: each is BAD_USER_INPUT naming the field, and no event is written', async (field) => {
    const before = await countRows('SELECT count(*) AS n FROM training.event');
    for (const value of HOSTILE_DATES) {
      const answer = await post(stack.gatewayUrl, { query: CREATE_EVENT, variables: { input: { ...validEvent(), [field]: value } } }, asAdmin(trainingAdmin));
      expect(answer.status).toBeLessThan(500);
      expect(codes(answer.body)).toEqual(['BAD_USER_INPUT']);
      expect(answer.body.errors![0].extensions!.fields).toEqual([{ field, message: 'must be a valid DateTime' }]);
    }
    expect(await countRows('SELECT count(*) AS n FROM training.event')).toBe(before);
  });

  it('written into the document itself (a literal), the same', async () => {
    const literal = `mutation { createEvent(input: { title: "Literal", category: OTHER, startsAt: "2026-02-30T25:61:00Z", endsAt: "${at(40 * DAY)}", format: ONLINE, capacity: 3 }) { id } }`;
    const answer = await post(stack.gatewayUrl, { query: literal }, asAdmin(trainingAdmin));
    expect(answer.status).toBeLessThan(500);
    expect(codes(answer.body)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors![0].extensions!.fields).toEqual([{ field: 'startsAt', message: 'must be a valid DateTime' }]);
  });

  it('an Int beyond 32 bits and an unknown enum value name their fields', async () => {
    const answer = await post(stack.gatewayUrl, { query: CREATE_EVENT, variables: { input: { ...validEvent(), capacity: 2 ** 40, category: 'NOPE' } } }, asAdmin(trainingAdmin));
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'category', message: 'must be a valid EventCategory' },
        { field: 'capacity', message: 'must be a valid Int' },
      ],
    });
  });

  it('a valid event is still created', async () => {
    const answer = await post(stack.gatewayUrl, { query: CREATE_EVENT, variables: { input: validEvent() } }, asAdmin(trainingAdmin));
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.createEvent.id).toEqual(expect.any(String));
  });
});

describe('text Postgres cannot keep', () => {
  it('a NUL in a school name is BAD_USER_INPUT naming it, and no school of the batch is written', async () => {
    const schools = [
      { urn: '970001', name: 'Fine School', phase: 'PRIMARY' },
      { urn: '970002', name: 'Null\u0000School', phase: 'PRIMARY' },
    ];
    const answer = await post(stack.gatewayUrl, { query: UPSERT_SCHOOLS, variables: { schools } }, asAdmin(admin));
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'schools.1.name', message: 'must not contain a NUL character' }] });
    expect(await countRows("SELECT count(*) AS n FROM directory.school WHERE urn IN ('970001', '970002')")).toBe(0);
  });

  it('a NUL in an event summary and in the events text filter', async () => {
    const created = await post(stack.gatewayUrl, { query: CREATE_EVENT, variables: { input: { ...validEvent(), summary: 'a\u0000b' } } }, asAdmin(trainingAdmin));
    expect(created.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'summary', message: 'must not contain a NUL character' }] });
    const filtered = await post(stack.gatewayUrl, { query: EVENTS, variables: { filter: { text: 'Ofsted\u0000' } } });
    expect(filtered.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'text', message: 'must not contain a NUL character' }] });
    const literal = await post(stack.gatewayUrl, { query: '{ events(filter: { text: "a\\u0000" }) { totalCount } }' });
    expect(literal.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'text', message: 'must not contain a NUL character' }] });
  });

  it('an unpaired surrogate in the second delegate of a booking: nothing of the booking is written', async () => {
    const urn = '970010';
    await post(stack.gatewayUrl, { query: UPSERT_SCHOOLS, variables: { schools: [{ urn, name: 'Booking School', phase: 'PRIMARY' }] } }, asAdmin(admin));
    const created = await post(stack.gatewayUrl, { query: CREATE_EVENT, variables: { input: validEvent() } }, asAdmin(trainingAdmin));
    const eventId = created.body.data.createEvent.id as string;
    await post(stack.gatewayUrl, { query: contractOperation('training.graphql', 'PublishEvent'), variables: { id: eventId } }, asAdmin(trainingAdmin));
    const sendco = await stack.token('SENDCO', { schoolUrn: urn });
    const input = {
      eventId,
      schoolUrn: urn,
      idempotencyKey: 'hostile-unicode-1',
      delegates: [
        { name: 'Sam Patel', email: 'sam@example.org' },
        { name: 'Broken \uD800 Name', email: 'broken@example.org' },
      ],
    };
    const answer = await post(stack.gatewayUrl, { query: BOOK_EVENT, variables: { input } }, asAdmin(sendco));
    expect(answer.body.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'delegates.1.name', message: 'must be valid Unicode text (it has an unpaired surrogate)' }],
    });
    expect(await countRows(`SELECT count(*) AS n FROM training.place WHERE event_id = '${eventId}'`)).toBe(0);
    expect(await countRows(`SELECT count(*) AS n FROM training.booking WHERE event_id = '${eventId}'`)).toBe(0);
  });
});

describe('tokens', () => {
  const forged = () =>
    new SignJWT({ sub: 'mallory', roles: ['ADMIN'] }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('x'.repeat(64)));
  const expired = () =>
    new SignJWT({ sub: 'late', roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(stack.authSecret));
  const unsigned = () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["ADMIN"]}').toString('base64url')}.`;

  it('a forged, expired, unsigned or garbage token is 401 UNAUTHENTICATED at the gateway and straight at every subgraph', async () => {
    const tokens = [await forged(), await expired(), unsigned(), 'garbage'];
    const services = [stack.gatewayUrl, ...Object.values(stack.subgraphUrls)];
    for (const url of services) {
      for (const token of tokens) {
        const answer = await post(url, { query: '{ __typename }' }, { authorization: `Bearer ${token}` });
        expect({ url, status: answer.status, codes: codes(answer.body) }).toEqual({ url, status: 401, codes: ['UNAUTHENTICATED'] });
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
      const malformed = await post(url, { query: '{ __typename }' }, { authorization: 'Basic dXNlcjpwYXNz' });
      expect(malformed.status).toBe(401);
    }
  });

  it('a valid token still works straight at a subgraph (the subgraph verifies it itself)', async () => {
    const answer = await post(stack.subgraphUrls.training, { query: '{ __typename }' }, asAdmin(admin));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ __typename: 'Query' });
  });
});

describe('anonymous mutations, per client address', () => {
  const anonymousMutation = (address: string) => post(stack.gatewayUrl, { query: CREATE_EVENT, variables: { input: validEvent() } }, { 'x-forwarded-for': address });

  it('are refused with 429 and Retry-After beyond the limit, for that address only', async () => {
    for (let i = 0; i < 5; i += 1) {
      const answer = await anonymousMutation('203.0.113.7');
      expect(answer.status).toBe(200);
      expect(codes(answer.body)).toEqual(['UNAUTHENTICATED']); // counted all the same: the limit is on anonymous writes
    }
    const refused = await anonymousMutation('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    expect((await anonymousMutation('203.0.113.8')).status).toBe(200);
    const signedIn = await post(stack.gatewayUrl, { query: CREATE_EVENT, variables: { input: validEvent() } }, { ...asAdmin(trainingAdmin), 'x-forwarded-for': '203.0.113.7' });
    expect(signedIn.body.errors).toBeUndefined();
    const anonymousQuery = await post(stack.gatewayUrl, { query: EVENTS, variables: { first: 1 } }, { 'x-forwarded-for': '203.0.113.7' });
    expect(anonymousQuery.status).toBe(200);
  });
});

describe('security headers', () => {
  const base = () => stack.gatewayUrl.replace(/\/graphql$/, '');

  it('every response of every service says nosniff, refuses framing and is not stored', async () => {
    const urls = [stack.gatewayUrl, ...Object.values(stack.subgraphUrls)];
    const responses = [
      ...(await Promise.all(urls.map((url) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...asAdmin(admin) }, body: '{"query":"{ __typename }"}' })))),
      ...(await Promise.all(urls.map((url) => fetch(url.replace(/\/graphql$/, '/healthz'))))),
      await fetch(`${base()}/readyz`),
      await fetch(`${base()}/dev/mail`),
      await fetch(`${base()}/no-such-page`),
      await fetch(`${Object.values(stack.subgraphUrls)[0].replace(/\/graphql$/, '')}/no-such-page`),
    ];
    for (const response of responses) {
      expect({ url: response.url, nosniff: response.headers.get('x-content-type-options') }).toEqual({ url: response.url, nosniff: 'nosniff' });
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
    for (const response of responses.slice(0, urls.length)) expect(response.headers.get('cache-control')).toBe('no-store');
    const notFound = responses[responses.length - 1];
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ errors: [{ message: 'There is nothing at this address.', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('the dev mailbox page keeps its strict policy and forbids framing', async () => {
    const response = await fetch(`${base()}/dev/mail`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('what held before still holds', () => {
  it('500 aliases, 2,000 directives, a 5 MB body, a batch of 200 operations', async () => {
    const manyAliases = await post(stack.gatewayUrl, { query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
    expect(manyAliases.status).toBe(400); // now already by the field limit
    // (graphql-armor lets `__typename` be aliased freely)
    const aliases = await post(stack.gatewayUrl, { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: events(first: 1) { totalCount }`).join(' ')} }` });
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors![0].message).toMatch(/Aliases limit of 30 exceeded/);
    const directives = await post(stack.gatewayUrl, { query: `{ __typename ${'@include(if: true) '.repeat(2000)}}` });
    expect(directives.status).toBe(400);
    const fewDirectives = await post(stack.gatewayUrl, { query: `{ __typename ${'@include(if: true) '.repeat(60)}}` });
    expect(fewDirectives.status).toBe(400);
    expect(fewDirectives.body.errors![0].message).toMatch(/Directives limit of 50 exceeded/);
    const big = await post(stack.gatewayUrl, { query: '{ __typename }', variables: { padding: 'x'.repeat(5_000_000) } });
    expect(big.status).toBe(413);
    const batch = await post(stack.gatewayUrl, Array.from({ length: 200 }, () => ({ query: '{ __typename }' })));
    expect(batch.status).toBe(400);
  });

  it('CSRF: a text/plain POST and a mutation over GET are refused', async () => {
    const plain = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(plain.status).toBe(400);
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('mutation { publishEvent(id: "x") { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(405);
  });

  it('SQL-looking text is only text', async () => {
    const answer = await post(stack.gatewayUrl, { query: EVENTS, variables: { filter: { text: "'; DROP TABLE training.event; --" } } });
    expect(answer.body.errors).toBeUndefined();
    expect(await countRows('SELECT count(*) AS n FROM training.event')).toBeGreaterThan(0);
  });
});

describe('the gateway starts from the committed supergraph', () => {
  const gateways: ChildProcess[] = [];
  afterAll(() => {
    for (const gateway of gateways) gateway.kill('SIGTERM');
  });

  /** Another gateway process on the stack's subgraphs (or where `env` says), answering /healthz. */
  async function startGateway(env: NodeJS.ProcessEnv): Promise<string> {
    const { url, child } = await spawnGateway({
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      AUTH_JWT_SECRET: stack.authSecret,
      SMTP_URL: 'smtp://127.0.0.1:9',
      TRAINING_URL: stack.subgraphUrls.training,
      DIRECTORY_URL: stack.subgraphUrls.directory,
      ...env,
    });
    gateways.push(child);
    return url;
  }

  it("serves at once with a subgraph down, which degrades only that subgraph's fields and /readyz", async () => {
    const url = await startGateway({ DIRECTORY_URL: `http://127.0.0.1:${await freePort()}/graphql` });
    const readiness = await fetch(`${url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ supergraph: 'loaded', subgraphs: { directory: false, training: true } });

    const events = await post(`${url}/graphql`, { query: EVENTS, variables: { first: 1 } });
    expect(events.body.errors).toBeUndefined();
    expect(events.body.data.events.totalCount).toBeGreaterThan(0);
    const school = await post(`${url}/graphql`, { query: '{ school(urn: "970010") { name } }' });
    expect(school.status).toBeLessThan(500);
    expect(school.body.data).toEqual({ school: null });
    expect(school.body.errors).toHaveLength(1);
  });

  it('in production, keeps introspection off', async () => {
    // Production insists on every setting it has no safe default for (packages/config).
    const url = await startGateway({ NODE_ENV: 'production', DATABASE_URL: 'postgres://unused@127.0.0.1:9/unused', BANDING_QA_EMAIL: 'banding-qa@example.org', BULLETIN_TOKEN_SECRET: 'b'.repeat(32) });
    const introspection = await post(`${url}/graphql`, { query: '{ __schema { types { name } } }' });
    expect(introspection.status).toBe(400);
    expect(codes(introspection.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const events = await post(`${url}/graphql`, { query: EVENTS, variables: { first: 1 } });
    expect(events.body.errors).toBeUndefined();
  });
});
