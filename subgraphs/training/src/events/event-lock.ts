import type { EntityManager } from 'typeorm';
import { hydrate, isUuid, tableName } from '@sendco/database';
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
  const rows: Record<string, unknown>[] = await manager.query(`SELECT * FROM ${tableName(manager.connection.getMetadata(TrainingEvent).tablePath)} WHERE id = $1 FOR UPDATE`, [id]);
  return rows.length ? hydrate(manager, TrainingEvent, rows[0]) : null;
}

/** findLockedEvent, answering NOT_FOUND for an unknown event. */
export async function lockEvent(manager: EntityManager, id: string): Promise<TrainingEvent> {
  const event = await findLockedEvent(manager, id);
  if (!event) throw notFound('Event');
  return event;
}
