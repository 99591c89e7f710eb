/**
 * Events: creating and publishing them (training team), finding them (everyone), and how full
 * they are. Booking rules live in bookings/; the capacity rule in capacity/.
 */
import { Brackets, In, type DataSource } from 'typeorm';
import { hasRole, requireRole, type Principal } from '@sendco/auth';
import { isUuid, audit } from '@sendco/database';
import { badUserInput, conflict, notFound, type FieldProblem } from '@sendco/errors';
import { decodeCursor, pageSize, toConnection, type Connection } from '@sendco/federation';
import { HOLDS_PLACE, PlaceStatus } from '../bookings/place-status';
import { Place } from '../bookings/place.entity';
import { lockEvent } from './event-lock';
import { EventFormat, EventStatus } from './event.enums';
import { TrainingEvent } from './event.entity';
import { toVenue, type CreateEventInput, type EventFilter } from './event.inputs';
import { Workshop } from './workshop.entity';

export type WorkshopWithTaken = Workshop & { taken: number };

export interface Availability {
  taken: number;
  waiting: number;
}

export class EventService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** TRAINING_ADMIN. Starts as DRAFT, invisible to schools until published. */
  async createEvent(principal: Principal, input: CreateEventInput): Promise<TrainingEvent> {
    requireRole(principal, 'TRAINING_ADMIN');
    const problems = checkEventInput(input);
    if (problems.length) throw badUserInput(problems);
    return this.dataSource.transaction(async (manager) => {
      const event = await manager.getRepository(TrainingEvent).save(
        manager.getRepository(TrainingEvent).create({
          title: input.title.trim(),
          category: input.category,
          summary: input.summary,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          format: input.format,
          venue: input.venue ? toVenue(input.venue) : null,
          joiningUrl: input.joiningUrl ?? null,
          capacity: input.capacity,
          bookingClosesAt: input.bookingClosesAt ?? null,
          cancellationDeadline: input.cancellationDeadline ?? null,
          cpdHours: input.cpdHours,
          audience: input.audience,
          pricePerDelegatePence: input.pricePerDelegatePence,
          reminderHoursBefore: input.reminderHoursBefore ?? 48,
          status: EventStatus.DRAFT,
          createdBy: principal.sub,
        }),
      );
      if (input.workshops.length) {
        await manager.getRepository(Workshop).insert(input.workshops.map((w, position) => ({ eventId: event.id, title: w.title, phase: w.phase, capacity: w.capacity, position })));
      }
      await audit(manager, [{ subjectType: 'event', subjectId: event.id, action: 'event.created', actor: principal.sub, details: { title: event.title } }]);
      return event;
    });
  }

  /** TRAINING_ADMIN. DRAFT → PUBLISHED; publishing again is harmless. */
  async publishEvent(principal: Principal, id: string): Promise<TrainingEvent> {
    requireRole(principal, 'TRAINING_ADMIN');
    return this.dataSource.transaction(async (manager) => {
      const event = await lockEvent(manager, id);
      if (event.status === EventStatus.PUBLISHED) return event;
      if (event.status !== EventStatus.DRAFT) throw conflict(`A ${event.status.toLowerCase()} event cannot be published.`);
      event.status = EventStatus.PUBLISHED;
      await manager.getRepository(TrainingEvent).update({ id }, { status: EventStatus.PUBLISHED });
      await audit(manager, [{ subjectType: 'event', subjectId: id, action: 'event.published', actor: principal.sub }]);
      return event;
    });
  }

  /** Public: published events, soonest first, filtered, paged by keyset. */
  async listPublished(filter: EventFilter = {}, first?: number | null, after?: string | null): Promise<Connection<TrainingEvent>> {
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const query = this.dataSource
      .getRepository(TrainingEvent)
      .createQueryBuilder('e')
      .where('e.status = :status', { status: EventStatus.PUBLISHED });
    if (filter.category) query.andWhere('e.category = :category', { category: filter.category });
    if (filter.phase) query.andWhere(':phase = ANY(e.audience)', { phase: filter.phase });
    if (filter.from) query.andWhere('e.starts_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.starts_at < :to', { to: filter.to });
    if (filter.text?.trim()) {
      const like = `%${filter.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(new Brackets((q) => q.where('e.title ILIKE :like', { like }).orWhere('e.summary ILIKE :like', { like })));
    }
    const totalCount = await query.getCount();
    if (cursor) {
      query.andWhere('(e.starts_at, e.id) > (:cursorAt, :cursorId)', { cursorAt: new Date(cursor.key), cursorId: cursor.id });
    }
    const rows = await query.orderBy('e.starts_at', 'ASC').addOrderBy('e.id', 'ASC').limit(size + 1).getMany();
    return toConnection(rows, size, totalCount, (e) => ({ key: e.startsAt.toISOString(), id: e.id }));
  }

  /** Published events for everyone; drafts only for the training team. */
  async getEvent(principal: Principal, id: string): Promise<TrainingEvent> {
    const event = isUuid(id) ? await this.dataSource.getRepository(TrainingEvent).findOneBy({ id }) : null;
    if (!event || (event.status === EventStatus.DRAFT && !hasRole(principal, 'TRAINING_ADMIN'))) throw notFound('Event');
    return event;
  }

  async findByIds(ids: readonly string[]): Promise<(TrainingEvent | null)[]> {
    const rows = ids.length ? await this.dataSource.getRepository(TrainingEvent).findBy({ id: In([...ids]) }) : [];
    const byId = new Map(rows.map((e) => [e.id, e]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Open for booking: published, not started, and before the booking close time. */
  isBookingOpen(event: TrainingEvent): boolean {
    const now = this.clock();
    return event.status === EventStatus.PUBLISHED && now < event.startsAt && (!event.bookingClosesAt || now < event.bookingClosesAt);
  }

  /** Places held and delegates waiting, per event, in one query. */
  async availability(eventIds: readonly string[]): Promise<Availability[]> {
    const rows: { event_id: string; taken: string; waiting: string }[] = eventIds.length
      ? await this.dataSource
          .getRepository(Place)
          .createQueryBuilder('p')
          .select('p.event_id', 'event_id')
          .addSelect('count(*) FILTER (WHERE p.status IN (:...holds))', 'taken')
          .addSelect('count(*) FILTER (WHERE p.status = :waiting)', 'waiting')
          .where('p.event_id IN (:...ids)', { ids: [...eventIds] })
          .setParameters({ holds: HOLDS_PLACE, waiting: PlaceStatus.WAITLISTED })
          .groupBy('p.event_id')
          .getRawMany()
      : [];
    const byId = new Map(rows.map((r) => [r.event_id, { taken: Number(r.taken), waiting: Number(r.waiting) }]));
    return eventIds.map((id) => byId.get(id) ?? { taken: 0, waiting: 0 });
  }

  /** Workshops of many events, with the places held on each, in two queries. */
  async workshopsOf(eventIds: readonly string[]): Promise<WorkshopWithTaken[][]> {
    if (!eventIds.length) return [];
    const workshops = await this.dataSource.getRepository(Workshop).find({ where: { eventId: In([...eventIds]) }, order: { position: 'ASC' } });
    const counts: { workshop_id: string; taken: string }[] = workshops.length
      ? await this.dataSource
          .getRepository(Place)
          .createQueryBuilder('p')
          .select('p.workshop_id', 'workshop_id')
          .addSelect('count(*)', 'taken')
          .where('p.workshop_id IN (:...ids)', { ids: workshops.map((w) => w.id) })
          .andWhere('p.status IN (:...holds)', { holds: HOLDS_PLACE })
          .groupBy('p.workshop_id')
          .getRawMany()
      : [];
    const taken = new Map(counts.map((c) => [c.workshop_id, Number(c.taken)]));
    return eventIds.map((id) => workshops.filter((w) => w.eventId === id).map((w) => Object.assign(w, { taken: taken.get(w.id) ?? 0 })));
  }
}

/** Cross-field rules class-validator cannot express. */
export function checkEventInput(input: CreateEventInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(input.endsAt > input.startsAt)) problems.push({ field: 'endsAt', message: 'must be after startsAt' });
  if (input.bookingClosesAt && input.bookingClosesAt > input.startsAt) problems.push({ field: 'bookingClosesAt', message: 'must be no later than startsAt' });
  if (input.cancellationDeadline && input.cancellationDeadline > input.startsAt) problems.push({ field: 'cancellationDeadline', message: 'must be no later than startsAt' });
  if (input.format !== EventFormat.ONLINE && !input.venue) problems.push({ field: 'venue', message: 'is required for an in-person or hybrid event' });
  if (input.format !== EventFormat.IN_PERSON && !input.joiningUrl) problems.push({ field: 'joiningUrl', message: 'is required for an online or hybrid event' });
  const workshopTotal = input.workshops.reduce((sum, w) => sum + w.capacity, 0);
  if (input.workshops.length && workshopTotal < input.capacity) {
    problems.push({ field: 'workshops', message: `their capacities add up to ${workshopTotal}, fewer than the event's ${input.capacity}: every delegate needs a workshop` });
  }
  return problems;
}

