import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import { describeInvalidValue, fieldName, invalidValueProblem, textProblem } from './input-problems';
import { badUserInput, formatError, rateLimited, requestError, unauthenticated } from './index';

describe('fieldName', () => {
  it('names a field of an input object from inside the argument, and a list or scalar argument by its own name', () => {
    expect(fieldName(['input', 'startsAt'])).toBe('startsAt');
    expect(fieldName(['input', 'delegates', 0, 'email'])).toBe('delegates.0.email');
    expect(fieldName(['schools', 3, 'urn'])).toBe('schools.3.urn');
    expect(fieldName(['id'])).toBe('id');
  });
});

describe('textProblem', () => {
  it('refuses NUL and unpaired surrogates, and accepts every other string', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('\uD800')).toMatch(/unpaired surrogate/);
    expect(textProblem('x\uDC00')).toMatch(/unpaired surrogate/);
    expect(textProblem('\uDC00\uD800')).toMatch(/unpaired surrogate/); // the wrong order pairs nothing
    for (const fine of ['', ' ', "' OR 1=1 --", 'Zoë 😀 Ünïcødé', '\t\n\u0001', '\uD83D\uDE00']) expect(textProblem(fine)).toBeUndefined();
  });
});

describe('describeInvalidValue', () => {
  it.each([
    ['Variable "$input" got invalid value "x"; DateTime cannot represent an invalid date-time-string x.', 'is not a valid value'],
    ['DateTime cannot represent an invalid date-time-string x.', 'must be a valid DateTime'],
    ['Int cannot represent non 32-bit signed integer value: 99999999999', 'must be a valid Int'],
    ['Expected type "Int". Int cannot represent non-integer value: "x"', 'must be a valid Int'],
    ['Expected value of type "[Phase!]!", found "x".', 'must be a valid Phase'],
    ['Value "NOPE" does not exist in "Phase" enum.', 'must be a valid Phase'],
    ['Enum "Phase" cannot represent non-enum value: "x".', 'must be a valid Phase'],
    ['Field "CreateEventInput.startsAt" of required type "DateTime!" was not provided.', 'is required'],
    ['Field "bogus" is not defined by type "CreateEventInput".', 'is not a field of CreateEventInput'],
  ])('%s → %s', (message, expected) => {
    expect(describeInvalidValue(message)).toBe(expected);
  });

  it('never echoes the refused value', () => {
    expect(describeInvalidValue('String cannot represent a non string value: "<script>"')).not.toMatch(/script/);
  });
});

describe('invalidValueProblem (a literal the document validation refused)', () => {
  const schema = buildSchema(`
    input Workshop { title: String! capacity: Int! }
    input EventInput { title: String! capacity: Int workshops: [Workshop!] }
    type Query { ok: Boolean }
    type Mutation { create(input: EventInput!, tags: [Int!]): Boolean }
  `);
  const problemOf = (document: string) => validate(schema, parse(document)).map(invalidValueProblem);

  it('names the field in an input object, a list element, or a scalar list argument', () => {
    expect(problemOf('mutation { create(input: { title: "a", capacity: 99999999999 }) }')).toEqual([{ field: 'capacity', message: 'must be a valid Int' }]);
    expect(problemOf('mutation { create(input: { title: "a", workshops: [{ title: "w", capacity: 1 }, { title: "v", capacity: "x" }] }) }')).toEqual([
      { field: 'workshops.1.capacity', message: 'must be a valid Int' },
    ]);
    expect(problemOf('mutation { create(input: { title: "a" }, tags: [1, 2.5]) }')).toEqual([{ field: 'tags.1', message: 'must be a valid Int' }]);
  });

  it('names a missing and an unknown field', () => {
    expect(problemOf('mutation { create(input: { capacity: 1 }) }')).toEqual([{ field: 'title', message: 'is required' }]);
    expect(problemOf('mutation { create(input: { title: "a", bogus: 1 }) }')).toEqual([{ field: 'bogus', message: 'is not a field of EventInput' }]);
  });

  it('leaves other errors alone', () => {
    expect(problemOf('{ nope }')).toEqual([undefined]);
    expect(invalidValueProblem(new Error('x'))).toBeUndefined();
  });

  it('makes formatError answer BAD_USER_INPUT with the field instead of a validation failure', () => {
    const [error] = validate(schema, parse('mutation { create(input: { title: "a", capacity: "many" }) }'));
    const out = formatError({ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, error);
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'capacity', message: 'must be a valid Int' }] });
    expect(out.message).not.toMatch(/many/);
  });
});

describe('requestError (a whole request refused before execution)', () => {
  const http = (error: GraphQLError) => error.extensions.http as { status: number; headers: Map<string, string> };

  it('answers a bad token 401 with WWW-Authenticate', () => {
    const error = requestError(unauthenticated());
    expect(http(error).status).toBe(401);
    expect(http(error).headers.get('www-authenticate')).toBe('Bearer');
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers a rate limit 429 with Retry-After, and bad input 400 with its fields', () => {
    expect(http(requestError(rateLimited(7))).status).toBe(429);
    expect(http(requestError(rateLimited(7))).headers.get('retry-after')).toBe('7');
    const input = requestError(badUserInput([{ field: 'title', message: 'must not contain a NUL character' }]));
    expect(http(input).status).toBe(400);
    expect(input.extensions.fields).toEqual([{ field: 'title', message: 'must not contain a NUL character' }]);
  });
});
