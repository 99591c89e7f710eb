import { registerEnumType } from 'type-graphql';

export enum PlaceStatus {
  CONFIRMED = 'CONFIRMED',
  WAITLISTED = 'WAITLISTED',
  CANCELLED = 'CANCELLED',
  ATTENDED = 'ATTENDED',
  NO_SHOW = 'NO_SHOW',
}
registerEnumType(PlaceStatus, { name: 'PlaceStatus' });

/** Statuses that use up a place on the event. */
export const HOLDS_PLACE: readonly PlaceStatus[] = [PlaceStatus.CONFIRMED, PlaceStatus.ATTENDED];
/** Statuses of a delegate who is still expected (emails, reminders, changes). */
export const ACTIVE: readonly PlaceStatus[] = [PlaceStatus.CONFIRMED, PlaceStatus.WAITLISTED];
