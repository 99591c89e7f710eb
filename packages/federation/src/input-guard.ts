/**
 * The input guard every GraphQL server runs (each subgraph, and the gateway first): once the
 * operation is known and before any resolver runs, it refuses the whole request as
 * BAD_USER_INPUT, naming each field, when
 *  - a variable does not coerce to its type (a DateTime that is no date, an Int beyond 32 bits,
 *    an unknown enum value): graphql-js would say so too, but without naming the field, and a
 *    subgraph's plain 400 reached clients as INTERNAL_SERVER_ERROR;
 *  - any string argument (variable or literal, at any depth) holds a NUL or an unpaired
 *    surrogate, which Postgres refuses or the driver silently alters.
 * Refusing before execution means nothing is half-written, and a subgraph added later gets the
 * same answers without any code of its own.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  coerceInputValue,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  typeFromAST,
  visit,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { badUserInput, fieldName, problemAt, requestError, textProblem, type FieldProblem } from '@sendco/errors';

type Path = (string | number)[];

/** Problems with the operation's variables: values their types refuse, and text that cannot be stored. */
export function variableProblems(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type) continue; // unknown types are a validation error, reported before this runs
    const value = variables[name];
    if (value === undefined) {
      if (isNonNullType(type) && !definition.defaultValue) problems.push({ field: name, message: 'is required' });
      continue;
    }
    coerceInputValue(value, type, (path, _invalid, error) => {
      problems.push(problemAt([name, ...path], error.message, namedTypeAt(type, path)));
    });
    problems.push(...textProblemsIn(value, [name]));
  }
  return dedupe(problems);
}

/** The name of the type at `path` inside `type` (`['delegates', 0, 'email']` → `String`); undefined where the path leaves the type. */
function namedTypeAt(type: GraphQLInputType, path: readonly (string | number)[]): string | undefined {
  let current: GraphQLInputType | undefined = type;
  for (const step of path) {
    const nullable: GraphQLInputType | undefined = current && (isNonNullType(current) ? current.ofType : current);
    if (typeof step === 'number') current = nullable && isListType(nullable) ? nullable.ofType : undefined;
    else current = nullable && isInputObjectType(nullable) ? nullable.getFields()[step]?.type : undefined;
  }
  return current ? getNamedType(current).name : undefined;
}

/** Text that cannot be stored in the document's own string literals, named by argument. */
export function literalTextProblems(document: DocumentNode): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const search = (value: ValueNode, path: Path): void => {
    if (value.kind === Kind.STRING) {
      const problem = textProblem(value.value);
      if (problem) problems.push({ field: fieldName(path), message: problem });
    } else if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) search(field.value, [...path, field.name.value]);
    } else if (value.kind === Kind.LIST) {
      value.values.forEach((item, index) => search(item, [...path, index]));
    }
  };
  visit(document, {
    Argument(argument) {
      search(argument.value, [argument.name.value]);
    },
  });
  return dedupe(problems);
}

function textProblemsIn(value: unknown, path: Path): FieldProblem[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? [{ field: fieldName(path), message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => textProblemsIn(item, [...path, index]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => textProblemsIn(item, [...path, key]));
  return [];
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0001${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The most problems one answer lists: a hostile 10,000-element list needs no 10,000-line reply. */
const MAX_LISTED_PROBLEMS = 20;

/**
 * Apollo Server hands every request with the same query text the same parsed document (its
 * document cache), so a document's literals are checked once, not on every request.
 */
const literalProblemsByDocument = new WeakMap<DocumentNode, FieldProblem[]>();
function cachedLiteralTextProblems(document: DocumentNode): FieldProblem[] {
  let problems = literalProblemsByDocument.get(document);
  if (!problems) literalProblemsByDocument.set(document, (problems = literalTextProblems(document)));
  return problems;
}

export function inputGuardPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          if (!operation) return; // no operation to run: Apollo answers that itself
          const problems = [...variableProblems(schema, operation, request.variables ?? {}), ...cachedLiteralTextProblems(document)];
          if (problems.length) throw requestError(badUserInput(problems.slice(0, MAX_LISTED_PROBLEMS)));
        },
      };
    },
  };
}
