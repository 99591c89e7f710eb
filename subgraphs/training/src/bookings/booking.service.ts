/**
 * Booking places. The rule that matters here is "never oversold, first come first served, under
 * any concurrency": every booking of an event takes that event's row lock (SELECT … FOR UPDATE)
 * before it counts places, so bookings of one event are decided one after another by the
 * database, whichever process or instance takes them.
 */
import { In, type DataSource, type EntityManager } from 'typeorm';
import { hasRole, isStaffOf, requireSchoolPrivate, requireSignedIn, type Principal } from '@sendco/auth';
import { PgErrorCode, pgErrorCode, audit } from '@sendco/database';
import { badUserInput, bookingClosed, conflict, forbidden, notFound, type FieldProblem } from '@sendco/errors';
import { commitWithJobs, type OutboxJob, type OutboxRelay } from '@sendco/queue';
import { allocatePlaces } from '../capacity/capacity';
import { readCapacitySnapshot } from '../capacity/capacity-snapshot';
import { lockEvent } from '../events/event-lock';
import { EventStatus } from '../events/event.enums';
import { TrainingEvent } from '../events/event.entity';
import { Workshop } from '../events/workshop.entity';
import { newBookingEmails, type EmailSettings } from './booking-emails';
import { Booking } from './booking.entity';
import type { BookEventInput } from './booking.inputs';
import { newBookingReference } from './booking-reference';
import { assertNotAlreadyBooked } from './place-lookups';
import { ACTIVE } from './place-status';
import { Place } from './place.entity';

