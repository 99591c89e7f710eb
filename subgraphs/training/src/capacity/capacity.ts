/**
 * The capacity rule, in one place. An event has an overall capacity; a conference also has
 * workshops, each with its own. A delegate holds a place (CONFIRMED or ATTENDED) only while both
 * the event and their workshop have room; everyone else waits, first come first served, in one
 * queue per event ordered by when they asked. Callers hold the event's row lock while they use
 * this, so the counts they pass in are the truth.
 */
import { PlaceStatus } from '../bookings/place-status';

export interface CapacitySnapshot {
  eventCapacity: number;
  /** Places held on the whole event. */
  eventTaken: number;
  /** Per workshop: capacity and places held. */
  workshops: ReadonlyMap<string, { capacity: number; taken: number }>;
}

export interface PlaceRequest {
  workshopId?: string | null;
}

/**
 * Decides, in order, which requests get a place. The snapshot is not modified; the result says
 * CONFIRMED or WAITLISTED for each request. A request for a workshop the snapshot does not know
 * is a programming error (callers validate workshop ids first).
 */
export function allocatePlaces(snapshot: CapacitySnapshot, requests: readonly PlaceRequest[]): (PlaceStatus.CONFIRMED | PlaceStatus.WAITLISTED)[] {
  let eventTaken = snapshot.eventTaken;
  const workshopTaken = new Map([...snapshot.workshops].map(([id, w]) => [id, w.taken]));
  return requests.map((request) => {
    if (eventTaken >= snapshot.eventCapacity) return PlaceStatus.WAITLISTED;
    if (request.workshopId) {
      const workshop = snapshot.workshops.get(request.workshopId);
      if (!workshop) throw new Error(`unknown workshop ${request.workshopId}`);
      const taken = workshopTaken.get(request.workshopId)!;
      if (taken >= workshop.capacity) return PlaceStatus.WAITLISTED;
      workshopTaken.set(request.workshopId, taken + 1);
    }
    eventTaken += 1;
    return PlaceStatus.CONFIRMED;
  });
}

/**
 * Who comes off the waiting list when places free up: walk the queue oldest first and confirm
 * each waiting delegate for whom there is now room (their workshop may still be full while
 * another's has room). Returns the ids to confirm, in queue order.
 */
export function selectPromotions(snapshot: CapacitySnapshot, waiting: readonly { id: string; workshopId?: string | null }[]): string[] {
  const decisions = allocatePlaces(snapshot, waiting);
  return waiting.filter((_, i) => decisions[i] === PlaceStatus.CONFIRMED).map((w) => w.id);
}

/** Places left, never below 0 (capacity can be lowered below what is already booked). */
export function placesLeft(capacity: number, taken: number): number {
  return Math.max(0, capacity - taken);
}
