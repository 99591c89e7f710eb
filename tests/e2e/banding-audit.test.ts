/**
 * "Every read of a return is audited", checked against the schema rather than a list someone keeps:
 * the test walks the composed supergraph from every Query and Mutation field to every type path
 * that reaches BandingPupil, and runs each such operation through the gateway (selecting the
 * path down to the pupils), then checks the audit log has exactly one new read of that return.
 *
 * Operations outside banding reach pupils only through the School entity's `bandingReturn`
 * field (event → places → school, referral → school, ...): the banding subgraph then sees the
 * same `_entities` request whichever operation it came from, so those are grouped under that one
 * way in, which is run by `school`, by `_entities` straight at the subgraph, and by one query and
 * one mutation of each other subgraph whose answers can carry a school with a return (training's
 * bookEvent and event, clinics' referToOutreach and outreachReferrals). A new way in (a banding
 * field, or another entity field leading to pupils) fails the test until it has a recipe here.
 * (Clinics reach pupils in the schema through `deliveringSchool`, a special school, which never
 * has a return: startBandingReturn refuses special schools.)
 */
import { getNamedType, isInterfaceType, isObjectType, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { ROLES, signToken } from '@sendco/auth';
import { CSV_HEADER, pupilInput, CI, sendcoToken } from '../support/banding';
import { codes, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { supergraphApiSchema } from '../support/supergraph';
import { at, createPublishedEvent, DAY, HOUR } from '../support/training';

const TARGET = 'BandingPupil';
const AUDIT_LOG = `query Audit($id: ID!) { bandingAuditLog(returnId: $id, first: 100) { edges { node { action actor details } } } }`;

interface Path {
  root: 'Query' | 'Mutation';
  field: string;
  /** Field names from the root field's type down to a field of type BandingPupil. */
  steps: string[];
  /** The same steps as `Parent.field`. */
  fields: string[];
}

type Fields = Record<string, GraphQLField<unknown, unknown>>;
const fieldsOf = (type: GraphQLNamedType): Fields => (isObjectType(type) || isInterfaceType(type) ? type.getFields() : {});

/** The shortest path from `type` to a field whose type is BandingPupil (breadth first), as `Parent.field`s, or undefined. */
function pathToPupils(from: GraphQLNamedType): string[] | undefined {
  if (from.name === TARGET) return [];
  const queue: { type: GraphQLNamedType; steps: string[] }[] = [{ type: from, steps: [] }];
  const seen = new Set([from.name]);
  while (queue.length) {
    const { type, steps } = queue.shift()!;
    for (const [name, field] of Object.entries(fieldsOf(type))) {
      const next = getNamedType(field.type);
      if (next.name === TARGET) return [...steps, `${type.name}.${name}`];
      if (!seen.has(next.name) && (isObjectType(next) || isInterfaceType(next))) {
        seen.add(next.name);
        queue.push({ type: next, steps: [...steps, `${type.name}.${name}`] });
      }
    }
  }
  return undefined;
}

/** Every root field that can reach BandingPupil, with its shortest path. */
function operationsReachingPupils(schema: GraphQLSchema): Path[] {
  const paths: Path[] = [];
  for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
    for (const [field, def] of Object.entries(root.getFields())) {
      const fields = pathToPupils(getNamedType(def.type));
      if (fields) paths.push({ root: root.name as Path['root'], field, fields, steps: fields.map((f) => f.split('.')[1]) });
    }
  }
  return paths;
}

/** Where the banding subgraph is entered: the School entity's field, or the (banding) root field itself. */
const wayIn = (path: Path) => (path.fields.includes('School.bandingReturn') ? 'School.bandingReturn' : `${path.root}.${path.field}`);

/** Fields outside Query, Mutation and banding's own types whose type is a return or a pupil: the entity ways in. */
function entityWaysIn(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && !t.name.startsWith('Banding') && t.name !== 'Query' && t.name !== 'Mutation')
    .flatMap((t) => Object.entries(fieldsOf(t)).filter(([, f]) => ['BandingReturn', TARGET].includes(getNamedType(f.type).name)).map(([name]) => `${t.name}.${name}`));
}

