/**
 * Clinics: the delivering school (or ADMIN) creates, edits and cancels them; everyone finds the
 * upcoming ones. Edits and cancellations take the clinic's row lock, the same lock requests take,
 * and email every active attendee in the same transaction (outbox).
 */
import { In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { hasRole, requireSignedIn, type Principal } from '@sendco/auth';
import { audit, isUuid } from '@sendco/database';
import { badUserInput, conflict, notFound, type FieldProblem } from '@sendco/errors';
import { decodeCursor, pageSize, toConnection, type Connection } from '@sendco/federation';
import { commitWithJobs, type OutboxJob, type OutboxRelay } from '@sendco/queue';
import { isProviderOf, requireMayRunClinicsOf } from '../access';
import { cancellationEmails, clinicChangedEmail } from '../requests/request-emails';
import { ClinicRequest } from '../requests/clinic-request.entity';
import { heldPlaces } from '../requests/held-places';
import { ClinicRequestStatus, HOLDS_PLACE } from '../requests/request-status';
import { checkSpecialSchool, type SchoolDirectory } from '../schools/special-schools';
import { findTheme } from '../themes/theme.service';
import { normaliseQuestions } from '@sendco/forms';
import { lockClinic } from './clinic-lock';
import { applyClinicUpdate, changesForAttendees, checkClinicDetails, detailsOf, toClinicLocation, type ClinicDetails } from './clinic-rules';
import { Clinic, type ClinicLocation } from './clinic.entity';
import { ClinicStatus } from './clinic.enums';
import type { ClinicFilter, CreateClinicInput, UpdateClinicInput } from './clinic.inputs';

/** The most clinics the plain `clinics` list returns; clinicsConnection pages through any number. */
export const MAX_CLINICS_LISTED = 500;

/** Location columns as stored: all null for an online clinic. */
function locationColumns(location: ClinicLocation | null): ClinicLocation {
  return { name: location?.name ?? (null as unknown as string), address: location?.address ?? null, postcode: location?.postcode ?? null };
}

export class ClinicService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schools: SchoolDirectory,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** CLINIC_PROVIDER of the delivering school, or ADMIN. The delivering school must be a special school in the directory. */
  async createClinic(principal: Principal, input: CreateClinicInput): Promise<Clinic> {
    requireMayRunClinicsOf(principal, input.deliveringSchoolUrn);
    const details: ClinicDetails = {
      theme: input.theme.trim(),
      description: input.description.trim(),
      mode: input.mode,
      location: input.location ? toClinicLocation(input.location) : null,
      joiningUrl: input.joiningUrl ?? null,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      capacity: input.capacity,
      contactEmail: input.contactEmail.trim().toLowerCase(),
      bookingQuestions: normaliseQuestions(input.bookingQuestions ?? []),
    };
    const problems = checkClinicDetails(details, this.clock());
    const theme = await findTheme(this.dataSource.manager, details.theme);
    if (theme?.active) details.theme = theme.name;
    else problems.push(NOT_A_THEME);
    // Outside any transaction: no lock is held while the directory answers.
    const school = await checkSpecialSchool(this.schools, input.deliveringSchoolUrn, 'deliveringSchoolUrn');
    if ('problem' in school) problems.push(school.problem);
    if (problems.length) throw badUserInput(problems);

    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Clinic);
      const clinic = await repo.save(
        repo.create({
          ...details,
          location: locationColumns(details.location),
          deliveringSchoolUrn: input.deliveringSchoolUrn,
          status: ClinicStatus.SCHEDULED,
          createdBy: principal.sub,
        }),
      );
      await audit(manager, [
        { subjectType: 'clinic', subjectId: clinic.id, action: 'clinic.created', actor: principal.sub, details: { theme: clinic.theme, deliveringSchoolUrn: clinic.deliveringSchoolUrn, startsAt: clinic.startsAt } },
      ]);
      return clinic;
    });
  }

  /**
   * The delivering school or ADMIN. A clinic that is cancelled or has started cannot change;
   * capacity cannot go below the places already held. When something attendees are told changes,
   * each active attendee is emailed (confirmed ones an updated invitation, same UID, raised SEQUENCE).
   */
  async updateClinic(principal: Principal, id: string, input: UpdateClinicInput): Promise<Clinic> {
    requireSignedIn(principal);
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const clinic = await lockClinic(manager, id);
      requireMayRunClinicsOf(principal, clinic.deliveringSchoolUrn);
      assertChangeable(clinic, this.clock());
      const before = detailsOf(clinic);
      const after = applyClinicUpdate(before, input);
      const problems: FieldProblem[] = checkClinicDetails(after, this.clock());
      const [held] = await heldPlaces(manager, [clinic.id]);
      if (after.capacity < held) problems.push({ field: 'capacity', message: `cannot be below the ${held} places already held` });
      if (problems.length) throw badUserInput(problems);
      if (after.theme.toLowerCase() !== before.theme.toLowerCase()) after.theme = await activeThemeName(manager, after.theme);

      Object.assign(clinic, after, { location: locationColumns(after.location) });
      await manager.getRepository(Clinic).save(clinic);
      const changed = (Object.keys(after) as (keyof ClinicDetails)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
      await audit(manager, [{ subjectType: 'clinic', subjectId: clinic.id, action: 'clinic.updated', actor: principal.sub, details: { changed } }]);
      if (!changesForAttendees(before, after)) return { result: clinic, jobs: [] };

      const active = await activeRequests(manager, clinic.id);
      const jobs: OutboxJob[] = [];
      for (const request of active) {
        if (request.status === ClinicRequestStatus.CONFIRMED) {
          request.inviteSequence += 1;
          await manager.getRepository(ClinicRequest).update({ id: request.id }, { inviteSequence: request.inviteSequence });
        }
        jobs.push(clinicChangedEmail(clinic, request));
      }
      return { result: clinic, jobs };
    });
  }

  /** The delivering school or ADMIN: every active request is cancelled and its attendee emailed. Cancelling again changes nothing. */
  async cancelClinic(principal: Principal, id: string, reason?: string | null): Promise<Clinic> {
    requireSignedIn(principal);
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const clinic = await lockClinic(manager, id);
      requireMayRunClinicsOf(principal, clinic.deliveringSchoolUrn);
      if (clinic.status === ClinicStatus.CANCELLED) return { result: clinic, jobs: [] };
      if (this.clock() >= clinic.startsAt) throw conflict('This clinic has already taken place.');
      clinic.status = ClinicStatus.CANCELLED;
      clinic.cancelledReason = reason?.trim() || null;
      await manager.getRepository(Clinic).update({ id: clinic.id }, { status: clinic.status, cancelledReason: clinic.cancelledReason });

      const active = await activeRequests(manager, clinic.id);
      const jobs: OutboxJob[] = [];
      for (const request of active) {
        const wasConfirmed = request.status === ClinicRequestStatus.CONFIRMED;
        request.status = ClinicRequestStatus.CANCELLED;
        request.cancelledReason = clinic.cancelledReason;
        if (wasConfirmed) request.inviteSequence += 1;
        await manager.getRepository(ClinicRequest).update({ id: request.id }, { status: request.status, cancelledReason: request.cancelledReason, inviteSequence: request.inviteSequence });
        jobs.push(...cancellationEmails(clinic, request, 'clinic', wasConfirmed));
      }
      await audit(manager, [
        { subjectType: 'clinic', subjectId: clinic.id, action: 'clinic.cancelled', actor: principal.sub, details: { reason: clinic.cancelledReason, requestsCancelled: active.length } },
        ...active.map((r) => ({ subjectType: 'clinic_request', subjectId: r.id, action: 'clinic_request.cancelled', actor: principal.sub, details: { by: 'clinic' } })),
      ]);
      return { result: clinic, jobs };
    });
  }

  /** Public: scheduled clinics that have not started, soonest first, filtered. */
  async listUpcoming(filter: ClinicFilter = {}): Promise<Clinic[]> {
    return this.upcomingQuery(filter).orderBy('c.starts_at', 'ASC').addOrderBy('c.id', 'ASC').limit(MAX_CLINICS_LISTED).getMany();
  }

  /** Public: the same list as Relay pages (keyset on start time and id). */
  async pageUpcoming(filter: ClinicFilter = {}, first?: number | null, after?: string | null): Promise<Connection<Clinic>> {
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const query = this.upcomingQuery(filter);
    const totalCount = await query.getCount();
    if (cursor) query.andWhere('(c.starts_at, c.id) > (:cursorAt, :cursorId)', { cursorAt: new Date(cursor.key), cursorId: cursor.id });
    const rows = await query.orderBy('c.starts_at', 'ASC').addOrderBy('c.id', 'ASC').limit(size + 1).getMany();
    return toConnection(rows, size, totalCount, (c) => ({ key: c.startsAt.toISOString(), id: c.id }));
  }

  /** Public: any clinic by id, cancelled and past ones too (their status says so). */
  async getClinic(id: string): Promise<Clinic> {
    const clinic = isUuid(id) ? await this.dataSource.getRepository(Clinic).findOneBy({ id }) : null;
    if (!clinic) throw notFound('Clinic');
    return clinic;
  }

  /**
   * The delivering school's own clinics, all statuses, soonest first (past ones when asked): its
   * providers for their school, ADMIN for any school.
   */
  async clinicsOfProvider(principal: Principal, schoolUrn: string | undefined, includePast: boolean): Promise<Clinic[]> {
    requireSignedIn(principal);
    const urn = schoolUrn ?? (isProviderOf(principal, principal.schoolUrn) ? principal.schoolUrn : undefined);
    if (!urn) throw badUserInput([{ field: 'schoolUrn', message: hasRole(principal, 'ADMIN') ? 'is required for ADMIN' : 'is required' }]);
    requireMayRunClinicsOf(principal, urn);
    const query = this.dataSource.getRepository(Clinic).createQueryBuilder('c').where('c.delivering_school_urn = :urn', { urn });
    if (!includePast) query.andWhere('c.starts_at > :now', { now: this.clock() });
    return query.orderBy('c.starts_at', 'ASC').addOrderBy('c.id', 'ASC').getMany();
  }

  async findByIds(ids: readonly string[]): Promise<(Clinic | null)[]> {
    const rows = ids.length ? await this.dataSource.getRepository(Clinic).findBy({ id: In([...ids]) }) : [];
    const byId = new Map(rows.map((c) => [c.id, c]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Places held per clinic, for placesLeft (batched across a response). */
  heldPlaces(clinicIds: readonly string[]): Promise<number[]> {
    return heldPlaces(this.dataSource, clinicIds);
  }

  private upcomingQuery(filter: ClinicFilter): SelectQueryBuilder<Clinic> {
    const query = this.dataSource
      .getRepository(Clinic)
      .createQueryBuilder('c')
      .where('c.status = :scheduled', { scheduled: ClinicStatus.SCHEDULED })
      .andWhere('c.starts_at > :now', { now: this.clock() });
    if (filter.theme?.trim()) query.andWhere('lower(c.theme) = lower(:theme)', { theme: filter.theme.trim() });
    if (filter.mode) query.andWhere('c.mode = :mode', { mode: filter.mode });
    if (filter.from) query.andWhere('c.starts_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('c.starts_at < :to', { to: filter.to });
    if (filter.deliveringSchoolUrn) query.andWhere('c.delivering_school_urn = :urn', { urn: filter.deliveringSchoolUrn });
    return query;
  }
}

/** Edits need a clinic that is still to come and not cancelled. */
function assertChangeable(clinic: Clinic, now: Date): void {
  if (clinic.status === ClinicStatus.CANCELLED) throw conflict('This clinic has been cancelled and can no longer change.');
  if (now >= clinic.startsAt) throw conflict('This clinic has already taken place.');
}

const NOT_A_THEME: FieldProblem = { field: 'theme', message: 'is not one of clinicThemes' };

/** The theme as the managed list spells it; BAD_USER_INPUT when it is not an active theme. */
async function activeThemeName(manager: EntityManager, name: string): Promise<string> {
  const theme = await findTheme(manager, name);
  if (!theme?.active) throw badUserInput([NOT_A_THEME]);
  return theme.name;
}

/** Requests still holding a place, in the order they came. */
function activeRequests(manager: EntityManager, clinicId: string): Promise<ClinicRequest[]> {
  return manager.getRepository(ClinicRequest).find({ where: { clinicId, status: In([...HOLDS_PLACE]) }, order: { requestedAt: 'ASC' } });
}
