/**
 * Hostile values for any GraphQL input type, for the property-based fuzz test: built from the
 * composed schema's types alone (scalars by name, enums, lists, input objects), so a mutation
 * that lands later is covered without a line here. Two kinds of input:
 *  - `hostile`: plausible at most leaves, and at about one leaf in four a value of the wrong type,
 *    unstorable text (NUL, unpaired surrogates), null where it is required, …: refused up front;
 *  - `well-typed`: every value of its type, so the request gets past GraphQL, but at the edges
 *    (NUL, unpaired surrogates, SQL-looking and enormous strings, extreme ints, dates in year 1 or
 *    9999, empty lists).
 */
import fc from 'fast-check';
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';

const DAY_MS = 24 * 3600 * 1000;

/** Strings clients should never be able to hurt us with. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  "' OR 1=1 --",
  "Robert'); DROP TABLE school; --",
  '"; SELECT pg_sleep(10); --',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDC00\uD800',
  '\u202Eevil',
  '\u200B',
  '\t\r\n\u0001\u001F\u007F',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  '%s%n%x',
  '../../../../etc/passwd',
  '=HYPERLINK("http://evil.example")',
  '{"$ne":null}',
  '__proto__',
  'null',
  'NaN',
  '-1',
  '1e308',
  '2026-02-30T25:61:00Z',
  '9'.repeat(400),
  'x'.repeat(20_000),
  '😀'.repeat(100),
];

const HOSTILE_NUMBERS = [-1, 0, -0, 0.5, 1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 5e-324];

/** Values of the wrong JSON type for whatever is expected. */
const WRONG_SHAPES: unknown[] = [true, false, null, {}, { a: 1 }, [], [1, 'x'], [[[]]]];

const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 });

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: anyUtf16 },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(...WRONG_SHAPES) },
);

const futureIso = fc.integer({ min: 1, max: 400 }).map((days) => new Date(Date.now() + days * DAY_MS).toISOString());

/** Plausible values by scalar name; `ids` are real ids of the stack under test (an event, a place, a school's URN…). */
function plausibleScalar(name: string, ids: readonly string[]): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return fc.integer({ min: 0, max: 60 });
    case 'Float':
      return fc.double({ min: 0, max: 10, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return ids.length ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
    case 'String':
      return fc.oneof(
        fc.constantFrom('Preparing for Ofsted', 'County Hall', 'OX1 1ND', 'SENDCO', 'Staff illness', ...ids),
        fc.emailAddress(),
        fc.webUrl({ validSchemes: ['https'] }),
        fc.string({ minLength: 1, maxLength: 30 }),
      );
    default:
      // A custom scalar (DateTime today; EmailAddress, URL, … tomorrow): anything plausible.
      return /date|time/i.test(name) ? futureIso : fc.oneof(futureIso, fc.emailAddress(), fc.webUrl({ validSchemes: ['https'] }), fc.string({ maxLength: 30 }));
  }
}

/** Values of the scalar's own type, at its edges. */
function edgeScalar(name: string, ids: readonly string[]): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return fc.oneof(fc.constantFrom(-1, 0, 2 ** 31 - 1, -(2 ** 31)), fc.integer());
    case 'Float':
      return fc.oneof(fc.constantFrom(-1, 0, 1e308, -1e308, 5e-324), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'Boolean':
      return fc.boolean();
    case 'ID':
    case 'String':
      return fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), plausibleScalar(name, ids));
    default:
      return /date|time/i.test(name)
        ? fc.oneof(fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-03-29T01:30:00+01:00'), futureIso)
        : fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), plausibleScalar(name, ids));
  }
}

export interface HostileOptions {
  kind: 'hostile' | 'well-typed';
  /** Real ids to draw on, so requests reach existing rows. */
  ids: readonly string[];
  /** How deep input objects nest before only nulls are generated (recursive inputs stop here). */
  maxDepth?: number;
}

/** A value for `type`, of the kind asked for (see the top of this file). */
export function hostileValue(type: GraphQLInputType, options: HostileOptions, depth = 0): fc.Arbitrary<unknown> {
  const maxDepth = options.maxDepth ?? 4;
  const wellTyped = options.kind === 'well-typed';
  if (isNonNullType(type)) {
    return wellTyped ? hostileValue(type.ofType, options, depth) : fc.oneof({ weight: 12, arbitrary: hostileValue(type.ofType, options, depth) }, { weight: 1, arbitrary: fc.constant(null) });
  }
  const nullable = getNullableType(type);
  if (depth > maxDepth) return fc.constant(null);
  if (wellTyped) {
    if (isListType(nullable)) return fc.array(hostileValue(nullable.ofType, options, depth + 1), { maxLength: 3 });
    if (isInputObjectType(nullable)) {
      const fields = Object.values(nullable.getFields());
      const model = Object.fromEntries(fields.map((field) => [field.name, hostileValue(field.type, options, depth + 1)]));
      return fc.record(model, { requiredKeys: fields.filter((field) => isNonNullType(field.type)).map((field) => field.name) });
    }
    if (isEnumType(nullable)) return fc.constantFrom(...nullable.getValues().map((v) => v.name));
    if (isScalarType(nullable)) return fc.oneof(plausibleScalar(nullable.name, options.ids), edgeScalar(nullable.name, options.ids));
    return fc.constant(null);
  }
  if (isListType(nullable)) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(hostileValue(nullable.ofType, options, depth + 1), { maxLength: 3 }) },
      { weight: 1, arbitrary: hostileScalar },
    );
  }
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields());
    const model = Object.fromEntries(fields.map((field) => [field.name, hostileValue(field.type, options, depth + 1)]));
    const required = fields.filter((field) => isNonNullType(field.type)).map((field) => field.name);
    return fc.oneof({ weight: 8, arbitrary: fc.record(model, { requiredKeys: required }) }, { weight: 1, arbitrary: hostileScalar });
  }
  if (isEnumType(nullable)) {
    return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...nullable.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: hostileScalar });
  }
  if (isScalarType(nullable)) {
    return fc.oneof({ weight: 3, arbitrary: plausibleScalar(nullable.name, options.ids) }, { weight: 1, arbitrary: hostileScalar });
  }
  return fc.constant(null);
}

/** Things no answer may contain: database errors, SQL, stack frames, file paths, connection errors. */
export const LEAK_PATTERNS: RegExp[] = [
  /syntax error at or near/i,
  /violates (unique|foreign key|not-null|check) constraint/i,
  /invalid input (syntax|value) for/i,
  /invalid byte sequence/i,
  /relation "[^"]+" does not exist/i,
  /column "[^"]+" (of relation|does not exist)/i,
  /duplicate key value/i,
  /QueryFailedError|EntityNotFound|TypeORMError/,
  /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]{0,80}\b(FROM|VALUES|SET|WHERE)\b/,
  /\bat (async )?[\w$.<>]+ \(/,
  /node_modules|\/work\/|\/app\/|dist\/[\w/-]+\.js/,
  /\.(ts|js):\d+:\d+/,
  /stacktrace/i,
  /ECONNREFUSED|ETIMEDOUT|socket hang up/,
];
