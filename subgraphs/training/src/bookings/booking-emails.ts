/**
 * Which emails a booking sends, and with what in them. They are recorded in the outbox in the
 * booking's transaction; the jobs worker renders and sends them.
 */
import { emailJob, placeReminderJob, type CalendarInvite, type OutboxJob, type PlaceDetails, type Recipient } from '@sendco/queue';
import type { TrainingEvent } from '../events/event.entity';
import type { Workshop } from '../events/workshop.entity';
import type { Booking } from './booking.entity';
import type { Place } from './place.entity';
import { PlaceStatus } from './place-status';

/** How a place's status reads in an email to a school. */
export const STATUS_LABELS: Record<PlaceStatus, string> = {
  CONFIRMED: 'Confirmed',
  WAITLISTED: 'Waiting list',
  CANCELLED: 'Cancelled',
  ATTENDED: 'Attended',
  NO_SHOW: 'Did not attend',
};

/** Who the emails, invitations and certificates come from. */
export const TRAINING_TEAM = 'SEND Training Team';

export interface EmailSettings {
  /** The training team as organiser of calendar invitations. */
  organizer: Recipient;
}

/** The calendar UID of a place: stable for the life of the place, so updates and cancellations replace it. */
export function placeInviteUid(place: Pick<Place, 'id'>): string {
  return `place-${place.id}@sendco-hub`;
}

export function venueLine(event: TrainingEvent): string | undefined {
  if (!event.venue?.name) return undefined;
  return [event.venue.name, event.venue.address, event.venue.postcode].filter(Boolean).join(', ');
}

export function placeInvite(event: TrainingEvent, place: Place, settings: EmailSettings, method: 'REQUEST' | 'CANCEL', sequence: number): CalendarInvite {
  return {
    uid: placeInviteUid(place),
    sequence,
    method,
    title: event.title,
    description: [event.summary, event.joiningUrl && method === 'REQUEST' ? `Join online: ${event.joiningUrl}` : undefined].filter(Boolean).join('\n\n'),
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    location: venueLine(event) ?? (event.joiningUrl ? 'Online' : undefined),
    url: method === 'REQUEST' ? (event.joiningUrl ?? undefined) : undefined,
    organizer: settings.organizer,
    attendee: { name: place.delegateName, email: place.delegateEmail },
  };
}

/** A new booking: each confirmed delegate an invitation (and a reminder), each waitlisted one a notice, the booker and the school's SENDCO a summary. */
export function newBookingEmails(
  event: TrainingEvent,
  booking: Booking,
  places: Place[],
  workshops: ReadonlyMap<string, Workshop>,
  booker: Recipient | undefined,
  settings: EmailSettings,
  now: Date,
  sendco?: Recipient,
): OutboxJob[] {
  const jobs: OutboxJob[] = [];
  for (const place of places) {
    const workshopTitle = place.workshopId ? workshops.get(place.workshopId)?.title : undefined;
    if (place.status === PlaceStatus.CONFIRMED) jobs.push(...confirmedPlaceJobs(event, place, booking.reference, workshopTitle, settings, now));
    else if (place.status === PlaceStatus.WAITLISTED) jobs.push(waitlistEmail(event, place, booking.reference, workshopTitle));
  }
  // The booker and the school's SENDCO each get the summary (once, if they are the same person).
  const summaryTo = [booker, sendco].filter((r): r is Recipient => Boolean(r?.email));
  const unique = summaryTo.filter((r, i) => summaryTo.findIndex((o) => o.email.toLowerCase() === r.email.toLowerCase()) === i);
  for (const recipientOfSummary of unique) {
    jobs.push(
      emailJob('booking-summary', recipientOfSummary, {
        bookerName: recipientOfSummary.name ?? recipientOfSummary.email,
        eventTitle: event.title,
        startsAt: event.startsAt.toISOString(),
        bookingReference: booking.reference,
        schoolUrn: booking.schoolUrn,
        purchaseOrder: booking.purchaseOrder ?? undefined,
        copyForSendco: recipientOfSummary !== booker || undefined,
        places: places.map((p) => ({
          delegateName: p.delegateName,
          delegateEmail: p.delegateEmail,
          status: STATUS_LABELS[p.status],
          workshopTitle: p.workshopId ? workshops.get(p.workshopId)?.title : undefined,
        })),
      }),
    );
  }
  return jobs;
}

