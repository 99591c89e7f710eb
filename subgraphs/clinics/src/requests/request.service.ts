/**
 * Requests for clinic places. "Never oversold, under any concurrency": every change to a
 * clinic's requests takes that clinic's row lock first (lockClinic), then counts the places held,
 * so requests for one clinic are decided one after another by the database.
 */
import { In, type DataSource, type EntityManager } from 'typeorm';
import { isStaffOf, requireSchoolPrivate, requireSignedIn, type Principal } from '@sendco/auth';
import { audit, isUuid } from '@sendco/database';
import { badUserInput, conflict, forbidden, notFound } from '@sendco/errors';
import { commitWithJobs, type OutboxJob, type OutboxRelay } from '@sendco/queue';
import { mayCancelRequest, mayRequestFor, maySeeRequest, requireMayRunClinicsOf } from '../access';
import { checkAnswers } from '@sendco/forms';
import { lockClinic } from '../clinics/clinic-lock';
import { assertBookable, placesLeft } from '../clinics/clinic-rules';
import { Clinic } from '../clinics/clinic.entity';
import { ClinicRequest } from './clinic-request.entity';
import { cancellationEmails, decisionEmails, requestReceivedEmail } from './request-emails';
import type { ClinicRequestInput } from './request.inputs';
import { checkCancellation, checkDecision, checkNotStarted, hasRoom, statusAfterDecision } from './request-rules';
import { heldPlaces } from './held-places';
import { ClinicDecision, ClinicRequestStatus, HOLDS_PLACE } from './request-status';

