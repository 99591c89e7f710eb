/**
 * Property: whatever a signed-in caller sends to any mutation, the answer is a contract code,
 * never INTERNAL_SERVER_ERROR or a 5xx, and never SQL, a stack frame or a file path.
 *
 * The mutations and their input types come from the committed supergraph (what the gateway
 * serves), so a subgraph's new mutation is fuzzed the day it lands. The token has every role, so
 * requests get past the role checks into validation and the services. fast-check runs with a fixed
 * seed per mutation and a bounded number of runs shared out between the mutations
 * (FUZZ_REQUESTS, default 600 in all), so the test is repeatable and its time stays moderate.
 */
import fc from 'fast-check';
import { getNamedType, isCompositeType, type GraphQLField } from 'graphql';
import { ROLES, signToken } from '@sendco/auth';
import { hostileValue, LEAK_PATTERNS } from '../support/hostile-input';
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
const runsPerMutation = Math.max(10, Math.floor(TOTAL_REQUESTS / Math.max(1, mutations.length)));

/** `mutation Fuzz($a0: BookEventInput!) { bookEvent(input: $a0) { __typename } }`, whatever the mutation. */
function operationFor(mutation: GraphQLField<unknown, unknown>): string {
  const variables = mutation.args.map((arg, i) => `$a${i}: ${arg.type.toString()}`).join(', ');
  const args = mutation.args.map((arg, i) => `${arg.name}: $a${i}`).join(', ');
  const selection = isCompositeType(getNamedType(mutation.type)) ? ' { __typename }' : '';
  return `mutation Fuzz${variables ? `(${variables})` : ''} { ${mutation.name}${args ? `(${args})` : ''}${selection} }`;
}

function seedOf(name: string): number {
  let hash = SEED;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

let stack: TestStack;
let everyRole: string;
/** Real ids (an event, its workshop, a place, a school's URN) so some requests reach existing rows. */
const ids: string[] = [];

beforeAll(async () => {
  stack = await startTestStack('fuzz');
  const admin = await stack.token('ADMIN');
  everyRole = await signToken({ sub: 'fuzz', roles: [...ROLES], schoolUrn: '900001', email: 'fuzz@example.org', name: 'Fuzz' }, stack.authSecret);
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
});

afterAll(async () => {
  await stack?.stop();
});

it('discovers the mutations from the composed supergraph', () => {
  expect(mutations.map((m) => m.name)).toEqual(expect.arrayContaining(['upsertSchools', 'createEvent', 'bookEvent', 'cancelPlace']));
});

describe.each(mutations.map((m) => [m.name, m] as const))('%s', (_name, mutation) => {
  it(`answers every hostile input with a contract code (${runsPerMutation} runs)`, async () => {
    const query = operationFor(mutation);
    const variablesOf = (kind: 'hostile' | 'well-typed') =>
      fc.record(Object.fromEntries(mutation.args.map((arg, i) => [`a${i}`, hostileValue(arg.type, { ids, kind })])), {
        requiredKeys: kind === 'well-typed' ? mutation.args.map((_arg, i) => `a${i}`) : [],
      });
    const variables = fc.oneof(variablesOf('hostile'), variablesOf('well-typed'));
    await fc.assert(
      fc.asyncProperty(variables, async (vars) => {
        const response = await fetch(stack.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${everyRole}` },
          body: JSON.stringify({ query, variables: vars }),
        });
        const text = await response.text();
        const answer = JSON.parse(text) as GraphQLResponse;
        const problems = [
          ...(response.status >= 500 ? [`HTTP ${response.status}`] : []),
          ...(answer.errors ?? []).filter((e) => !ALLOWED_CODES.has(e.extensions?.code ?? '')).map((e) => `code ${e.extensions?.code}: ${e.message}`),
          ...LEAK_PATTERNS.filter((pattern) => pattern.test(text)).map((pattern) => `leaks ${pattern}: ${text.slice(0, 300)}`),
        ];
        if (process.env.FUZZ_VERBOSE) process.stderr.write(`${mutation.name} ${response.status} ${(answer.errors ?? []).map((e) => e.extensions?.code).join(',') || 'ok'}\n`);
        if (problems.length) throw new Error(`${mutation.name}: ${problems.join('; ')}`);
      }),
      { seed: seedOf(mutation.name), numRuns: runsPerMutation, endOnFailure: true },
    );
  });
});