function recipient(place: Pick<Place, 'delegateName' | 'delegateEmail'>): Recipient {
  return { name: place.delegateName, email: place.delegateEmail };
}

/** A confirmed place: the details and a calendar invitation at the place's current sequence. */
export function confirmationEmail(
  event: TrainingEvent,
  place: Place,
  reference: string,
  workshopTitle: string | undefined,
  settings: EmailSettings,
  why: { promoted?: boolean; changed?: boolean } = {},
): OutboxJob {
  return emailJob(
    'booking-confirmation',
    recipient(place),
    {
      ...placeDetails(event, place, reference, workshopTitle),
      cancellationDeadline: event.cancellationDeadline?.toISOString(),
      promoted: why.promoted || undefined,
      changed: why.changed || undefined,
    },
    placeInvite(event, place, settings, 'REQUEST', place.inviteSequence ?? 0),
  );
}

/** A place that is now confirmed (booked, promoted, moved): its confirmation with invitation, and its reminder if that is still to come. */
export function confirmedPlaceJobs(
  event: TrainingEvent,
  place: Place,
  reference: string,
  workshopTitle: string | undefined,
  settings: EmailSettings,
  now: Date,
  why: { promoted?: boolean; changed?: boolean } = {},
): OutboxJob[] {
  const reminder = reminderFor(event, place, now);
  return [confirmationEmail(event, place, reference, workshopTitle, settings, why), ...(reminder ? [reminder] : [])];
}

export function waitlistEmail(event: TrainingEvent, place: Place, reference: string, workshopTitle: string | undefined): OutboxJob {
  return emailJob('waitlist-notice', recipient(place), {
    delegateName: place.delegateName,
    eventTitle: event.title,
    startsAt: event.startsAt.toISOString(),
    workshopTitle,
    bookingReference: reference,
  });
}

export interface CancellationDetails {
  eventCancelled?: boolean;
  /** A delegate swap: someone else has the place now. */
  replaced?: boolean;
  reason?: string | null;
  /** The delegate had a confirmed place, so their calendar has an invitation to withdraw. */
  withdrawInvite: boolean;
}

/** To the delegate who no longer has the place; `place` carries their name and the new sequence. */
export function cancellationEmail(event: TrainingEvent, place: Place, reference: string, settings: EmailSettings, details: CancellationDetails): OutboxJob {
  return emailJob(
    'place-cancelled',
    recipient(place),
    {
      delegateName: place.delegateName,
      eventTitle: event.title,
      startsAt: event.startsAt.toISOString(),
      bookingReference: reference,
      eventCancelled: details.eventCancelled ?? false,
      replaced: details.replaced ?? false,
      reason: details.reason ?? undefined,
    },
    details.withdrawInvite ? placeInvite(event, place, settings, 'CANCEL', place.inviteSequence ?? 0) : undefined,
  );
}

export function reminderEmail(event: TrainingEvent, place: Place, reference: string, workshopTitle: string | undefined): OutboxJob {
  return emailJob('event-reminder', recipient(place), placeDetails(event, place, reference, workshopTitle));
}

/** What a delegate is told about their place; the joining link goes only to confirmed delegates, which these are. */
function placeDetails(event: TrainingEvent, place: Place, reference: string, workshopTitle: string | undefined): PlaceDetails {
  return {
    delegateName: place.delegateName,
    eventTitle: event.title,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    venue: venueLine(event),
    joiningUrl: event.joiningUrl ?? undefined,
    workshopTitle,
    bookingReference: reference,
  };
}

/**
 * The reminder for a newly confirmed place, due reminderHoursBefore the start; none when the
 * event asks for none or that moment has passed (the confirmation has just gone out).
 */
export function reminderFor(event: TrainingEvent, place: Pick<Place, 'id'>, now: Date): OutboxJob | undefined {
  const hours = event.reminderHoursBefore ?? 48;
  if (hours <= 0) return undefined;
  const due = new Date(event.startsAt.getTime() - hours * 3600 * 1000);
  if (due <= now) return undefined;
  return placeReminderJob({ placeId: place.id, eventStartsAt: event.startsAt.toISOString() }, due);
}
