import { GraphQLError } from 'graphql';
import { AppError, badUserInput, ErrorCode, formatError, notFound } from './index';

const formattedOf = (error: GraphQLError) => error.toJSON();

describe('formatError', () => {
  it('passes a deliberate AppError through with its code and details', () => {
    const error = new GraphQLError('x', { originalError: badUserInput([{ field: 'delegates.0.email', message: 'must be an email' }]) });
    const out = formatError(formattedOf(error), error);
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'delegates.0.email', message: 'must be an email' }] });
    expect(out.message).toMatch(/delegates\.0\.email/);
  });

  it('hides unexpected errors, SQL and stacks, and reports them', () => {
    const reported: unknown[] = [];
    const sqlError = new Error('duplicate key value violates unique constraint "booking_pkey" SELECT * FROM training.booking');
    const error = new GraphQLError(sqlError.message, { originalError: sqlError, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } });
    const out = formatError(formattedOf(error), error, (e) => reported.push(e));
    expect(out.message).not.toMatch(/SELECT|constraint/);
    expect(out.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR });
    expect(reported).toHaveLength(1);
  });

  it('maps type-graphql validation and authorization errors to the contract codes', () => {
    const validation = Object.assign(new Error('Argument Validation Error'), {
      name: 'ArgumentValidationError',
      extensions: { validationErrors: [{ property: 'input', children: [{ property: 'capacity', constraints: { min: 'capacity must not be less than 1' } }] }] },
    });
    const out = formatError(formattedOf(new GraphQLError('x', { originalError: validation })), new GraphQLError('x', { originalError: validation }));
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.capacity', message: 'capacity must not be less than 1' }] });

    const denied = Object.assign(new Error('Access denied!'), { name: 'AuthorizationError' });
    const err = new GraphQLError('x', { originalError: denied });
    expect(formatError(formattedOf(err), err).extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it("maps type-graphql 2's UNAUTHORIZED to FORBIDDEN", () => {
    const error = new GraphQLError('Access denied!', { extensions: { code: 'UNAUTHORIZED' } });
    expect(formatError(formattedOf(error), error)).toMatchObject({ message: 'You are not allowed to do that.', extensions: { code: 'FORBIDDEN' } });
  });

  it('keeps a subgraph error code but drops serviceName and stack at the gateway', () => {
    const error = new GraphQLError('Event was not found.', { extensions: { code: 'NOT_FOUND', serviceName: 'training', stacktrace: ['x'] } });
    expect(formatError(formattedOf(error), error).extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('builds readable messages', () => {
    expect(notFound('Event').message).toBe('Event was not found.');
    expect(new AppError(ErrorCode.CONFLICT, 'Full').code).toBe('CONFLICT');
  });
});

describe('formatError with type-graphql 2 validation errors', () => {
  it('keeps field paths and messages and never echoes the input back', () => {
    const error = new GraphQLError('Argument Validation Error', {
      extensions: {
        code: 'BAD_USER_INPUT',
        validationErrors: [
          { target: { secret: 'echo' }, property: 'input', children: [{ property: 'delegates', children: [{ property: '1', children: [{ property: 'email', constraints: { isEmail: 'email must be an email address' } }] }] }] },
        ],
      },
    });
    const out = formatError(formattedOf(error), error);
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.delegates.1.email', message: 'email must be an email address' }] });
    expect(JSON.stringify(out)).not.toMatch(/echo/);
  });
});
