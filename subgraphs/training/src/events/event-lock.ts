import type { EntityManager } from 'typeorm';
import { isUuid } from '@sendco/database';
import { notFound } from '@sendco/errors';
import { TrainingEvent } from './event.entity';

/**
 * The event's row lock (SELECT … FOR UPDATE). Everything that changes an event or its places
 * takes it first, so bookings, cancellations, promotions and attendance on one event are decided
 * one after another, whichever process handles them. Null for an unknown event.
 */
export async function findLockedEvent(manager: EntityManager, id: string): Promise<TrainingEvent | null> {
  if (!isUuid(id)) return null;
  return manager.getRepository(TrainingEvent).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

/** findLockedEvent, answering NOT_FOUND for an unknown event. */
export async function lockEvent(manager: EntityManager, id: string): Promise<TrainingEvent> {
  const event = await findLockedEvent(manager, id);
  if (!event) throw notFound('Event');
  return event;
}
