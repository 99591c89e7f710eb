/**
 * The attendance rule, in one place. The list the training team sends is the whole register of
 * who came: every place that was due to attend (CONFIRMED) or has already been marked is set from
 * it, listed → ATTENDED, not listed → NO_SHOW. So sending the same list again changes nothing,
 * and a corrected list corrects either way. Waiting-list and cancelled places are never marked:
 * naming one is a mistake in the list, not a late arrival. Each attendee gets one certificate,
 * ever, however often their attendance is corrected.
 */
import { badUserInput, conflict, type FieldProblem } from '@sendco/errors';
import { PlaceStatus } from '../bookings/place-status';
import { EventStatus } from '../events/event.enums';
import type { TrainingEvent } from '../events/event.entity';

/** Statuses attendance is recorded for: due to attend, or already marked (and so correctable). */
export const RECORDABLE: readonly PlaceStatus[] = [PlaceStatus.CONFIRMED, PlaceStatus.ATTENDED, PlaceStatus.NO_SHOW];

/** More than an event can hold (capacity is at most 10,000): a longer list is not a register. */
export const MAX_ATTENDEES = 10_000;

export type AttendanceStatus = PlaceStatus.ATTENDED | PlaceStatus.NO_SHOW;

export interface AttendanceChange {
  placeId: string;
  from: PlaceStatus;
  to: AttendanceStatus;
}

export interface AttendanceDecision {
  /** Places whose status changes, in the order given. */
  changes: AttendanceChange[];
  /** Places to issue a certificate to: attended, and never certified before. */
  certify: string[];
  /** Listed ids that cannot be marked; when there are any, nothing is changed. */
  problems: FieldProblem[];
}

/** Attendance is recorded once the event has started, on an event that went ahead. */
export function checkAttendanceOpen(event: Pick<TrainingEvent, 'status' | 'startsAt'>, now: Date): void {
  if (event.status === EventStatus.CANCELLED) throw conflict('This event was cancelled, so there is no attendance to record.');
  if (event.status === EventStatus.DRAFT) throw conflict('This event was never published, so there is no attendance to record.');
  if (now < event.startsAt) {
    throw badUserInput([{ field: 'eventId', message: `has not started yet: attendance can be recorded from ${event.startsAt.toISOString()}` }]);
  }
}

/**
 * Decides the new status of every place on the event from the list of those who attended.
 * `places` are all the event's places (in register order); `certified` the ids of places that
 * already have a certificate. A listed id twice counts once.
 */
export function decideAttendance(
  places: readonly { id: string; status: PlaceStatus }[],
  attendedPlaceIds: readonly string[],
  certified: ReadonlySet<string>,
): AttendanceDecision {
  if (attendedPlaceIds.length > MAX_ATTENDEES) {
    return { changes: [], certify: [], problems: [{ field: 'attendedPlaceIds', message: `must list at most ${MAX_ATTENDEES} places` }] };
  }
  const byId = new Map(places.map((p) => [p.id, p]));
  const problems: FieldProblem[] = [];
  attendedPlaceIds.forEach((id, i) => {
    const place = byId.get(id);
    // Positions, not the ids: the list is the caller's own, and an id says nothing a person can act on.
    if (!place) problems.push({ field: 'attendedPlaceIds', message: `item ${i + 1} is not a place on this event` });
    else if (!RECORDABLE.includes(place.status)) {
      problems.push({ field: 'attendedPlaceIds', message: `item ${i + 1} is a ${place.status === PlaceStatus.WAITLISTED ? 'waiting-list' : 'cancelled'} place: only confirmed places can be marked as attended` });
    }
  });
  if (problems.length) return { changes: [], certify: [], problems };

  const attended = new Set(attendedPlaceIds);
  const changes: AttendanceChange[] = [];
  const certify: string[] = [];
  for (const place of places) {
    if (!RECORDABLE.includes(place.status)) continue;
    const to = attended.has(place.id) ? PlaceStatus.ATTENDED : PlaceStatus.NO_SHOW;
    if (to !== place.status) changes.push({ placeId: place.id, from: place.status, to });
    if (to === PlaceStatus.ATTENDED && !certified.has(place.id)) certify.push(place.id);
  }
  return { changes, certify, problems: [] };
}
