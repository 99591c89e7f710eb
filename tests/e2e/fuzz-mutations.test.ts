/**
 * Property: whatever anyone sends to any mutation, or to any HTML page, the answer is a contract
 * code (or a page), never INTERNAL_SERVER_ERROR or a 5xx, never SQL, a stack frame or a file path,
 * and a page never shows hostile markup as markup.
 *
 * The mutations, their input types and their return types come from the committed supergraph
 * (what the gateway serves), so a subgraph's new mutation is fuzzed the day it lands. Each
 * mutation is sent with a token holding every role (past the role checks into validation and the
 * services), with each single role, and anonymously, and selects its result's leaf fields (scalars
 * and enums, two levels deep) so those fields' resolvers run on whatever the mutation returned.
 * The HTML routes (the bulletin's pages, the queue dashboard's sign-in page, the dev mailbox and the
 * product's emails in it) get hostile query parameters and form fields. fast-check runs with a
 * fixed seed per case and a bounded number of runs shared out between the cases (FUZZ_REQUESTS,
 * default 600 in all), so the test is repeatable and its time stays moderate.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  validate,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { ROLES, signPurposeToken, signToken, type Role } from '@sendco/auth';
import { BULLETIN_TOKEN_SECRET, subscriberIdOf } from '../support/bulletin';
import { HOSTILE_STRINGS, hostileValue, LEAK_PATTERNS } from '../support/hostile-input';
import { HOSTILE_MARKUP, htmlProblems } from '../support/html-pages';
import { contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { supergraphApiSchema } from '../support/supergraph';
import { at, createPublishedEvent, DAY, HOUR } from '../support/training';

const SEED = 20261126;
const TOTAL_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 600);
/** The codes an answer may carry: the contract's, and GraphQL's own for malformed requests. */
const ALLOWED_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'BOOKING_CLOSED',
  'SAMPLE_INCOMPLETE',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

const schema = supergraphApiSchema();
const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});

/** Who sends: every role at once, each role alone (school roles with a school), nobody. */
type Sender = 'every role' | Role | 'anonymous';
const SENDERS: Sender[] = ['every role', ...ROLES, 'anonymous'];
/** Runs each single role and anonymous get per mutation; every role gets the rest of the mutation's share. */
const SINGLE_SENDER_RUNS = 1;
const MIN_EVERY_ROLE_RUNS = 2;
/** A tenth of the requests go to the HTML routes (at least two per route). */
const HTML_REQUESTS = (routes: number) => Math.max(2 * routes, Math.round(TOTAL_REQUESTS / 10));
const perMutation = (htmlRequests: number) =>
  Math.max((SENDERS.length - 1) * SINGLE_SENDER_RUNS + MIN_EVERY_ROLE_RUNS, Math.floor((TOTAL_REQUESTS - htmlRequests) / Math.max(1, mutations.length)));

interface HtmlRoute {
  method: 'GET' | 'POST';
  /** The path; `:id` / `:file` are filled with a hostile or a real value. */
  path: string;
  /** The signed link the page takes as `?token=`, when it takes one. */
  token?: 'bulletin-preferences' | 'bulletin-unsubscribe' | 'bulletin-confirm';
  /** The form fields it reads (more are sent). */
  fields?: string[];
  /** Pages that show people's text (the dev mailbox): what they show may look like anything but markup. */
  showsMail?: boolean;
}

