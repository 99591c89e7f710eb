/**
 * What a booking decides on, read in ONE statement under the event's row lock, and sent in the
 * same message as the lock itself (twoTripTransaction): the booking path holds the lock for as
 * few round trips as it can, because every other booking of the event waits for it
 * (BENCHMARKS.md: the holder spent most of its time waiting for the next statement).
 */
import type { EntityManager } from 'typeorm';
import { entityTable, type SqlStatement } from '@sendco/database';
import { heldPlacesParams, heldPlacesSql, type HeldPlaces } from '../capacity/capacity-snapshot';
import { Workshop } from '../events/workshop.entity';
import { Booking } from './booking.entity';
import { ACTIVE } from './place-status';
import { Place } from './place.entity';

export interface BookingState {
  /** The transaction's time: what created_at defaults to for the rows it inserts. */
  now: Date;
  held: HeldPlaces[];
  /** The event's workshops, in their order. */
  workshops: Workshop[];
  /** Which of the asked-for addresses already hold or wait for a place on the event. */
  alreadyBooked: string[];
  /** The school's earlier booking with this idempotency key, if any. */
  existingBookingId?: string;
}

/** The read, to run right after taking the event's row lock; `emails` lower-cased. One row. */
export function bookingStateStatement(
  manager: EntityManager,
  eventId: string,
  emails: readonly string[],
  idempotency: { schoolUrn: string; key?: string | null },
): SqlStatement {
  const table = (entity: Function) => entityTable(manager, entity);
  return {
    sql: `SELECT now() AS now,
       (SELECT coalesce(json_agg(h), '[]'::json) FROM (${heldPlacesSql(manager)}) h) AS held,
       (SELECT coalesce(json_agg(w ORDER BY w.position), '[]'::json)
          FROM (SELECT id, event_id AS "eventId", title, phase, capacity, position FROM ${table(Workshop)} WHERE event_id = $1) w) AS workshops,
       (SELECT coalesce(array_agg(DISTINCT delegate_email), '{}') FROM ${table(Place)} WHERE event_id = $1 AND delegate_email = ANY($3) AND status = ANY($4)) AS already_booked,
       (SELECT id FROM ${table(Booking)} WHERE school_urn = $5 AND idempotency_key = $6) AS existing_booking_id`,
    params: [...heldPlacesParams(eventId), emails, ACTIVE, idempotency.schoolUrn, idempotency.key ?? null],
  };
}

/** The state from the read's one row. */
export function bookingStateFrom(row: Record<string, unknown>): BookingState {
  return {
    now: row.now as Date,
    held: row.held as HeldPlaces[],
    workshops: (row.workshops as Workshop[]).map((w) => Object.assign(new Workshop(), w)),
    alreadyBooked: row.already_booked as string[],
    existingBookingId: (row.existing_booking_id as string | null) ?? undefined,
  };
}
