/**
 * Changes the training team makes to a published event that affect its delegates: cancelling
 * it, and changing its capacity (raising it moves the waiting list up at once). Both take the
 * event's row lock, like every booking and place change.
 */
import { In, type DataSource } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { badUserInput, conflict, type FieldProblem } from '@sendco/errors';
import { commitWithJobs, type OutboxJob, type OutboxRelay } from '@sendco/queue';
import { audit } from '@sendco/database';
import { cancellationEmail, confirmedPlaceJobs, type EmailSettings } from '../bookings/booking-emails';
import { bookingReferences, workshopTitles } from '../bookings/place-lookups';
import { ACTIVE, PlaceStatus } from '../bookings/place-status';
import { Place } from '../bookings/place.entity';
import { fillFreedPlaces } from '../waitlist/promotion';
import { lockEvent } from './event-lock';
import { EventStatus } from './event.enums';
import { TrainingEvent } from './event.entity';
import { toVenue, type RescheduleEventInput, type WorkshopCapacityInput } from './event.inputs';
import { Workshop } from './workshop.entity';

export class EventChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly emails: EmailSettings,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * TRAINING_ADMIN. Every active place is cancelled and its delegate emailed (confirmed ones
   * with a calendar cancellation); reminders find the event cancelled and send nothing.
   * Cancelling a cancelled event again changes nothing.
   */
  async cancelEvent(principal: Principal, id: string, reason: string): Promise<TrainingEvent> {
    requireRole(principal, 'TRAINING_ADMIN');
    if (!reason.trim()) throw badUserInput([{ field: 'reason', message: 'must not be blank: delegates are told why' }]);
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const event = await lockEvent(manager, id);
      if (event.status === EventStatus.CANCELLED) return { result: event, jobs: [] };
      if (event.status === EventStatus.COMPLETED) throw conflict('A completed event cannot be cancelled.');
      event.status = EventStatus.CANCELLED;
      event.cancelledReason = reason.trim();
      await manager.getRepository(TrainingEvent).update({ id }, { status: event.status, cancelledReason: event.cancelledReason });

      const places = await manager.getRepository(Place).find({ where: { eventId: id, status: In([...ACTIVE]) }, order: { queueSeq: 'ASC' } });
      const references = await bookingReferences(manager, places);
      const jobs: OutboxJob[] = [];
      for (const place of places) {
        const wasConfirmed = place.status === PlaceStatus.CONFIRMED;
        place.status = PlaceStatus.CANCELLED;
        place.cancelledReason = event.cancelledReason;
        if (wasConfirmed) place.inviteSequence += 1;
        jobs.push(cancellationEmail(event, place, references.get(place.bookingId)!, this.emails, { eventCancelled: true, reason: event.cancelledReason, withdrawInvite: wasConfirmed }));
      }
      if (places.length) {
        // One statement for the lot; the sequence goes up only where there was an invitation.
        await manager.query(
          `UPDATE "training"."place" SET status = 'CANCELLED', cancelled_reason = $2, updated_at = now(),
             invite_sequence = invite_sequence + CASE WHEN status = 'CONFIRMED' THEN 1 ELSE 0 END
           WHERE id = ANY($1::uuid[])`,
          [places.map((p) => p.id), event.cancelledReason],
        );
      }
      await audit(manager, [
        { subjectType: 'event', subjectId: id, action: 'event.cancelled', actor: principal.sub, details: { reason: event.cancelledReason, placesCancelled: places.length } },
        ...places.map((p) => ({ subjectType: 'place' as const, subjectId: p.id, action: 'place.cancelled', actor: principal.sub, details: { reason: 'event cancelled' } })),
      ]);
      return { result: event, jobs };
    });
  }

  /**
   * TRAINING_ADMIN. New capacity for the event and/or its workshops. Raising it confirms the
   * longest-waiting delegates who now fit; lowering it below the places already confirmed
   * takes nobody's place away (placesLeft shows 0 until enough cancel).
   */
  async changeCapacity(principal: Principal, id: string, capacity: number | undefined, workshopCapacities: WorkshopCapacityInput[] = []): Promise<TrainingEvent> {
    requireRole(principal, 'TRAINING_ADMIN');
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const event = await lockEvent(manager, id);
      const workshops = await manager.getRepository(Workshop).find({ where: { eventId: id } });
      const known = new Set(workshops.map((w) => w.id));
      const problems: FieldProblem[] = workshopCapacities.flatMap((w, i) =>
        known.has(w.workshopId) ? [] : [{ field: `workshops.${i}.workshopId`, message: 'is not a workshop of this event' }],
      );
      if (problems.length) throw badUserInput(problems);
      const before = { capacity: event.capacity, workshops: Object.fromEntries(workshops.map((w) => [w.id, w.capacity])) };
      if (capacity !== undefined && capacity !== null) {
        event.capacity = capacity;
        await manager.getRepository(TrainingEvent).update({ id }, { capacity });
      }
      for (const w of workshopCapacities) await manager.getRepository(Workshop).update({ id: w.workshopId }, { capacity: w.capacity });
      await audit(manager, [
        { subjectType: 'event', subjectId: id, action: 'event.capacity_changed', actor: principal.sub, details: { before, capacity, workshops: workshopCapacities } },
      ]);
      const jobs = await fillFreedPlaces(manager, event, principal.sub, this.emails, this.clock());
      return { result: event, jobs };
    });
  }

  /**
   * TRAINING_ADMIN. Moves the event (times, venue, joining link). Every confirmed delegate gets
   * the updated details and an updated invitation (same UID, next sequence), and a new reminder;
   * the old reminder finds the event moved and sends nothing.
   */
  async reschedule(principal: Principal, id: string, input: RescheduleEventInput): Promise<TrainingEvent> {
    requireRole(principal, 'TRAINING_ADMIN');
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const event = await lockEvent(manager, id);
      if (event.status === EventStatus.CANCELLED || event.status === EventStatus.COMPLETED) throw conflict(`A ${event.status.toLowerCase()} event cannot be moved.`);
      const startsAt = input.startsAt ?? event.startsAt;
      const endsAt = input.endsAt ?? event.endsAt;
      const problems: FieldProblem[] = [];
      if (!(endsAt > startsAt)) problems.push({ field: input.endsAt ? 'endsAt' : 'startsAt', message: 'the event must end after it starts' });
      if (input.startsAt && input.startsAt <= this.clock()) problems.push({ field: 'startsAt', message: 'must be in the future' });
      if (problems.length) throw badUserInput(problems);

      const before = { startsAt: event.startsAt, endsAt: event.endsAt, venue: event.venue, joiningUrl: event.joiningUrl };
      event.startsAt = startsAt;
      event.endsAt = endsAt;
      if (input.venue) event.venue = toVenue(input.venue);
      if (input.joiningUrl) event.joiningUrl = input.joiningUrl;
      await manager.getRepository(TrainingEvent).update({ id }, { startsAt, endsAt, venue: event.venue ?? undefined, joiningUrl: event.joiningUrl });
      await audit(manager, [{ subjectType: 'event', subjectId: id, action: 'event.rescheduled', actor: principal.sub, details: { before, after: input } }]);
      if (event.status !== EventStatus.PUBLISHED) return { result: event, jobs: [] };

      const confirmed = await manager.getRepository(Place).find({ where: { eventId: id, status: PlaceStatus.CONFIRMED }, order: { queueSeq: 'ASC' } });
      if (confirmed.length) {
        await manager.query(`UPDATE "training"."place" SET invite_sequence = invite_sequence + 1, reminded_at = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`, [
          confirmed.map((p) => p.id),
        ]);
      }
      const references = await bookingReferences(manager, confirmed);
      const titles = await workshopTitles(manager, id);
      const jobs = confirmed.flatMap((place) => {
        place.inviteSequence += 1;
        const workshopTitle = place.workshopId ? titles.get(place.workshopId) : undefined;
        return confirmedPlaceJobs(event, place, references.get(place.bookingId)!, workshopTitle, this.emails, this.clock(), { changed: true });
      });
      return { result: event, jobs };
    });
  }
}
