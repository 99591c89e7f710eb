import type { EntityManager } from 'typeorm';
import { entityTable, hydrate, isUuid, type SqlStatement } from '@sendco/database';
import { notFound } from '@sendco/errors';
import { TrainingEvent } from './event.entity';

/**
 * The event's row lock (SELECT … FOR UPDATE). Everything that changes an event or its places
 * takes it first, so bookings, cancellations, promotions and attendance on one event are decided
 * one after another, whichever process handles them. Null for an unknown event.
 *
 * Plain SQL rather than the query builder: every booking waits in line for this lock, and what
 * the process does while holding it (building queries included) is what the line waits for.
 */
export async function findLockedEvent(manager: EntityManager, id: string): Promise<TrainingEvent | null> {
  if (!isUuid(id)) return null;
  const lock = eventLockStatement(manager, id);
  return lockedEventFrom(manager, await manager.query(lock.sql, lock.params));
}

/** The lock as a statement, for a caller that sends it together with others (the booking path). `id` must be a UUID. */
export function eventLockStatement(manager: EntityManager, id: string): SqlStatement {
  return { sql: `SELECT * FROM ${entityTable(manager, TrainingEvent)} WHERE id = $1 FOR UPDATE`, params: [id] };
}

/** The event from the lock's rows; null when there was no such event. */
export function lockedEventFrom(manager: EntityManager, rows: Record<string, unknown>[]): TrainingEvent | null {
  return rows.length ? hydrate(manager, TrainingEvent, rows[0]) : null;
}

/** findLockedEvent, answering NOT_FOUND for an unknown event. */
export async function lockEvent(manager: EntityManager, id: string): Promise<TrainingEvent> {
  const event = await findLockedEvent(manager, id);
  if (!event) throw notFound('Event');
  return event;
}
