import type { EntityManager } from 'typeorm';
import { isUuid } from '@sendco/database';
import { notFound } from '@sendco/errors';
import { BandingReturn } from './return.entity';

/**
 * Takes a return's row lock for the rest of the transaction: every change to a return (its
 * status, counts, pupils, verdicts) goes through here first, so a submit and a pupil change, or
 * two council officers deciding at once, happen one after the other.
 */
export async function lockReturn(manager: EntityManager, id: string): Promise<BandingReturn> {
  const found = isUuid(id) ? await manager.getRepository(BandingReturn).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!found) throw notFound('Banding return');
  return found;
}

/** A return without a lock, for reads. */
export async function findReturn(manager: EntityManager, id: string): Promise<BandingReturn> {
  const found = isUuid(id) ? await manager.getRepository(BandingReturn).findOneBy({ id }) : null;
  if (!found) throw notFound('Banding return');
  return found;
}