/** The selection for a path: `a { b { pupils { id pupilRef } } }`, with `id` where a step has one. */
const selectionOf = (steps: string[]): string => (steps.length === 0 ? '{ id }' : `{ ${steps[0]} ${selectionOf(steps.slice(1))} }`);

/** The pupils in an answer, wherever they are. */
function pupilsIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(pupilsIn);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'pupils' && Array.isArray(v) ? v : pupilsIn(v)));
}

interface Recipe {
  /** The return whose read is expected. */
  urn: string;
  /** Who the audit row must name. */
  actor: string;
  token: () => Promise<string>;
  args: string;
  variables?: (returnId: string) => Record<string, unknown>;
  signature?: string;
}

let stack: TestStack;
let council: string;
const returnIds = new Map<string, string>();

/** How to run each banding way in, against the demo data's returns (900001 DRAFT, 900002 SUBMITTED, 900003 RETURNED). In order: queries, then changes. */
const RECIPES: Record<string, Recipe> = {
  'Query.bandingReturn': { urn: '900001', actor: 'audit-officer', token: () => Promise.resolve(council), signature: '($id: ID!)', args: '(id: $id)', variables: (id) => ({ id }) },
  'Query.bandingReturnsAwaitingQa': { urn: '900002', actor: 'audit-officer', token: () => Promise.resolve(council), args: '(first: 50)' },
  'School.bandingReturn': { urn: '900001', actor: 'sendco-900001', token: () => sendcoToken(stack, '900001'), args: '' },
  'Mutation.startBandingReturn': { urn: '900001', actor: 'sendco-900001', token: () => sendcoToken(stack, '900001'), args: '(urn: "900001", ehcpCount: 9, over25HoursCount: 2)' },
  'Mutation.saveBandingPupil': {
    urn: '900001',
    actor: 'sendco-900001',
    token: () => sendcoToken(stack, '900001'),
    signature: '($id: ID!, $input: BandingPupilInput!)',
    args: '(returnId: $id, input: $input)',
    variables: (id) => ({ id, input: pupilInput({ ref: 'CV-0412', year: 3, hours: 15, primary: CI, levels: [2, 1, 1, 0] }, 'Speech and Language Therapy report.') }),
  },
  'Mutation.uploadBandingPupils': {
    urn: '900001',
    actor: 'sendco-900001',
    token: () => sendcoToken(stack, '900001'),
    signature: '($id: ID!, $csv: String!)',
    args: '(returnId: $id, csv: $csv)',
    variables: (id) => ({ id, csv: `${CSV_HEADER}\nCV-0501,4,10,COMMUNICATION_AND_INTERACTION,1,0,0,0\n` }),
  },
  'Mutation.removeBandingPupil': { urn: '900001', actor: 'sendco-900001', token: () => sendcoToken(stack, '900001'), signature: '($id: ID!)', args: '(returnId: $id, pupilRef: "CV-0501")', variables: (id) => ({ id }) },
  'Mutation.submitBandingReturn': { urn: '900003', actor: 'sendco-900003', token: () => sendcoToken(stack, '900003'), signature: '($id: ID!)', args: '(id: $id)', variables: (id) => ({ id }) },
  'Mutation.qualityAssureBandingReturn': {
    urn: '900002',
    actor: 'audit-officer',
    token: () => Promise.resolve(council),
    signature: '($id: ID!)',
    args: '(id: $id, input: { outcome: RETURNED, comments: "Please check the hours.", pupils: [] })',
    variables: (id) => ({ id }),
  },
};

