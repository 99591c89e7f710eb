/**
 * The error codes the front ends rely on (contract README) and the one error formatter every
 * GraphQL server uses. Clients never see a stack trace, SQL or an internal message: anything
 * that is not a deliberate AppError or a GraphQL request error becomes INTERNAL_SERVER_ERROR.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { databaseProblem } from './database';
import { invalidValueProblem } from './input-problems';

export { BUSY_MESSAGE, DatabaseErrorCode, databaseProblem, uniqueViolationFields, type DatabaseProblem } from './database';

export { describeInvalidValue, fieldName, invalidValueProblem, problemAt, textProblem } from './input-problems';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BOOKING_CLOSED: 'BOOKING_CLOSED',
  SAMPLE_INCOMPLETE: 'SAMPLE_INCOMPLETE',
  /** Too many requests from one client (HTTP 429 with Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A field-level problem: `field` is the input path (e.g. `delegates.0.email`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error meant for the client. Services throw these; they carry no GraphQL. */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = 'You need to sign in to do that.') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const conflict = (message: string, details: Record<string, unknown> = {}) => new AppError(ErrorCode.CONFLICT, message, details);
export const bookingClosed = (message: string) => new AppError(ErrorCode.BOOKING_CLOSED, message);
export const badUserInput = (fields: FieldProblem[], message?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message ?? `Please correct: ${fields.map((f) => `${f.field} (${f.message})`).join('; ')}.`, {
    fields,
  });

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(ErrorCode.RATE_LIMITED, `Too many requests. Please try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });

/** The HTTP status of a whole response refused before execution for this code. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
};

/**
 * An AppError as a GraphQL server expects it when the whole request is refused before any
 * resolver runs (a bad token in the context function, an input guard or a rate limit in a
 * plugin): Apollo Server takes the HTTP status and headers from `extensions.http` (401 with
 * `WWW-Authenticate`, 429 with `Retry-After`) instead of answering 500.
 */
export function requestError(error: AppError): GraphQLError {
  const headers = new Map<string, string>();
  if (error.code === ErrorCode.UNAUTHENTICATED) headers.set('www-authenticate', 'Bearer');
  if (error.code === ErrorCode.RATE_LIMITED) headers.set('retry-after', String(error.details.retryAfterSeconds));
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, ...error.details, http: { status: HTTP_STATUS[error.code] ?? 400, headers } },
  });
}

/** Codes that GraphQL servers (Apollo, type-graphql) produce for request problems; safe to pass on. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/** Flattens class-validator errors (as type-graphql's ArgumentValidationError carries them) to field problems. */
export function flattenValidationErrors(errors: ValidationErrorLike[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Apollo Server `formatError`. `report` receives every error that is hidden from the client,
 * so it can be logged with its stack.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  report: (error: unknown) => void = () => undefined,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  // A literal in the document that its type refuses (`startsAt: "2026-02-30T25:61:00Z"`, an Int
  // beyond 32 bits): graphql-js reports it as a validation error; it is the caller's input.
  const literal = formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? invalidValueProblem(error) : undefined;
  // A timeout, a lock wait given up, a deadlock or a unique violation (packages/errors/src/database.ts).
  const database = original instanceof AppError ? undefined : databaseProblem(original);
  if (database) report(error);
  const appError =
    original instanceof AppError ? original : literal ? badUserInput([literal]) : database ? new AppError(database.code, database.message, database.details) : undefined;
  if (appError) {
    return { ...base, message: appError.message, extensions: { code: appError.code, ...appError.details } };
  }
  const name = (original as { name?: string } | undefined)?.name;
  // type-graphql's ArgumentValidationError carries class-validator's errors (with the whole input
  // echoed back as `target`): keep only field paths and messages.
  const validationErrors =
    (original as { extensions?: { validationErrors?: ValidationErrorLike[] } } | undefined)?.extensions?.validationErrors ??
    (formatted.extensions?.validationErrors as ValidationErrorLike[] | undefined);
  if (name === 'ArgumentValidationError' || validationErrors) {
    const fields = flattenValidationErrors(validationErrors ?? []);
    return { ...base, message: `Please correct: ${fields.map((f) => `${f.field} (${f.message})`).join('; ')}.`, extensions: { code: ErrorCode.BAD_USER_INPUT, fields } };
  }
  if (name === 'AuthenticationError') {
    return { ...base, message: 'You need to sign in to do that.', extensions: { code: ErrorCode.UNAUTHENTICATED } };
  }
  // type-graphql's AuthorizationError (a role check failed) carries code UNAUTHORIZED.
  if (name === 'AuthorizationError' || formatted.extensions?.code === 'UNAUTHORIZED') {
    return { ...base, message: 'You are not allowed to do that.', extensions: { code: ErrorCode.FORBIDDEN } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR && (REQUEST_ERROR_CODES.has(code) || code in ErrorCode)) {
    // Request-shaped errors (parse, validation, variable coercion) and, at the gateway, the
    // already-sanitised errors of subgraphs. Keep the code and the domain details only.
    const safe = Object.fromEntries(
      Object.entries(formatted.extensions ?? {}).filter(([key]) => !['stacktrace', 'exception', 'serviceName', 'query', 'variables', 'http'].includes(key)),
    );
    return { ...base, extensions: safe };
  }
  report(error);
  return { message: 'Something went wrong on our side. Please try again later.', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