const HTML_ROUTES: HtmlRoute[] = [
  { method: 'GET', path: '/bulletin/preferences', token: 'bulletin-preferences' },
  { method: 'POST', path: '/bulletin/preferences', token: 'bulletin-preferences', fields: ['topics', 'topics', 'frequency'] },
  { method: 'GET', path: '/bulletin/unsubscribe', token: 'bulletin-unsubscribe' },
  { method: 'POST', path: '/bulletin/unsubscribe', token: 'bulletin-unsubscribe', fields: ['List-Unsubscribe'] },
  { method: 'GET', path: '/bulletin/confirm', token: 'bulletin-confirm' },
  { method: 'POST', path: '/bulletin/confirm', token: 'bulletin-confirm', fields: [] },
  { method: 'GET', path: '/bulletin/manage' },
  { method: 'GET', path: '/bulletin/archive' },
  { method: 'GET', path: '/bulletin/archive/:id' },
  { method: 'GET', path: '/admin/queues/login' },
  { method: 'GET', path: '/dev/mail', showsMail: true },
  { method: 'GET', path: '/dev/mail/:file', showsMail: true },
];

/** How deep the selection of a mutation's result goes: its own leaves, and its object fields' leaves. */
const LEAF_DEPTH = 2;

/** `{ __typename id title … workshops { __typename id … } }`: leaf fields (no required arguments) to LEAF_DEPTH levels. */
function leafSelection(type: GraphQLOutputType, depth = LEAF_DEPTH): string {
  const named = getNamedType(type);
  if (!isCompositeType(named)) return '';
  if (isAbstractType(named)) return `{ __typename ${schema.getPossibleTypes(named).map((t) => `... on ${t.name} ${objectSelection(t, depth)}`).join(' ')} }`;
  return objectSelection(named as GraphQLObjectType, depth);
}

function objectSelection(type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields()).filter((field) => !field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined));
  const leaves = fields.filter((field) => isLeafType(getNamedType(field.type))).map((field) => field.name);
  const nested = depth > 1 ? fields.filter((field) => isCompositeType(getNamedType(field.type))).map((field) => `${field.name} ${leafSelection(field.type, depth - 1)}`) : [];
  return `{ __typename ${[...leaves, ...nested].join(' ')} }`;
}

/** `mutation Fuzz($a0: BookEventInput!) { bookEvent(input: $a0) { __typename id reference places { … } } }`, whatever the mutation. */
function operationFor(mutation: GraphQLField<unknown, unknown>): string {
  const variables = mutation.args.map((arg, i) => `$a${i}: ${arg.type.toString()}`).join(', ');
  const args = mutation.args.map((arg, i) => `${arg.name}: $a${i}`).join(', ');
  return `mutation Fuzz${variables ? `(${variables})` : ''} { ${mutation.name}${args ? `(${args})` : ''} ${leafSelection(mutation.type)} }`;
}

