/**
 * Which emails a booking sends, and with what in them. They are recorded in the outbox in the
 * booking's transaction; the jobs worker renders and sends them.
 */
import { emailJob, type CalendarInvite, type OutboxJob, type Recipient } from '@sendco/queue';
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

/** A new booking: each confirmed delegate an invitation, each waitlisted one a notice, the booker a summary. */
export function newBookingEmails(
  event: TrainingEvent,
  booking: Booking,
  places: Place[],
  workshops: ReadonlyMap<string, Workshop>,
  booker: Recipient | undefined,
  settings: EmailSettings,
): OutboxJob[] {
  const jobs: OutboxJob[] = [];
  for (const place of places) {
    const to = { name: place.delegateName, email: place.delegateEmail };
    const workshopTitle = place.workshopId ? workshops.get(place.workshopId)?.title : undefined;
    if (place.status === PlaceStatus.CONFIRMED) {
      jobs.push(
        emailJob(
          'booking-confirmation',
          to,
          {
            delegateName: place.delegateName,
            eventTitle: event.title,
            startsAt: event.startsAt.toISOString(),
            endsAt: event.endsAt.toISOString(),
            venue: venueLine(event),
            joiningUrl: event.joiningUrl ?? undefined,
            workshopTitle,
            bookingReference: booking.reference,
            cancellationDeadline: event.cancellationDeadline?.toISOString(),
          },
          placeInvite(event, place, settings, 'REQUEST', 0),
        ),
      );
    } else if (place.status === PlaceStatus.WAITLISTED) {
      jobs.push(
        emailJob('waitlist-notice', to, {
          delegateName: place.delegateName,
          eventTitle: event.title,
          startsAt: event.startsAt.toISOString(),
          workshopTitle,
          bookingReference: booking.reference,
        }),
      );
    }
  }
  if (booker?.email) {
    jobs.push(
      emailJob('booking-summary', booker, {
        bookerName: booker.name ?? booker.email,
        eventTitle: event.title,
        startsAt: event.startsAt.toISOString(),
        bookingReference: booking.reference,
        schoolUrn: booking.schoolUrn,
        purchaseOrder: booking.purchaseOrder ?? undefined,
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
