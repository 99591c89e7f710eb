/**
 * Changes to one place after booking: cancelling it and swapping its delegate. Each takes the
 * event's row lock first, the same lock bookEvent takes, so a freed place and a new booking (or
 * two cancellations) are decided one after another and the waiting list stays first come,
 * first served.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { hasRole, isStaffOf, requireSignedIn, type Principal } from '@sendco/auth';
import { isUuid, audit } from '@sendco/database';
import { badUserInput, conflict, forbidden, notFound } from '@sendco/errors';
import { commitWithJobs, type OutboxJob, type OutboxRelay } from '@sendco/queue';
import { lockEvent } from '../events/event-lock';
import type { TrainingEvent } from '../events/event.entity';
import { Workshop } from '../events/workshop.entity';
import { fillFreedPlaces } from '../waitlist/promotion';
import { Booking } from './booking.entity';
import { cancellationEmail, confirmationEmail, waitlistEmail, type EmailSettings } from './booking-emails';
import type { DelegateInput } from './booking.inputs';
import { ACTIVE, PlaceStatus } from './place-status';
import { assertNotAlreadyBooked } from './place-lookups';
import { Place } from './place.entity';

/** Who may change a place at all: its school's staff and the training team. */
export function checkMayChangePlace(principal: Principal, place: Pick<Place, 'schoolUrn'>): void {
  if (!hasRole(principal, 'TRAINING_ADMIN') && !isStaffOf(principal, place.schoolUrn)) throw forbidden("You can only change your own school's places.");
}

/** Which places can change, and until when, once checkMayChangePlace has passed. Pure, so its edge cases are unit-tested. */
export function checkPlaceChange(
  principal: Principal,
  place: Pick<Place, 'status'>,
  event: Pick<TrainingEvent, 'startsAt' | 'cancellationDeadline'>,
  change: 'cancel' | 'swap',
  now: Date,
): void {
  if (!ACTIVE.includes(place.status)) throw conflict(`This place is ${place.status.toLowerCase().replace('_', ' ')} and can no longer be changed.`);
  if (hasRole(principal, 'TRAINING_ADMIN')) return;
  if (now >= event.startsAt) throw forbidden('The event has started: please contact the SEND Training Team.');
  // A swap keeps the place filled, so the cancellation deadline (which protects the waiting list) does not apply to it.
  if (change === 'cancel' && event.cancellationDeadline && now >= event.cancellationDeadline) {
    throw forbidden('The cancellation deadline has passed: please contact the SEND Training Team to cancel.');
  }
}

