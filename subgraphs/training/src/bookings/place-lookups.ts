/** Reads that several place changes need for their emails and checks; call them inside the change's transaction. */
import { In, type EntityManager } from 'typeorm';
import { conflict } from '@sendco/errors';
import { Workshop } from '../events/workshop.entity';
import { Booking } from './booking.entity';
import { ACTIVE } from './place-status';
import { Place } from './place.entity';

/** Booking reference by booking id, for the given places' bookings. */
export async function bookingReferences(manager: EntityManager, places: readonly Pick<Place, 'bookingId'>[]): Promise<Map<string, string>> {
  const ids = [...new Set(places.map((p) => p.bookingId))];
  if (ids.length === 0) return new Map();
  const bookings = await manager.getRepository(Booking).find({ where: { id: In(ids) } });
  return new Map(bookings.map((b) => [b.id, b.reference]));
}

/** Workshop title by workshop id, for one event. */
export async function workshopTitles(manager: EntityManager, eventId: string): Promise<Map<string, string>> {
  const workshops = await manager.getRepository(Workshop).find({ where: { eventId } });
  return new Map(workshops.map((w) => [w.id, w.title]));
}

/** CONFLICT if any of these (lower-cased) addresses already holds or waits for a place on the event. */
export async function assertNotAlreadyBooked(manager: EntityManager, eventId: string, emails: readonly string[]): Promise<void> {
  const booked = await manager.getRepository(Place).find({ where: { eventId, delegateEmail: In([...emails]), status: In([...ACTIVE]) } });
  if (booked.length === 0) return;
  throw alreadyBooked(booked.map((p) => p.delegateEmail));
}

/** CONFLICT naming the addresses that already hold or wait for a place on the event. */
export function alreadyBooked(emails: readonly string[]): Error {
  const addresses = [...new Set(emails)];
  return conflict(`Already booked on this event: ${addresses.join(', ')}.`, { emails: addresses });
}
