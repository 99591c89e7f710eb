/**
 * Freed places go at once to the longest-waiting delegates. Called, under the event's row lock,
 * by everything that can free a place or add room: a cancelled place, a raised capacity.
 * The choice itself is selectPromotions (capacity.ts), so the rule has one home.
 */
import { In, type EntityManager } from 'typeorm';
import type { OutboxJob } from '@sendco/queue';
import { audit } from '@sendco/database';
import { confirmedPlaceJobs, type EmailSettings } from '../bookings/booking-emails';
import { bookingReferences } from '../bookings/place-lookups';
import { PlaceStatus } from '../bookings/place-status';
import { Place } from '../bookings/place.entity';
import { selectPromotions } from '../capacity/capacity';
import { readCapacitySnapshot } from '../capacity/capacity-snapshot';
import { EventStatus } from '../events/event.enums';
import type { TrainingEvent } from '../events/event.entity';
import { Workshop } from '../events/workshop.entity';

/** Promotes whoever now fits, oldest first; returns the emails (and reminders) to record. */
export async function fillFreedPlaces(manager: EntityManager, event: TrainingEvent, actor: string, settings: EmailSettings, now: Date): Promise<OutboxJob[]> {
  // Nobody is moved onto an event that will not happen or has begun.
  if (event.status !== EventStatus.PUBLISHED || now >= event.startsAt) return [];
  const waiting = await manager.getRepository(Place).find({ where: { eventId: event.id, status: PlaceStatus.WAITLISTED }, order: { queueSeq: 'ASC' } });
  if (waiting.length === 0) return [];
  const workshops = await manager.getRepository(Workshop).find({ where: { eventId: event.id } });
  const promotedIds = new Set(selectPromotions(await readCapacitySnapshot(manager, event, workshops), waiting));
  const promoted = waiting.filter((place) => promotedIds.has(place.id));
  if (promoted.length === 0) return [];

  await manager.getRepository(Place).update({ id: In([...promotedIds]) }, { status: PlaceStatus.CONFIRMED });
  const references = await bookingReferences(manager, promoted);
  const titles = new Map(workshops.map((w) => [w.id, w.title]));
  await audit(
    manager,
    promoted.map((place) => ({ subjectType: 'place' as const, subjectId: place.id, action: 'place.promoted', actor, details: { from: 'WAITLISTED', to: 'CONFIRMED' } })),
  );
  return promoted.flatMap((place) => {
    place.status = PlaceStatus.CONFIRMED;
    const workshopTitle = place.workshopId ? titles.get(place.workshopId) : undefined;
    return confirmedPlaceJobs(event, place, references.get(place.bookingId)!, workshopTitle, settings, now, { promoted: true });
  });
}
