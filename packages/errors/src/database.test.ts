import { GraphQLError } from 'graphql';
import { BUSY_MESSAGE, databaseProblem, formatError, uniqueViolationFields } from './index';

/** What node-postgres throws, and what TypeORM wraps it in (QueryFailedError keeps it as driverError). */
const pgError = (code: string, message: string, detail?: string) => Object.assign(new Error(message), { code, detail, severity: 'ERROR' });
const typeormError = (driverError: Error) => Object.assign(new Error(`${driverError.message} SELECT * FROM "training"."event" FOR UPDATE`), { name: 'QueryFailedError', driverError });

describe('database errors the client can act on', () => {
  it.each([
    ['57014', 'canceling statement due to statement timeout'],
    ['55P03', 'canceling statement due to lock timeout'],
    ['40P01', 'deadlock detected'],
    ['40001', 'could not serialize access due to concurrent update'],
  ])('%s (%s) is a retryable CONFLICT saying nothing was changed', (code, message) => {
    for (const error of [pgError(code, message), typeormError(pgError(code, message))]) {
      expect(databaseProblem(error)).toEqual({ code: 'CONFLICT', message: BUSY_MESSAGE, details: { retryable: true } });
    }
  });

  it('a unique violation is a CONFLICT naming the input fields of its columns, never the values or the constraint', () => {
    const error = typeormError(
      pgError('23505', 'duplicate key value violates unique constraint "booking_idempotency_key"', 'Key (school_urn, idempotency_key)=(900001, secret-key-1) already exists.'),
    );
    const problem = databaseProblem(error)!;
    expect(problem.code).toBe('CONFLICT');
    expect(problem.details).toEqual({ retryable: true, fields: ['schoolUrn', 'idempotencyKey'] });
    expect(problem.message).toMatch(/schoolUrn and idempotencyKey/);
    expect(problem.message).not.toMatch(/secret-key-1|900001|booking_idempotency_key|SELECT/);
  });

  it('reads only plain columns from the detail', () => {
    expect(uniqueViolationFields('Key (lower(email::text))=(a@b.c) already exists.')).toEqual([]);
    expect(uniqueViolationFields('Key (reference)=(TRN-1) already exists.')).toEqual(['reference']);
    expect(uniqueViolationFields(undefined)).toEqual([]);
  });

  it('leaves other database errors and non-database errors alone', () => {
    expect(databaseProblem(pgError('42P01', 'relation "x" does not exist'))).toBeUndefined();
    expect(databaseProblem(new Error('boom'))).toBeUndefined();
    expect(databaseProblem(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(databaseProblem(undefined)).toBeUndefined();
  });

  it('formatError answers a lock timeout as CONFLICT with retryable, not INTERNAL_SERVER_ERROR, and still reports it', () => {
    const reported: unknown[] = [];
    const original = typeormError(pgError('55P03', 'canceling statement due to lock timeout'));
    const error = new GraphQLError(original.message, { originalError: original, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const out = formatError(error.toJSON(), error, (e) => reported.push(e));
    expect(out.extensions).toEqual({ code: 'CONFLICT', retryable: true });
    expect(out.message).toBe(BUSY_MESSAGE);
    expect(reported).toHaveLength(1);
  });
});