beforeAll(async () => {
  stack = await startTestStack('banding_audit', { env: { DEMO_DATA: 'true' } });
  council = await stack.token('COUNCIL_OFFICER', { sub: 'audit-officer' });
  for (const urn of ['900001', '900002', '900003']) {
    const answer = await stack.gql(`query($urn: ID!) { school(urn: $urn) { bandingReturn { id } } }`, { urn }, council);
    returnIds.set(urn, answer.data.school.bandingReturn.id);
  }
});

afterAll(async () => {
  await stack?.stop();
});

async function reads(returnId: string): Promise<{ actor: string; via: string }[]> {
  const answer = await stack.gql(AUDIT_LOG, { id: returnId }, council);
  expect(answer.errors).toBeUndefined();
  return answer.data.bandingAuditLog.edges.filter((e: any) => e.node.action === 'return.read').map((e: any) => ({ actor: e.node.actor, via: JSON.parse(e.node.details).via }));
}

const schema = supergraphApiSchema();
const paths = operationsReachingPupils(schema);

describe('every operation in the supergraph that can reach BandingPupil', () => {
  it('is found in the schema, banding and School-entity ways in alike, and each way in has a recipe here', () => {
    const names = paths.map((p) => `${p.root}.${p.field}`);
    // The walk finds banding's own operations and ones from other subgraphs through School.
    expect(names).toEqual(expect.arrayContaining(['Query.bandingReturn', 'Mutation.removeBandingPupil', 'Mutation.qualityAssureBandingReturn', 'Query.school', 'Query.events', 'Mutation.bookEvent']));
    expect(paths.find((p) => p.field === 'events')!.fields).toContain('School.bandingReturn');
    const ways = [...new Set(paths.map(wayIn))].sort();
    expect(ways).toEqual(Object.keys(RECIPES).sort());
    // The only entity field outside banding that leads to a return or a pupil is School.bandingReturn.
    expect(entityWaysIn(schema)).toEqual(['School.bandingReturn']);
  });

  describe.each(Object.keys(RECIPES))('%s', (way) => {
    it('leaves exactly one audit row of the read of the return, by the caller', async () => {
      const recipe = RECIPES[way];
      const returnId = returnIds.get(recipe.urn)!;
      const token = await recipe.token();
      const operation =
        way === 'School.bandingReturn'
          ? { root: 'query', name: 'school', field: `school(urn: "${recipe.urn}")`, steps: ['bandingReturn', 'pupils'] }
          : (() => {
              const path = paths.find((p) => `${p.root}.${p.field}` === way)!;
              return { root: path.root === 'Query' ? 'query' : 'mutation', name: path.field, field: `${path.field}${recipe.args}`, steps: path.steps };
            })();
      const document = `${operation.root}${recipe.signature ?? ''} { ${operation.field} ${selectionOf(operation.steps)} }`;
      const before = await reads(returnId);
      const answer: GraphQLResponse = await stack.gql(document, recipe.variables?.(returnId) ?? {}, token);
      expect(codes(answer)).toEqual([]);
      // The answer really carried pupils (so the check below is about a real read).
      const carried = operation.steps.length === 0 ? [answer.data[operation.name]].filter(Boolean) : pupilsIn(answer.data);
      expect(carried.length).toBeGreaterThan(0);
      const added = (await reads(returnId)).slice(before.length);
      expect(added.map((r) => r.actor)).toEqual([recipe.actor]);
    });
  });

  it('records one read when one request reads the same return twice (aliases, by id and through School)', async () => {
    const returnId = returnIds.get('900001')!;
    const before = await reads(returnId);
    const document = `query($id: ID!) { a: bandingReturn(id: $id) { pupils { id } } b: bandingReturn(id: $id) { pupils { pupilRef } } }`;
    const answer = await stack.gql(document, { id: returnId }, council);
    expect(codes(answer)).toEqual([]);
    expect(answer.data.a.pupils.length).toBeGreaterThan(0);
    expect((await reads(returnId)).slice(before.length)).toEqual([{ actor: 'audit-officer', via: 'bandingReturn' }]);
  });

  it('audits School.bandingReturn { pupils } asked of the banding subgraph straight, as the gateway asks it for any operation', async () => {
    const returnId = returnIds.get('900001')!;
    const before = await reads(returnId);
    const response = await fetch(stack.subgraphUrls.banding, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${council}` },
      body: JSON.stringify({ query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on School { bandingReturn { pupils { id } } } } }`, variables: { reps: [{ __typename: 'School', urn: '900001' }] } }),
    });
    const answer = (await response.json()) as GraphQLResponse;
    expect(answer.errors).toBeUndefined();
    expect(pupilsIn(answer.data).length).toBeGreaterThan(0);
    expect((await reads(returnId)).slice(before.length)).toEqual([{ actor: 'audit-officer', via: 'School.bandingReturn' }]);
  });
});