export class PlaceChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly emails: EmailSettings,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * The delegate's school staff, or the training team (also after the deadline). A confirmed
   * place that is freed goes at once to the longest-waiting delegate. Cancelling a cancelled
   * place again changes nothing.
   */
  async cancelPlace(principal: Principal, placeId: string, reason?: string | null): Promise<Place> {
    return this.change(principal, placeId, async (manager, place, event, booking) => {
      if (place.status === PlaceStatus.CANCELLED) return { result: place, jobs: [] };
      checkPlaceChange(principal, place, event, 'cancel', this.clock());
      const wasConfirmed = place.status === PlaceStatus.CONFIRMED;
      place.status = PlaceStatus.CANCELLED;
      place.cancelledReason = reason?.trim() || null;
      if (wasConfirmed) place.inviteSequence += 1;
      await manager.getRepository(Place).update(
        { id: place.id },
        { status: place.status, cancelledReason: place.cancelledReason, inviteSequence: place.inviteSequence },
      );
      await audit(manager, [
        { subjectType: 'place', subjectId: place.id, action: 'place.cancelled', actor: principal.sub, details: { reason: place.cancelledReason, wasConfirmed } },
      ]);
      const jobs: OutboxJob[] = [cancellationEmail(event, place, booking.reference, this.emails, { reason: place.cancelledReason, withdrawInvite: wasConfirmed })];
      if (wasConfirmed) jobs.push(...(await fillFreedPlaces(manager, event, principal.sub, this.emails, this.clock())));
      return { result: place, jobs };
    });
  }

  /**
   * Gives a place to another delegate from the same school (same workshop, same place in the
   * queue). The new delegate gets the invitation, the old one its cancellation: one calendar
   * UID per place, its sequence raised.
   */
  async swapDelegate(principal: Principal, placeId: string, delegate: DelegateInput): Promise<Place> {
    return this.change(principal, placeId, async (manager, place, event, booking) => {
      checkPlaceChange(principal, place, event, 'swap', this.clock());
      if (delegate.workshopId && delegate.workshopId !== place.workshopId) {
        throw badUserInput([{ field: 'delegate.workshopId', message: 'cannot change in a swap: cancel and book the other workshop instead' }]);
      }
      if (!delegate.name.trim()) throw badUserInput([{ field: 'delegate.name', message: 'must not be blank' }]);
      const email = delegate.email.trim().toLowerCase();
      const sameDelegate = email === place.delegateEmail;
      if (!sameDelegate) await assertNotAlreadyBooked(manager, event.id, [email]);
      const previous = { ...place } as Place;
      const confirmed = place.status === PlaceStatus.CONFIRMED;
      Object.assign(place, {
        delegateName: delegate.name.trim(),
        delegateEmail: email,
        jobTitle: delegate.jobTitle?.trim() || null,
        accessRequirements: delegate.accessRequirements?.trim() || null,
        dietaryRequirements: delegate.dietaryRequirements?.trim() || null,
        inviteSequence: place.inviteSequence + (confirmed && !sameDelegate ? 1 : 0),
      });
      await manager.getRepository(Place).update(
        { id: place.id },
        {
          delegateName: place.delegateName,
          delegateEmail: place.delegateEmail,
          jobTitle: place.jobTitle,
          accessRequirements: place.accessRequirements,
          dietaryRequirements: place.dietaryRequirements,
          inviteSequence: place.inviteSequence,
        },
      );
      await audit(manager, [
        {
          subjectType: 'place',
          subjectId: place.id,
          action: sameDelegate ? 'place.delegate_updated' : 'place.delegate_swapped',
          actor: principal.sub,
          details: { from: previous.delegateEmail, to: email },
        },
      ]);
      if (sameDelegate) return { result: place, jobs: [] };
      const workshopTitle = place.workshopId ? (await manager.getRepository(Workshop).findOne({ where: { id: place.workshopId } }))?.title : undefined;
      const outgoing = { ...previous, inviteSequence: place.inviteSequence } as Place;
      const jobs = [
        cancellationEmail(event, outgoing, booking.reference, this.emails, { replaced: true, withdrawInvite: confirmed }),
        confirmed ? confirmationEmail(event, place, booking.reference, workshopTitle, this.emails) : waitlistEmail(event, place, booking.reference, workshopTitle),
      ];
      return { result: place, jobs };
    });
  }

  /** Loads the place, takes its event's lock, re-reads the place under it, and commits the change with its emails. */
  private async change(
    principal: Principal,
    placeId: string,
    apply: (manager: EntityManager, place: Place, event: TrainingEvent, booking: Booking) => Promise<{ result: Place; jobs: OutboxJob[] }>,
  ): Promise<Place> {
    requireSignedIn(principal);
    if (!isUuid(placeId)) throw notFound('Place');
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const found = await manager.getRepository(Place).findOne({ where: { id: placeId } });
      if (!found) throw notFound('Place');
      // Before anything else, so a place of another school reveals nothing (not even that it is cancelled).
      checkMayChangePlace(principal, found);
      const event = await lockEvent(manager, found.eventId);
      const current = await manager.getRepository(Place).findOneOrFail({ where: { id: placeId } });
      const booking = await manager.getRepository(Booking).findOneOrFail({ where: { id: current.bookingId } });
      return apply(manager, current, event, booking);
    });
  }
}
