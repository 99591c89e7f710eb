import type { EntityManager } from 'typeorm';
import { isUuid } from '@sendco/database';
import { notFound } from '@sendco/errors';
import { Clinic } from './clinic.entity';

/**
 * The clinic's row lock (SELECT … FOR UPDATE). Everything that changes a clinic or its requests
 * takes it first, so requests, decisions, cancellations and edits of one clinic are decided one
 * after another, whichever process handles them: its places are never oversold. NOT_FOUND for an
 * unknown clinic.
 */
export async function lockClinic(manager: EntityManager, id: string): Promise<Clinic> {
  const clinic = isUuid(id) ? await manager.getRepository(Clinic).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!clinic) throw notFound('Clinic');
  return clinic;
}