/**
 * The School way in, from other subgraphs' operations as the front ends send them: a token with
 * every role (SENDCO of 900001 among them, so the return is visible), and the path to the pupils
 * the walk found for each operation.
 */
describe('operations of other subgraphs that reach pupils through School.bandingReturn', () => {
  let everyRole: string;
  let eventId: string;
  const run = async (root: 'Query' | 'Mutation', field: string, signature: string, args: string, variables: Record<string, unknown>) => {
    const path = paths.find((p) => p.root === root && p.field === field)!;
    expect(wayIn(path)).toBe('School.bandingReturn');
    const returnId = returnIds.get('900001')!;
    const before = await reads(returnId);
    const answer = await stack.gql(`${root === 'Query' ? 'query' : 'mutation'}${signature} { ${field}${args} ${selectionOf(path.steps)} }`, variables, everyRole);
    expect(answer.errors ?? []).toEqual([]);
    expect(pupilsIn(answer.data).length).toBeGreaterThan(0);
    expect((await reads(returnId)).slice(before.length)).toEqual([{ actor: 'every-role', via: 'School.bandingReturn' }]);
    return answer.data;
  };

  beforeAll(async () => {
    everyRole = await signToken({ sub: 'every-role', roles: [...ROLES], schoolUrn: '900001', email: 'every.role@example.org', name: 'Every Role' }, stack.authSecret);
    const event = await createPublishedEvent(stack, await stack.token('TRAINING_ADMIN'), {
      title: 'Audit walk briefing',
      category: 'OTHER',
      summary: 'An online session.',
      startsAt: at(20 * DAY),
      endsAt: at(20 * DAY + 2 * HOUR),
      format: 'ONLINE',
      joiningUrl: 'https://meet.example.org/audit-walk',
      capacity: 10,
      cpdHours: 2,
      audience: ['PRIMARY'],
    });
    eventId = event.id;
  });

  it('Mutation.bookEvent (training: Booking.places → Place.school)', async () => {
    const input = { eventId, schoolUrn: '900001', idempotencyKey: 'audit-walk-booking', delegates: [{ name: 'Sam Patel', email: 'every.role@example.org', jobTitle: 'SENDCO' }] };
    await run('Mutation', 'bookEvent', '($input: BookEventInput!)', '(input: $input)', { input });
  });

  it('Query.event (training: Event.places → Place.school)', async () => {
    await run('Query', 'event', '($id: ID!)', '(id: $id)', { id: eventId });
  });

  it('Mutation.referToOutreach and Query.outreachReferrals (clinics: OutreachReferral.school)', async () => {
    const input = { schoolUrn: '900001', package: 'LEADERSHIP', needsSummary: 'Key Stage 2 pupils with social communication needs find unstructured times hard.', contactEmail: 'every.role@example.org' };
    await run('Mutation', 'referToOutreach', '($input: OutreachReferralInput!)', '(input: $input)', { input });
    await run('Query', 'outreachReferrals', '', '(first: 50)', {});
  });
});
