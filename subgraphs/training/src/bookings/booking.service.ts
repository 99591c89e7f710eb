/**
 * Booking places. The rule that matters here is "never oversold, first come first served, under
 * any concurrency": every booking of an event takes that event's row lock (SELECT … FOR UPDATE)
 * before it counts places, so bookings of one event are decided one after another by the
 * database, whichever process or instance takes them.
 */
import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { hasRole, isStaffOf, requireSchoolPrivate, requireSignedIn, type Principal } from '@sendco/auth';
import { auditInsert, entityTable, hydrate, insertRows, isUuid, PgErrorCode, pgErrorCode, type AuditRecord, type TransactionSession } from '@sendco/database';
import { badUserInput, bookingClosed, conflict, forbidden, notFound, type FieldProblem } from '@sendco/errors';
import { commitWithJobsInTwoTrips, type OutboxRelay, type WorkWithJobs } from '@sendco/queue';
import { allocatePlaces } from '../capacity/capacity';
import { capacitySnapshot } from '../capacity/capacity-snapshot';
import { eventLockStatement, lockedEventFrom } from '../events/event-lock';
import { EventStatus } from '../events/event.enums';
import { TrainingEvent } from '../events/event.entity';
import { Workshop } from '../events/workshop.entity';
import { newBookingEmails, type EmailSettings } from './booking-emails';
import { bookingStateFrom, bookingStateStatement } from './booking-state';
import { Booking } from './booking.entity';
import type { BookEventInput } from './booking.inputs';
import { newBookingReference } from './booking-reference';
import { bookingRequestHash } from './booking-request-hash';
import { alreadyBooked } from './place-lookups';
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

    if (!isUuid(input.eventId)) throw notFound('Event');
    const manager = this.dataSource.manager;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // Made before the lock: everything that does not depend on what others have booked.
        const draft = draftBooking(principal, input);
        // Sent with BEGIN, in one message: the lock, then the read of all the booking decides on.
        const opening = [
          eventLockStatement(manager, input.eventId),
          bookingStateStatement(manager, input.eventId, draft.emails, { schoolUrn: input.schoolUrn, key: input.idempotencyKey }),
        ];
        return await commitWithJobsInTwoTrips(this.dataSource, this.outbox, opening, ([locked, [stateRow]], session) =>
          this.decideBooking(lockedEventFrom(manager, locked), stateRow, session, principal, input, draft),
        );
      } catch (error) {
        // A reference collision (1 in 10^12) is worth one more try; nothing else is.
        if (pgErrorCode(error) === PgErrorCode.UNIQUE_VIOLATION && attempt < 3 && /reference/.test(String((error as Error).message))) continue;
        throw error;
      }
    }
  }

  /**
   * The booking, and the emails it requires (none when the idempotency key finds an earlier
   * booking), decided holding the event's lock. Every other booking of the event waits while
   * this holds it, so the lock is held for one and a half round trips: the read of all it decides
   * on came in the lock's own message, and one statement writes the booking, its places, the
   * audit and the outbox (the `writes`), sent together with COMMIT (commitWithJobsInTwoTrips).
   */
  private async decideBooking(
    locked: TrainingEvent | null,
    stateRow: Record<string, unknown>,
    session: TransactionSession,
    principal: Principal,
    input: BookEventInput,
    draft: DraftBooking,
  ): Promise<WorkWithJobs<Booking>> {
    const manager = this.dataSource.manager;
    if (!locked || (locked.status === EventStatus.DRAFT && !hasRole(principal, 'TRAINING_ADMIN'))) throw notFound('Event');
    const event = locked;
    const state = bookingStateFrom(stateRow);

    // Under the lock, so two submissions with one key cannot both book.
    if (state.existingBookingId) {
      const existing = await earlierBooking(manager, session, state.existingBookingId);
      if (existing.eventId !== input.eventId) throw conflict('This idempotencyKey was already used for a booking of another event.', { fields: ['idempotencyKey'] });
      // Made before request hashes were kept: nothing to compare, answered as before.
      if (existing.requestHash && existing.requestHash !== draft.booking.requestHash) {
        throw conflict('This idempotencyKey was already used for a different booking (other delegates or details); use a new key for a new booking.', {
          fields: ['idempotencyKey'],
        });
      }
      return { result: existing, jobs: [] };
    }

    this.assertOpen(event);
    const workshopProblems = checkWorkshopChoices(input, state.workshops);
    if (workshopProblems.length) throw badUserInput(workshopProblems);
    if (event.pricePerDelegatePence > 0 && !input.purchaseOrder?.trim()) {
      throw badUserInput([{ field: 'purchaseOrder', message: 'is required for a priced event' }]);
    }
    if (state.alreadyBooked.length) throw alreadyBooked(state.alreadyBooked);

    const decisions = allocatePlaces(capacitySnapshot(event, state.workshops, state.held), input.delegates);
    const booking = Object.assign(draft.booking, { eventId: event.id, createdAt: state.now });
    // In the order the delegates were named: one multi-row INSERT numbers queue_seq in that order.
    const places = draft.places.map((place, i) => Object.assign(place, { eventId: event.id, status: decisions[i], createdAt: state.now, updatedAt: state.now }));
    booking.places = places;

    const records: AuditRecord[] = [
      { subjectType: 'booking', subjectId: booking.id, action: 'booking.created', actor: principal.sub, details: { eventId: event.id, schoolUrn: input.schoolUrn } },
      ...places.map((p) => ({ subjectType: 'place' as const, subjectId: p.id, action: `place.${p.status.toLowerCase()}`, actor: principal.sub })),
    ];
    const booker = principal.email ? { name: principal.name, email: principal.email } : undefined;
    const jobs = newBookingEmails(event, booking, places, new Map(state.workshops.map((w) => [w.id, w])), booker, this.emails, this.clock(), input.sendco);
    return {
      result: booking,
      jobs,
      writes: [insertRows(manager, Booking, [bookingRow(booking)]), insertRows(manager, Place, places.map(placeRow)), auditInsert(manager, records)],
    };
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

/** The booking an idempotency key already made, with its places in queue order (read in the booking's transaction). */
async function earlierBooking(manager: DataSource['manager'], session: TransactionSession, id: string): Promise<Booking> {
  const [row] = await session.query(`SELECT * FROM ${entityTable(manager, Booking)} WHERE id = $1`, [id]);
  const places = await session.query(`SELECT * FROM ${entityTable(manager, Place)} WHERE booking_id = $1 ORDER BY queue_seq`, [id]);
  const booking = hydrate(manager, Booking, row);
  booking.places = places.map((place) => hydrate(manager, Place, place));
  return booking;
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

/** A booking and its places with their ids, before the event's lock decides the places' statuses. */
interface DraftBooking {
  booking: Booking;
  places: Place[];
  /** The delegates' addresses, lower-cased, in order. */
  emails: string[];
}

function draftBooking(principal: Principal, input: BookEventInput): DraftBooking {
  const emails = input.delegates.map((d) => d.email.trim().toLowerCase());
  const booking = Object.assign(new Booking(), {
    id: randomUUID(),
    reference: newBookingReference(),
    schoolUrn: input.schoolUrn,
    purchaseOrder: input.purchaseOrder?.trim() || null,
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: input.idempotencyKey ? bookingRequestHash(input) : null,
    bookedBy: principal.sub,
    bookerName: principal.name ?? null,
    bookerEmail: principal.email ?? null,
  });
  const places = input.delegates.map((delegate, i) =>
    Object.assign(new Place(), {
      id: randomUUID(),
      bookingId: booking.id,
      workshopId: delegate.workshopId ?? null,
      schoolUrn: input.schoolUrn,
      delegateName: delegate.name.trim(),
      delegateEmail: emails[i],
      jobTitle: delegate.jobTitle?.trim() || null,
      accessRequirements: delegate.accessRequirements?.trim() || null,
      dietaryRequirements: delegate.dietaryRequirements?.trim() || null,
      inviteSequence: 0,
      remindedAt: null,
      cancelledReason: null,
    }),
  );
  return { booking, places, emails };
}

/** The columns a new booking sets; created_at is the transaction's time by default. */
function bookingRow(b: Booking): Partial<Booking> {
  const { id, reference, eventId, schoolUrn, purchaseOrder, idempotencyKey, requestHash, bookedBy, bookerName, bookerEmail } = b;
  return { id, reference, eventId, schoolUrn, purchaseOrder, idempotencyKey, requestHash, bookedBy, bookerName, bookerEmail };
}

/** The columns a new place sets; queue_seq comes from its sequence, in insert order. */
function placeRow(p: Place): Partial<Place> {
  const { id, bookingId, eventId, workshopId, schoolUrn, delegateName, delegateEmail, jobTitle, accessRequirements, dietaryRequirements, status } = p;
  return { id, bookingId, eventId, workshopId, schoolUrn, delegateName, delegateEmail, jobTitle, accessRequirements, dietaryRequirements, status };
}
