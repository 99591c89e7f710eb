import { buildSchema, GraphQLScalarType, parse, type OperationDefinitionNode } from 'graphql';
import { DateTimeResolver, EmailAddressResolver } from 'graphql-scalars';
import { literalTextProblems, variableProblems } from './input-guard';

const schema = buildSchema(`
  scalar DateTime
  scalar EmailAddress
  enum Phase { PRIMARY SECONDARY }
  input Delegate { name: String! email: String! }
  input EventInput { title: String! startsAt: DateTime! capacity: Int phase: Phase delegates: [Delegate!] }
  type Query { ok: Boolean }
  type Mutation { create(input: EventInput!): Boolean  cancel(id: ID!, reason: String): Boolean  upsert(names: [String!]!): Boolean  subscribe(email: EmailAddress!): Boolean }
`);
// As in every subgraph: DateTime parsed by graphql-scalars.
Object.assign(schema.getType('DateTime') as GraphQLScalarType, { parseValue: DateTimeResolver.parseValue, parseLiteral: DateTimeResolver.parseLiteral });
// A scalar a later subgraph might bring: the guard knows nothing of it, and names it all the same.
Object.assign(schema.getType('EmailAddress') as GraphQLScalarType, { parseValue: EmailAddressResolver.parseValue, parseLiteral: EmailAddressResolver.parseLiteral });

const operationOf = (document: string) => parse(document).definitions[0] as OperationDefinitionNode;
const CREATE = operationOf('mutation($input: EventInput!) { create(input: $input) }');
const valid = { title: 'Ofsted', startsAt: '2027-01-01T09:00:00Z', capacity: 3, phase: 'PRIMARY', delegates: [{ name: 'Sam', email: 'sam@example.org' }] };

describe('variableProblems', () => {
  it('accepts valid variables', () => {
    expect(variableProblems(schema, CREATE, { input: valid })).toEqual([]);
  });

  it.each(['', ' ', "' OR 1=1 --", -1, 1e308, '2026-02-30T25:61:00Z', true, {}, []])('refuses startsAt %p, naming the field', (startsAt) => {
    expect(variableProblems(schema, CREATE, { input: { ...valid, startsAt } })).toEqual([{ field: 'startsAt', message: 'must be a valid DateTime' }]);
  });

  it('names ints out of range, unknown enum values, missing and unknown fields, at any depth', () => {
    expect(variableProblems(schema, CREATE, { input: { ...valid, capacity: 2 ** 31 } })).toEqual([{ field: 'capacity', message: 'must be a valid Int' }]);
    expect(variableProblems(schema, CREATE, { input: { ...valid, phase: 'NOPE' } })).toEqual([{ field: 'phase', message: 'must be a valid Phase' }]);
    expect(variableProblems(schema, CREATE, { input: { ...valid, delegates: [{ name: 'x' }] } })).toEqual([{ field: 'delegates.0.email', message: 'is required' }]);
    expect(variableProblems(schema, CREATE, { input: { ...valid, bogus: 1 } })).toEqual([{ field: 'bogus', message: 'is not a field of EventInput' }]);
    expect(variableProblems(schema, CREATE, {})).toEqual([{ field: 'input', message: 'is required' }]);
  });

  it('refuses NUL and unpaired surrogates anywhere in a variable, naming each field', () => {
    const input = { ...valid, title: 'a\u0000', delegates: [{ name: 'ok', email: 'sam@example.org' }, { name: '\uD800', email: 'x@example.org' }] };
    expect(variableProblems(schema, CREATE, { input })).toEqual([
      { field: 'title', message: 'must not contain a NUL character' },
      { field: 'delegates.1.name', message: 'must be valid Unicode text (it has an unpaired surrogate)' },
    ]);
    const upsert = operationOf('mutation($names: [String!]!, $id: ID!) { upsert(names: $names) cancel(id: $id) }');
    expect(variableProblems(schema, upsert, { names: ['a', 'b\u0000'], id: '\u0000' }).map((p) => p.field)).toEqual(['names.1', 'id']);
  });

  it('names the field of any custom scalar that refuses a value', () => {
    const subscribe = operationOf('mutation($email: EmailAddress!) { subscribe(email: $email) }');
    expect(variableProblems(schema, subscribe, { email: 'not an address' })).toEqual([{ field: 'email', message: 'must be a valid EmailAddress' }]);
    expect(variableProblems(schema, subscribe, { email: 'reader@example.org' })).toEqual([]);
  });

  it('ignores variables the operation does not declare', () => {
    expect(variableProblems(schema, CREATE, { input: valid, unused: '\u0000' })).toEqual([]);
  });
});

describe('literalTextProblems', () => {
  it('names NUL and unpaired surrogates in the literals of any argument', () => {
    const document = parse('mutation { create(input: { title: "a\\u0000", startsAt: "2027-01-01T09:00:00Z", delegates: [{ name: "\\uD83D\\uDE00", email: "e\\u0000" }] }) cancel(id: "1", reason: "\\u0000") }');
    expect(literalTextProblems(document)).toEqual([
      { field: 'title', message: 'must not contain a NUL character' },
      { field: 'delegates.0.email', message: 'must not contain a NUL character' },
      { field: 'reason', message: 'must not contain a NUL character' },
    ]);
  });
});
