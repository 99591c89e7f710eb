/**
 * Naming the field a bad input value sits in, whichever way GraphQL found it: a variable that does
 * not coerce, a literal the document's own validation refused, or text the database cannot keep.
 * The names follow the `extensions.fields` convention of the services' own validation: a field of
 * an input object is named from inside the argument (`startsAt`, `delegates.0.email`); an argument
 * that is a list or a scalar by its own name (`schools.3.urn`, `id`).
 */
import { GraphQLError, Kind, parse, visit, type ASTNode, type ValueNode } from 'graphql';
import type { FieldProblem } from './index';

/** `['input', 'delegates', 0, 'email']` → `delegates.0.email`; `['schools', 3, 'urn']` → `schools.3.urn`; `['id']` → `id`. */
export function fieldName(path: readonly (string | number)[]): string {
  const shown = path.length > 1 && typeof path[1] === 'string' ? path.slice(1) : path;
  return shown.join('.');
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored as text, if it cannot: Postgres refuses NUL in text, and an
 * unpaired UTF-16 surrogate is not Unicode (the driver would silently store U+FFFD instead).
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain a NUL character';
  if (UNPAIRED_SURROGATE.test(value)) return 'must be valid Unicode text (it has an unpaired surrogate)';
  return undefined;
}

/**
 * A plain-language reason for graphql-js's message about a value its type refuses, without
 * echoing the value back (it is the caller's, possibly hostile, text).
 */
export function describeInvalidValue(graphqlMessage: string, expectedType?: string): string {
  const missing = /^Field "(?:[^"]*\.)?([_A-Za-z][_0-9A-Za-z]*)" of required type "[^"]+" was not provided/.exec(graphqlMessage);
  if (missing) return 'is required';
  const unknown = /^Field "([^"]+)" is not defined by type "([^"]+)"/.exec(graphqlMessage);
  if (unknown) return `is not a field of ${unknown[2]}`;
  const typeName =
    expectedType ??
    /^Expected value of type "\[*([_A-Za-z][_0-9A-Za-z]*)/.exec(graphqlMessage)?.[1] ??
    /^Expected type "\[*([_A-Za-z][_0-9A-Za-z]*)/.exec(graphqlMessage)?.[1] ??
    /in "([_A-Za-z][_0-9A-Za-z]*)" enum/.exec(graphqlMessage)?.[1] ??
    /^Enum "([_A-Za-z][_0-9A-Za-z]*)" cannot represent/.exec(graphqlMessage)?.[1] ??
    /^([_A-Za-z][_0-9A-Za-z]*) cannot represent/.exec(graphqlMessage)?.[1];
  return typeName ? `must be a valid ${typeName}` : 'is not a valid value';
}

/**
 * The problem graphql-js reported at `path` (argument or variable first), as a field problem. A
 * missing or unknown input field is reported at the object that should (not) hold it, so its own
 * name is appended. `expectedType` (the named type at `path`, when the caller knows it) is
 * what a refused value should have been; otherwise it is read from graphql-js's message.
 */
export function problemAt(path: readonly (string | number)[], graphqlMessage: string, expectedType?: string): FieldProblem {
  const named =
    /^Field "(?:[^"]*\.)?([_A-Za-z][_0-9A-Za-z]*)" of required type "[^"]+" was not provided/.exec(graphqlMessage)?.[1] ??
    /^Field "([_A-Za-z][_0-9A-Za-z]*)" is not defined by type/.exec(graphqlMessage)?.[1];
  return { field: fieldName(named ? [...path, named] : path), message: describeInvalidValue(graphqlMessage, expectedType) };
}

const VALUE_KINDS = new Set<string>([
  Kind.STRING,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
  Kind.OBJECT_FIELD,
]);

/**
 * For a validation error about a literal value in the document (graphql-js's ValuesOfCorrectType:
 * a DateTime that is no date, an Int beyond 32 bits, an unknown enum value or input field), the
 * field it is in and why; undefined for any other error.
 */
export function invalidValueProblem(error: unknown): FieldProblem | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const node = error.nodes?.[0];
  const position = error.positions?.[0];
  if (!node || position === undefined || !error.source || !VALUE_KINDS.has(node.kind)) return undefined;
  const path = literalPath(error.source.body, position);
  return path ? problemAt(path, error.message) : undefined;
}

/**
 * The argument path (`['input', 'workshops', 0, 'capacity']`) of the value starting at
 * `position`; for an input field starting there (an unknown one), the path of its object.
 */
function literalPath(document: string, position: number): (string | number)[] | undefined {
  let found: (string | number)[] | undefined;
  const search = (value: ValueNode | ASTNode, path: (string | number)[]): void => {
    if (found) return;
    if (value.loc?.start === position && value.kind !== Kind.VARIABLE) {
      found = path;
      return;
    }
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) {
        if (field.loc?.start === position) {
          found = path;
          return;
        }
        search(field.value, [...path, field.name.value]);
      }
    } else if (value.kind === Kind.LIST) {
      value.values.forEach((item, index) => search(item, [...path, index]));
    }
  };
  try {
    visit(parse(document), {
      Argument(argument) {
        search(argument.value, [argument.name.value]);
      },
    });
  } catch {
    return undefined;
  }
  return found;
}
