/**
 * Postgres errors a client can act on, by SQLSTATE: the one mapping every GraphQL server's
 * `formatError` applies (so no resolver maps them itself). Anything else from the database stays
 * INTERNAL_SERVER_ERROR. Nothing of the database's insides (SQL, constraint or table names,
 * values) reaches the client: a unique violation names only the input fields, from its columns.
 */

/** The SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) mapped here. */
export const DatabaseErrorCode = {
  UNIQUE_VIOLATION: '23505',
  /** statement_timeout (DB_STATEMENT_TIMEOUT_MS) cancelled the statement. */
  QUERY_CANCELED: '57014',
  /** lock_timeout (DB_LOCK_TIMEOUT_MS) ended the wait for a row or table lock. */
  LOCK_NOT_AVAILABLE: '55P03',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
} as const;

const BUSY = new Set<string>([
  DatabaseErrorCode.QUERY_CANCELED,
  DatabaseErrorCode.LOCK_NOT_AVAILABLE,
  DatabaseErrorCode.SERIALIZATION_FAILURE,
  DatabaseErrorCode.DEADLOCK_DETECTED,
]);

export const BUSY_MESSAGE =
  'The service was busy and nothing was changed; send it again (a booking sent again with the same idempotencyKey is booked only once).';

/** What the client is told: always CONFLICT (the contract has no code of its own for these). */
export interface DatabaseProblem {
  code: 'CONFLICT';
  message: string;
  details: Record<string, unknown>;
}

interface PgLikeError {
  code?: unknown;
  detail?: unknown;
  driverError?: { code?: unknown; detail?: unknown };
}

/** The SQLSTATE of a node-postgres error, or of the one TypeORM wraps (QueryFailedError.driverError). */
function sqlState(error: PgLikeError): string | undefined {
  const code = error.driverError?.code ?? error.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** `school_urn` → `schoolUrn`: the input field a column holds. */
const fieldOf = (column: string) => column.trim().replace(/^"|"$/g, '').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The columns of a unique violation's detail, `Key (school_urn, idempotency_key)=(…) already exists.` (values dropped). */
export function uniqueViolationFields(detail: unknown): string[] {
  const columns = typeof detail === 'string' ? /^Key \(([^)]*)\)=/.exec(detail)?.[1] : undefined;
  if (!columns) return [];
  // An expression index (lower(email)) names no plain column: keep the plain ones only.
  return columns.split(',').map(fieldOf).filter((field) => /^[a-zA-Z][a-zA-Z0-9]*$/.test(field));
}

/** The client's answer to a database error, or undefined when it is not one the client can act on. */
export function databaseProblem(error: unknown): DatabaseProblem | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as PgLikeError;
  const state = sqlState(e);
  if (!state) return undefined;
  if (BUSY.has(state)) return { code: 'CONFLICT', message: BUSY_MESSAGE, details: { retryable: true } };
  if (state === DatabaseErrorCode.UNIQUE_VIOLATION) {
    const fields = uniqueViolationFields(e.driverError?.detail ?? e.detail);
    const what = fields.length ? `The same ${fields.join(' and ')}` : 'The same value';
    return {
      code: 'CONFLICT',
      message: `${what} was saved by another request at the same moment, so nothing was changed; send it again to see the outcome.`,
      details: { retryable: true, ...(fields.length ? { fields } : {}) },
    };
  }
  return undefined;
}