export class BookingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly emails: EmailSettings,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * SENDCO or SCHOOL_STAFF of the school, or the training team. Each delegate gets a place:
   * CONFIRMED while the event (and their workshop) has room, else WAITLISTED.
   */
  async bookEvent(principal: Principal, input: BookEventInput): Promise<Booking> {
    requireSignedIn(principal);
    if (!isStaffOf(principal, input.schoolUrn) && !hasRole(principal, 'TRAINING_ADMIN')) {
      throw forbidden('You can only book places for your own school.');
    }
    const problems = checkDelegates(input);
    if (problems.length) throw badUserInput(problems);

    for (let attempt = 1; ; attempt += 1) {
      try {
        return await commitWithJobs(this.dataSource, this.outbox, (manager) => this.bookInTransaction(manager, principal, input));
      } catch (error) {
        // A reference collision (1 in 10^12) is worth one more try; nothing else is.
        if (pgErrorCode(error) === PgErrorCode.UNIQUE_VIOLATION && attempt < 3 && /reference/.test(String((error as Error).message))) continue;
        throw error;
      }
    }
  }

  /** The booking, and the emails it requires (none when the idempotency key finds an earlier booking). */
  private async bookInTransaction(manager: EntityManager, principal: Principal, input: BookEventInput): Promise<{ result: Booking; jobs: OutboxJob[] }> {
    const event = await lockEvent(manager, input.eventId);
    if (event.status === EventStatus.DRAFT && !hasRole(principal, 'TRAINING_ADMIN')) throw notFound('Event');

    // Under the lock, so two submissions with one key cannot both book.
    if (input.idempotencyKey) {
      const existing = await manager.getRepository(Booking).findOne({
        where: { schoolUrn: input.schoolUrn, idempotencyKey: input.idempotencyKey },
        relations: { places: true },
      });
      if (existing) {
        if (existing.eventId !== input.eventId) throw conflict('This idempotencyKey was already used for a booking of another event.');
        existing.places?.sort((a, b) => Number(a.queueSeq) - Number(b.queueSeq));
        return { result: existing, jobs: [] };
      }
    }

    this.assertOpen(event);
    const workshops = await manager.getRepository(Workshop).find({ where: { eventId: event.id }, order: { position: 'ASC' } });
    const workshopProblems = checkWorkshopChoices(input, workshops);
    if (workshopProblems.length) throw badUserInput(workshopProblems);
    if (event.pricePerDelegatePence > 0 && !input.purchaseOrder?.trim()) {
      throw badUserInput([{ field: 'purchaseOrder', message: 'is required for a priced event' }]);
    }

    const emails = input.delegates.map((d) => d.email.trim().toLowerCase());
    await assertNotAlreadyBooked(manager, event.id, emails);

    const snapshot = await readCapacitySnapshot(manager, event, workshops);
    const decisions = allocatePlaces(snapshot, input.delegates);

    const booking = await manager.getRepository(Booking).save(
      manager.getRepository(Booking).create({
        reference: newBookingReference(),
        eventId: event.id,
        schoolUrn: input.schoolUrn,
        purchaseOrder: input.purchaseOrder?.trim() || null,
        idempotencyKey: input.idempotencyKey ?? null,
        bookedBy: principal.sub,
        bookerName: principal.name ?? null,
        bookerEmail: principal.email ?? null,
      }),
    );
    const places: Place[] = [];
    // One insert per delegate, in order, so queue_seq follows the order they were named in.
    for (const [i, delegate] of input.delegates.entries()) {
      places.push(
        await manager.getRepository(Place).save(
          manager.getRepository(Place).create({
            bookingId: booking.id,
            eventId: event.id,
            workshopId: delegate.workshopId ?? null,
            schoolUrn: input.schoolUrn,
            delegateName: delegate.name.trim(),
            delegateEmail: emails[i],
            jobTitle: delegate.jobTitle?.trim() || null,
            accessRequirements: delegate.accessRequirements?.trim() || null,
            dietaryRequirements: delegate.dietaryRequirements?.trim() || null,
            status: decisions[i],
          }),
        ),
      );
    }
    booking.places = places;

    await audit(manager, [
      { subjectType: 'booking', subjectId: booking.id, action: 'booking.created', actor: principal.sub, details: { eventId: event.id, schoolUrn: input.schoolUrn } },
      ...places.map((p) => ({ subjectType: 'place' as const, subjectId: p.id, action: `place.${p.status.toLowerCase()}`, actor: principal.sub })),
    ]);
    const booker = principal.email ? { name: principal.name, email: principal.email } : undefined;
    const jobs = newBookingEmails(event, booking, places, new Map(workshops.map((w) => [w.id, w])), booker, this.emails, this.clock(), input.sendco);
    return { result: booking, jobs };
  }

  private assertOpen(event: TrainingEvent): void {
    const now = this.clock();
    if (event.status === EventStatus.CANCELLED) throw bookingClosed('This event has been cancelled.');
    if (event.status === EventStatus.COMPLETED || now >= event.startsAt) throw bookingClosed('This event has already taken place.');
    if (event.status !== EventStatus.PUBLISHED) throw bookingClosed('This event is not open for booking yet.');
    if (event.bookingClosesAt && now >= event.bookingClosesAt) throw bookingClosed('Booking for this event has closed.');
  }

  /** A school's bookings, newest first: its own staff and council roles only. */
  async bookingsOfSchool(principal: Principal, schoolUrn: string): Promise<Booking[]> {
    requireSchoolPrivate(principal, schoolUrn);
    return this.dataSource.getRepository(Booking).find({ where: { schoolUrn }, order: { createdAt: 'DESC' } });
  }

  /** Places of many bookings, in queue order, in one query. */
  async placesOfBookings(bookingIds: readonly string[]): Promise<Place[][]> {
    const rows = bookingIds.length ? await this.dataSource.getRepository(Place).find({ where: { bookingId: In([...bookingIds]) }, order: { queueSeq: 'ASC' } }) : [];
    return bookingIds.map((id) => rows.filter((p) => p.bookingId === id));
  }

  /** A delegate's own active places on events that have not started, soonest first. */
  async upcomingPlacesOf(principal: Principal): Promise<Place[]> {
    requireSignedIn(principal);
    if (!principal.email) return [];
    return this.dataSource
      .getRepository(Place)
      .createQueryBuilder('p')
      .innerJoin(TrainingEvent, 'e', 'e.id = p.event_id')
      .where('p.delegate_email = :email', { email: principal.email.trim().toLowerCase() })
      .andWhere('p.status IN (:...active)', { active: ACTIVE })
      .andWhere('e.status = :published AND e.starts_at > :now', { published: EventStatus.PUBLISHED, now: this.clock() })
      .orderBy('e.starts_at', 'ASC')
      .getMany();
  }

  /** The register: every place on the event in queue order. Training team only. */
  async placesOfEvent(principal: Principal, eventId: string): Promise<Place[]> {
    if (!hasRole(principal, 'TRAINING_ADMIN')) throw forbidden('Only the training team can see the register.');
    return this.dataSource.getRepository(Place).find({ where: { eventId }, order: { queueSeq: 'ASC' } });
  }
}

/** Rules about the delegates list that need no database. */
export function checkDelegates(input: BookEventInput): FieldProblem[] {
  const seen = new Map<string, number>();
  const problems: FieldProblem[] = [];
  input.delegates.forEach((delegate, i) => {
    const email = delegate.email.trim().toLowerCase();
    if (seen.has(email)) problems.push({ field: `delegates.${i}.email`, message: `is the same as delegate ${seen.get(email)! + 1}'s` });
    else seen.set(email, i);
    if (!delegate.name.trim()) problems.push({ field: `delegates.${i}.name`, message: 'must not be blank' });
  });
  return problems;
}

/** On an event with workshops every delegate picks one of its workshops; on one without, none. */
export function checkWorkshopChoices(input: BookEventInput, workshops: Workshop[]): FieldProblem[] {
  const ids = new Set(workshops.map((w) => w.id));
  const problems: FieldProblem[] = [];
  input.delegates.forEach((delegate, i) => {
    const field = `delegates.${i}.workshopId`;
    if (workshops.length && !delegate.workshopId) problems.push({ field, message: 'is required: choose a workshop' });
    else if (delegate.workshopId && !ids.has(delegate.workshopId)) problems.push({ field, message: 'is not a workshop of this event' });
  });
  return problems;
}
