import type { EntityManager } from 'typeorm';
import { entityTable } from '@sendco/database';
import { HOLDS_PLACE } from '../bookings/place-status';
import { Place } from '../bookings/place.entity';
import type { TrainingEvent } from '../events/event.entity';
import type { Workshop } from '../events/workshop.entity';
import type { CapacitySnapshot } from './capacity';

/** Places held on an event, per workshop (null: no workshop). */
export interface HeldPlaces {
  workshop_id: string | null;
  taken: number;
}

/**
 * The count behind every capacity decision, as SQL so a hot path can send it inside a larger
 * statement: `$1` is the event id, `$2` the statuses that hold a place (HOLDS_PLACE).
 */
export function heldPlacesSql(manager: EntityManager): string {
  return `SELECT workshop_id, count(*)::int AS taken FROM ${entityTable(manager, Place)} WHERE event_id = $1 AND status = ANY($2) GROUP BY workshop_id`;
}

export const heldPlacesParams = (eventId: string): [string, readonly string[]] => [eventId, HOLDS_PLACE];

/** The snapshot the capacity rule decides on, from the counts above. */
export function capacitySnapshot(event: TrainingEvent, workshops: Workshop[], held: HeldPlaces[]): CapacitySnapshot {
  const takenByWorkshop = new Map(held.map((r) => [r.workshop_id, Number(r.taken)]));
  return {
    eventCapacity: event.capacity,
    eventTaken: held.reduce((sum, r) => sum + Number(r.taken), 0),
    workshops: new Map(workshops.map((w) => [w.id, { capacity: w.capacity, taken: takenByWorkshop.get(w.id) ?? 0 }])),
  };
}

/** Places held on the event and on each workshop. Read it under the event's row lock, or it is stale at once. */
export async function readCapacitySnapshot(manager: EntityManager, event: TrainingEvent, workshops: Workshop[]): Promise<CapacitySnapshot> {
  const held: HeldPlaces[] = await manager.query(heldPlacesSql(manager), heldPlacesParams(event.id));
  return capacitySnapshot(event, workshops, held);
}
