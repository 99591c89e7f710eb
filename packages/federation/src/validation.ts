/**
 * type-graphql validates a list argument element by element and loses the index, so a
 * 300-row import would only say "urn is wrong". Lists are validated here instead, naming
 * `schools.17.urn`.
 */
import { validate } from 'class-validator';
import { badUserInput, flattenValidationErrors } from '@sendco/errors';

export async function validateList(items: object[], field: string): Promise<void> {
  const problems = (await Promise.all(items.map(async (item, i) => flattenValidationErrors(await validate(item, { forbidUnknownValues: false }), `${field}.${i}`)))).flat();
  if (problems.length) throw badUserInput(problems);
}