function seedOf(name: string): number {
  let hash = SEED;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

let stack: TestStack;
let everyRole: string;
/** The Authorization header of each sender. */
const authorization = new Map<Sender, string | undefined>();
let subscriberId: string;
/** Real ids (an event, its workshop, a place, a school's URN) so some requests reach existing rows. */
const ids: string[] = [];

beforeAll(async () => {
  // SMTP_URL unset: the fuzzed mutations' emails land in the dev mailbox, whose pages are fuzzed too.
  stack = await startTestStack('fuzz', { env: { SMTP_URL: undefined, BULLETIN_TOKEN_SECRET } });
  const admin = await stack.token('ADMIN');
  everyRole = await signToken({ sub: 'fuzz', roles: [...ROLES], schoolUrn: '900001', email: 'fuzz@example.org', name: 'Fuzz' }, stack.authSecret);
  authorization.set('every role', `Bearer ${everyRole}`).set('anonymous', undefined);
  for (const role of ROLES) authorization.set(role, `Bearer ${await stack.token(role, { schoolUrn: '900001', sub: `fuzz-${role.toLowerCase()}` })}`);
  const schools = await stack.gql(contractOperation('directory.graphql', 'UpsertSchools'), { schools: [{ urn: '900001', name: 'Fuzz School', phase: 'PRIMARY' }] }, admin);
  expect(schools.errors).toBeUndefined();
  const event = await createPublishedEvent(stack, admin, {
    title: 'Fuzzed event',
    category: 'CONFERENCE',
    startsAt: at(60 * DAY),
    endsAt: at(60 * DAY + 6 * HOUR),
    format: 'IN_PERSON',
    venue: { name: 'County Hall' },
    capacity: 50,
    workshops: [{ title: 'Primary', phase: 'PRIMARY', capacity: 25 }, { title: 'Secondary', phase: 'SECONDARY', capacity: 25 }],
  });
  const booking = await stack.gql(
    contractOperation('training.graphql', 'BookEvent'),
    { input: { eventId: event.id, schoolUrn: '900001', idempotencyKey: 'fuzz-fixture-1', delegates: [{ name: 'Sam Patel', email: 'sam@example.org', workshopId: event.workshops[0].id }] } },
    everyRole,
  );
  expect(booking.errors).toBeUndefined();
  ids.push('900001', event.id, event.workshops[0].id, ...booking.data.bookEvent.places.map((p: { id: string }) => p.id));
  // A confirmed bulletin subscriber, so the pages' signed links can be real ones.
  const imported = await stack.gql(
    `mutation($csv: String!) { importSubscribers(csv: $csv, source: "fuzz") { imported } }`,
    { csv: 'email,topics,opted_in_at\nfuzz.reader@example.org,,2025-09-01' },
    await stack.token('BULLETIN_EDITOR'),
  );
  expect(imported.errors).toBeUndefined();
  subscriberId = await subscriberIdOf(stack, 'fuzz.reader@example.org');
});

afterAll(async () => {
  await stack?.stop();
});

it('discovers the mutations from the composed supergraph, and selects leaf fields that validate', () => {
  expect(mutations.map((m) => m.name)).toEqual(expect.arrayContaining(['upsertSchools', 'createEvent', 'bookEvent', 'cancelPlace']));
  for (const mutation of mutations) expect({ mutation: mutation.name, errors: validate(schema, parse(operationFor(mutation))).map((e) => e.message) }).toEqual({ mutation: mutation.name, errors: [] });
  // The selection reaches past __typename: bookEvent's booking, its places and their statuses.
  expect(operationFor(mutations.find((m) => m.name === 'bookEvent')!)).toMatch(/bookEvent\(.*\{ __typename id .*reference.* places \{ __typename id .*status/);
});

/** The problems of one GraphQL answer. */
function graphqlProblems(status: number, text: string): string[] {
  let answer: GraphQLResponse;
  try {
    answer = JSON.parse(text) as GraphQLResponse;
  } catch {
    return [`not JSON (HTTP ${status}): ${text.slice(0, 200)}`];
  }
  return [
    ...(status >= 500 ? [`HTTP ${status}`] : []),
    ...(answer.errors ?? []).filter((e) => !ALLOWED_CODES.has(e.extensions?.code ?? '')).map((e) => `code ${e.extensions?.code}: ${e.message}`),
    // Our own operations are valid: a validation error here means the selection is wrong or over a limit, and the fuzz would test nothing.
    ...(answer.errors ?? []).filter((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && /limit|exceeded|Cannot query|selection/i.test(e.message)).map((e) => `operation refused: ${e.message}`),
    ...LEAK_PATTERNS.filter((pattern) => pattern.test(text)).map((pattern) => `leaks ${pattern}: ${text.slice(0, 300)}`),
  ];
}

const runsPerMutation = perMutation(HTML_REQUESTS(HTML_ROUTES.length));

describe.each(mutations.map((m) => [m.name, m] as const))('%s', (_name, mutation) => {
  const everyRoleRuns = runsPerMutation - (SENDERS.length - 1) * SINGLE_SENDER_RUNS;
  it(`answers every hostile input from every sender with a contract code (${runsPerMutation} runs: ${everyRoleRuns} with every role, ${SINGLE_SENDER_RUNS} per single role and anonymous)`, async () => {
    const query = operationFor(mutation);
    const variablesOf = (kind: 'hostile' | 'well-typed') =>
      fc.record(Object.fromEntries(mutation.args.map((arg, i) => [`a${i}`, hostileValue(arg.type, { ids, kind })])), {
        requiredKeys: kind === 'well-typed' ? mutation.args.map((_arg, i) => `a${i}`) : [],
      });
    const variables = fc.oneof(variablesOf('hostile'), variablesOf('well-typed'));
    for (const sender of SENDERS) {
      const header = authorization.get(sender);
      await fc.assert(
        fc.asyncProperty(variables, async (vars) => {
          const response = await fetch(stack.gatewayUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(header ? { authorization: header } : {}) },
            body: JSON.stringify({ query, variables: vars }),
          });
          const text = await response.text();
          const problems = graphqlProblems(response.status, text);
          if (process.env.FUZZ_VERBOSE) process.stderr.write(`${mutation.name} [${sender}] ${response.status} ${text.slice(0, 160)}\n`);
          if (problems.length) throw new Error(`${mutation.name} as ${sender}: ${problems.join('; ')}`);
        }),
        { seed: seedOf(`${mutation.name}:${sender}`), numRuns: sender === 'every role' ? everyRoleRuns : SINGLE_SENDER_RUNS, endOnFailure: true },
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The HTML routes

const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_MARKUP) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const hostilePairs = fc.array(fc.tuple(fc.constantFrom('token', 'first', 'after', 'topics', 'frequency', 'q', 'x'), hostileText), { maxLength: 4 });

describe('the HTML routes', () => {
  const htmlRuns = Math.floor(HTML_REQUESTS(HTML_ROUTES.length) / HTML_ROUTES.length);
  it.each(HTML_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(`%s: hostile query parameters and form fields come back escaped (${htmlRuns} runs)`, async (_name, route) => {
    const messages = (await (await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/dev/mail/api/messages`)).json()) as { file: string }[];
    const realToken = route.token ? await signPurposeToken({ purpose: route.token, subject: subscriberId }, BULLETIN_TOKEN_SECRET, 3600) : undefined;
    const request = fc.record({
      token: realToken ? fc.oneof(fc.constant(realToken), hostileText) : hostileText,
      params: hostilePairs,
      fields: fc.array(hostileText, { minLength: route.fields?.length ?? 0, maxLength: route.fields?.length ?? 0 }),
      extra: hostilePairs,
      segment: fc.oneof(hostileText, fc.constantFrom(...ids), ...(messages.length ? [fc.constantFrom(...messages.slice(0, 20).map((m) => m.file))] : [])),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ token, params, fields, extra, segment }) => {
        const path = route.path.replace(/:(id|file)/, encodeURIComponent(segment.replace(/[\uD800-\uDFFF]/g, '')));
        const search = new URLSearchParams([...(route.token ? [['token', token] as [string, string]] : []), ...params]);
        const body = route.method === 'POST' ? new URLSearchParams([...(route.fields ?? []).map((name, i): [string, string] => [name, fields[i]]), ...extra]).toString() : undefined;
        const response = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}${path}?${search}`, {
          method: route.method,
          headers: { accept: 'text/html', ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
          body,
          redirect: 'manual',
        });
        const text = await response.text();
        const html = /text\/html/.test(response.headers.get('content-type') ?? '');
        const problems = [
          ...(response.status >= 500 ? [`HTTP ${response.status}`] : []),
          ...(html ? htmlProblems(text, response.headers.get('content-security-policy')) : []),
          ...(route.showsMail ? [] : LEAK_PATTERNS.filter((pattern) => pattern.test(text)).map((pattern) => `leaks ${pattern}: ${text.slice(0, 300)}`)),
        ];
        if (process.env.FUZZ_VERBOSE) process.stderr.write(`${route.method} ${path} ${response.status}\n`);
        if (problems.length) throw new Error(`${route.method} ${path}?${search}: ${problems.join('; ')}`);
      }),
      { seed: seedOf(`${route.method} ${route.path}`), numRuns: htmlRuns, endOnFailure: true },
    );
  });
});