export class ClinicRequestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * SENDCO or SCHOOL_STAFF of the school (or ADMIN). The request holds a place at once (status
   * REQUESTED) and the delivering school's contact is emailed the answers. A full clinic answers
   * CONFLICT; a cancelled or past one BOOKING_CLOSED.
   */
  async requestPlace(principal: Principal, input: ClinicRequestInput): Promise<ClinicRequest> {
    requireSignedIn(principal);
    if (!mayRequestFor(principal, input.schoolUrn)) throw forbidden('You can only ask for places for your own school.');
    const attendeeName = input.attendee.name.trim();
    if (!attendeeName) throw badUserInput([{ field: 'attendee.name', message: 'must not be blank' }]);
    const attendeeEmail = input.attendee.email.trim().toLowerCase();

    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const clinic = await lockClinic(manager, input.clinicId);
      assertBookable(clinic, this.clock());
      const { problems, recorded } = checkAnswers(clinic.bookingQuestions, input.answers, 'answers');
      if (problems.length) throw badUserInput(problems);

      const repo = manager.getRepository(ClinicRequest);
      const existing = await repo.findOne({ where: { clinicId: clinic.id, attendeeEmail, status: In([...HOLDS_PLACE]) } });
      if (existing) throw conflict(`${attendeeName} already has a ${existing.status.toLowerCase()} place at this clinic.`);
      const [held] = await heldPlaces(manager, [clinic.id]);
      if (!hasRoom(clinic.capacity, held)) throw conflict('This clinic is full.');

      const request = await repo.save(
        repo.create({
          clinicId: clinic.id,
          schoolUrn: input.schoolUrn,
          attendeeName,
          attendeeEmail,
          attendeeRole: input.attendee.role?.trim() || null,
          answers: recorded,
          status: ClinicRequestStatus.REQUESTED,
          inviteSequence: 0,
          requestedBy: principal.sub,
          requesterName: principal.name ?? null,
          requesterEmail: principal.email?.trim().toLowerCase() ?? null,
        }),
      );
      await audit(manager, [
        { subjectType: 'clinic_request', subjectId: request.id, action: 'clinic_request.requested', actor: principal.sub, details: { clinicId: clinic.id, schoolUrn: input.schoolUrn } },
      ]);
      return { result: request, jobs: [requestReceivedEmail(clinic, request, placesLeft(clinic.capacity, held + 1))] };
    });
  }

  /** The delivering school's provider (or ADMIN) confirms or declines; the attendee is emailed (an invitation when confirmed). */
  async decide(principal: Principal, id: string, decision: ClinicDecision, message?: string | null): Promise<ClinicRequest> {
    return this.change(principal, id, (request, clinic) => requireMayRunClinicsOf(principal, clinic.deliveringSchoolUrn), async (manager, request, clinic) => {
      if (checkDecision(request.status, decision) === 'unchanged') return { result: request, jobs: [] };
      checkNotStarted(clinic, this.clock());
      request.status = statusAfterDecision(decision);
      request.decisionMessage = message?.trim() || null;
      request.decidedAt = this.clock();
      await manager.getRepository(ClinicRequest).update({ id: request.id }, { status: request.status, decisionMessage: request.decisionMessage, decidedAt: request.decidedAt });
      await audit(manager, [
        { subjectType: 'clinic_request', subjectId: request.id, action: `clinic_request.${request.status.toLowerCase()}`, actor: principal.sub, details: { message: request.decisionMessage } },
      ]);
      return { result: request, jobs: decisionEmails(clinic, request) };
    });
  }

  /**
   * Either side cancels: the requesting school's staff or the delivering school's provider (or
   * ADMIN). The place is freed at once; a confirmed attendee's invitation is withdrawn.
   */
  async cancel(principal: Principal, id: string, reason?: string | null): Promise<ClinicRequest> {
    const check = (request: ClinicRequest, clinic: Clinic) => {
      if (!mayCancelRequest(principal, request, clinic)) throw forbidden('Only the requesting school or the delivering school can cancel this request.');
    };
    return this.change(principal, id, check, async (manager, request, clinic) => {
      if (checkCancellation(request.status) === 'unchanged') return { result: request, jobs: [] };
      checkNotStarted(clinic, this.clock());
      const wasConfirmed = request.status === ClinicRequestStatus.CONFIRMED;
      const cancelledBy = isStaffOf(principal, request.schoolUrn) ? 'school' : 'provider';
      request.status = ClinicRequestStatus.CANCELLED;
      request.cancelledReason = reason?.trim() || null;
      if (wasConfirmed) request.inviteSequence += 1;
      await manager
        .getRepository(ClinicRequest)
        .update({ id: request.id }, { status: request.status, cancelledReason: request.cancelledReason, inviteSequence: request.inviteSequence });
      await audit(manager, [
        { subjectType: 'clinic_request', subjectId: request.id, action: 'clinic_request.cancelled', actor: principal.sub, details: { by: cancelledBy, reason: request.cancelledReason, wasConfirmed } },
      ]);
      return { result: request, jobs: cancellationEmails(clinic, request, cancelledBy, wasConfirmed) };
    });
  }

  /** One request: for the requesting school, council roles and the delivering school. */
  async getRequest(principal: Principal, id: string): Promise<ClinicRequest> {
    requireSignedIn(principal);
    const request = isUuid(id) ? await this.dataSource.getRepository(ClinicRequest).findOneBy({ id }) : null;
    if (!request) throw notFound('Clinic request');
    const clinic = await this.dataSource.getRepository(Clinic).findOneByOrFail({ id: request.clinicId });
    if (!maySeeRequest(principal, request, clinic)) throw forbidden("You can only see your own school's requests, or those for your school's clinics.");
    return request;
  }

  /** A school's clinic requests, newest first: its own staff and council roles (School.clinicBookings). */
  async requestsOfSchool(principal: Principal, schoolUrn: string): Promise<ClinicRequest[]> {
    requireSchoolPrivate(principal, schoolUrn);
    return this.dataSource.getRepository(ClinicRequest).find({ where: { schoolUrn }, order: { requestedAt: 'DESC' } });
  }

  /** A clinic's requests in the order they came (its attendee list with status CONFIRMED): the delivering school and ADMIN. */
  async requestsOfClinic(principal: Principal, clinic: Clinic, status?: ClinicRequestStatus | null): Promise<ClinicRequest[]> {
    requireMayRunClinicsOf(principal, clinic.deliveringSchoolUrn);
    return this.dataSource.getRepository(ClinicRequest).find({ where: { clinicId: clinic.id, ...(status ? { status } : {}) }, order: { requestedAt: 'ASC' } });
  }

  /**
   * Loads the request, checks who may touch it before anything else (so another school learns
   * nothing, not even its status), then takes the clinic's lock, re-reads the request under it and
   * commits the change with its emails.
   */
  private async change(
    principal: Principal,
    id: string,
    mayChange: (request: ClinicRequest, clinic: Clinic) => void,
    apply: (manager: EntityManager, request: ClinicRequest, clinic: Clinic) => Promise<{ result: ClinicRequest; jobs: OutboxJob[] }>,
  ): Promise<ClinicRequest> {
    requireSignedIn(principal);
    if (!isUuid(id)) throw notFound('Clinic request');
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const found = await manager.getRepository(ClinicRequest).findOneBy({ id });
      if (!found) throw notFound('Clinic request');
      // Who may is decided before the lock (a clinic's school never changes), so refused callers never queue for it.
      mayChange(found, await manager.getRepository(Clinic).findOneByOrFail({ id: found.clinicId }));
      const clinic = await lockClinic(manager, found.clinicId);
      const current = await manager.getRepository(ClinicRequest).findOneByOrFail({ id });
      return apply(manager, current, clinic);
    });
  }
}
