/**
 * Applications: the school's SENDCO or staff start one per round (starting again returns it),
 * save it as they go and submit it, all only inside the round's window (BOOKING_CLOSED naming the
 * window outside it); they may withdraw it before the board. Each change takes the round's row
 * lock (so closing, deciding and publishing see a settled set) and is audited.
 */
import { In, type DataSource, type EntityManager } from 'typeorm';
import { canReadSchoolPrivate, requireSignedIn, type Principal } from '@sendco/auth';
import { audit, isUuid, pgErrorCode, PgErrorCode } from '@sendco/database';
import { badUserInput, bookingClosed, conflict, forbidden, notFound } from '@sendco/errors';
import { isBoardMemberOf, maySeeApplication, requireMayApplyFor } from '../access';
import { PathwayApplicationStatus } from '../pathways.enums';
import { lockRound } from '../rounds/round-lock';
import { windowProblem, withdrawProblem } from '../rounds/round-rules';
import type { FundingRound } from '../rounds/round.entity';
import { boardMemberSubs } from '../board/board-lookups';
import { checkApplicationAnswers, checkCohort, draftQuestions, submissionProblems } from './application-rules';
import { PathwayApplication } from './application.entity';
import type { SavePathwayApplicationInput } from './application.inputs';

export class PathwayApplicationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private assertWindow(round: FundingRound): void {
    const problem = windowProblem(round.status, round, this.clock());
    if (problem) throw bookingClosed(problem);
  }

  /** One per school per round: starting again returns the school's application. */
  async start(principal: Principal, roundId: string, schoolUrn: string): Promise<PathwayApplication> {
    requireMayApplyFor(principal, schoolUrn);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const round = await lockRound(manager, roundId);
        const existing = await manager.getRepository(PathwayApplication).findOneBy({ roundId: round.id, schoolUrn });
        if (existing) return existing;
        this.assertWindow(round);
        if (!principal.email) throw badUserInput([{ field: 'contactEmail', message: 'your sign-in has no email address to send the outcome to' }]);
        const repo = manager.getRepository(PathwayApplication);
        const application = await repo.save(
          repo.create({ roundId: round.id, schoolUrn, status: PathwayApplicationStatus.DRAFT, answers: [], cohort: [], contactEmail: principal.email.toLowerCase(), contactName: principal.name ?? null, createdBy: principal.sub }),
        );
        await audit(manager, [{ subjectType: 'pathway_application', subjectId: application.id, action: 'pathway_application.started', actor: principal.sub, details: { roundId: round.id, schoolUrn } }]);
        return application;
      });
    } catch (error) {
      // Two starts at once for one school: the unique index lets one through; the other returns it.
      if (pgErrorCode(error) === PgErrorCode.UNIQUE_VIOLATION) {
        const existing = await this.dataSource.getRepository(PathwayApplication).findOneBy({ roundId, schoolUrn });
        if (existing) return existing;
      }
      throw error;
    }
  }

  /** Saves a DRAFT (or edits a SUBMITTED one, which stays submitted) inside the window. Answers are checked by type; "required" waits for submission. */
  async save(principal: Principal, id: string, input: SavePathwayApplicationInput): Promise<PathwayApplication> {
    requireSignedIn(principal);
    return this.change(principal, id, async (manager, application, round) => {
      this.assertWindow(round);
      if (application.status === PathwayApplicationStatus.WITHDRAWN) throw conflict('This application has been withdrawn.');
      const now = this.clock();
      const submitted = application.status === PathwayApplicationStatus.SUBMITTED;
      const problems = [];
      if (input.answers) {
        const checked = checkApplicationAnswers(submitted ? round.applicationQuestions : draftQuestions(round.applicationQuestions), input.answers, now);
        problems.push(...checked.problems);
        application.answers = checked.recorded;
      }
      if (input.cohort) {
        const checked = checkCohort(submitted ? round.cohortQuestions : draftQuestions(round.cohortQuestions), input.cohort, now);
        problems.push(...checked.problems);
        application.cohort = checked.recorded;
        if (submitted && checked.recorded.length === 0) problems.push({ field: 'cohort', message: 'a submitted application needs at least one pupil' });
      }
      if (problems.length) throw badUserInput(problems);
      if (input.contactEmail) application.contactEmail = input.contactEmail.trim().toLowerCase();
      if (input.contactName) application.contactName = input.contactName.trim();
      await manager.getRepository(PathwayApplication).save(application);
      return { action: 'pathway_application.saved', details: { answers: application.answers.length, pupils: application.cohort.length } };
    });
  }

  /** DRAFT → SUBMITTED inside the window, with every required answer and at least one pupil. Submitting again changes nothing. */
  async submit(principal: Principal, id: string): Promise<PathwayApplication> {
    requireSignedIn(principal);
    return this.change(principal, id, async (manager, application, round) => {
      if (application.status === PathwayApplicationStatus.SUBMITTED) return undefined;
      this.assertWindow(round);
      if (application.status === PathwayApplicationStatus.WITHDRAWN) throw conflict('This application has been withdrawn.');
      const problems = [
        ...submissionProblems(round.applicationQuestions, application.answers, application.cohort.length),
        ...checkCohort(round.cohortQuestions, application.cohort, this.clock()).problems,
      ];
      if (problems.length) throw badUserInput(problems, 'The application is not complete yet.');
      application.status = PathwayApplicationStatus.SUBMITTED;
      application.submittedAt = this.clock();
      await manager.getRepository(PathwayApplication).update({ id: application.id }, { status: application.status, submittedAt: application.submittedAt });
      return { action: 'pathway_application.submitted', details: { pupils: application.cohort.length } };
    });
  }

  /** Before the first board date and before publication; withdrawing again changes nothing. */
  async withdraw(principal: Principal, id: string, reason?: string | null): Promise<PathwayApplication> {
    requireSignedIn(principal);
    return this.change(principal, id, async (manager, application, round) => {
      if (application.status === PathwayApplicationStatus.WITHDRAWN) return undefined;
      const problem = withdrawProblem(round.status, round.boardDates, this.clock());
      if (problem) throw conflict(problem);
      application.status = PathwayApplicationStatus.WITHDRAWN;
      application.withdrawnAt = this.clock();
      application.withdrawnReason = reason?.trim() || null;
      application.decision = null;
      application.decisionReason = null;
      await manager.getRepository(PathwayApplication).save(application);
      return { action: 'pathway_application.withdrawn', details: { reason: application.withdrawnReason } };
    });
  }

  /** The school's own staff (they act for it), under the round's lock; the change is audited. */
  private async change(
    principal: Principal,
    id: string,
    work: (manager: EntityManager, application: PathwayApplication, round: FundingRound) => Promise<{ action: string; details: Record<string, unknown> } | undefined>,
  ): Promise<PathwayApplication> {
    const peek = await this.find(id);
    requireMayApplyFor(principal, peek.schoolUrn);
    return this.dataSource.transaction(async (manager) => {
      const round = await lockRound(manager, peek.roundId);
      const application = (await manager.getRepository(PathwayApplication).findOneBy({ id }))!;
      const done = await work(manager, application, round);
      if (done) await audit(manager, [{ subjectType: 'pathway_application', subjectId: application.id, action: done.action, actor: principal.sub, details: done.details }]);
      return application;
    });
  }

  private async find(id: string): Promise<PathwayApplication> {
    const application = isUuid(id) ? await this.dataSource.getRepository(PathwayApplication).findOneBy({ id }) : null;
    if (!application) throw notFound('Pathway application');
    return application;
  }

  /** One application: its school's staff, council roles, the Pathways team, and the round's board once submitted. Others: FORBIDDEN, with nothing of it. */
  async get(principal: Principal, id: string): Promise<PathwayApplication> {
    requireSignedIn(principal);
    const application = await this.find(id);
    const board = await boardMemberSubs(this.dataSource.manager, application.roundId);
    if (!maySeeApplication(principal, { schoolUrn: application.schoolUrn, submitted: application.status !== PathwayApplicationStatus.DRAFT }, isBoardMemberOf(principal, board)))
      throw forbidden("Only the school's own staff, council roles and the round's board can see this application.");
    return application;
  }

  /** School.pathwayApplications: its own staff and council roles; newest first. */
  async ofSchool(principal: Principal, schoolUrn: string): Promise<PathwayApplication[]> {
    requireSignedIn(principal);
    if (!canReadSchoolPrivate(principal, schoolUrn)) throw forbidden("Only the school's own staff and council roles can see its applications.");
    return this.dataSource.getRepository(PathwayApplication).find({ where: { schoolUrn }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** A round's applications in one status (or all but drafts), oldest submission first. */
  ofRound(roundId: string, statuses: PathwayApplicationStatus[]): Promise<PathwayApplication[]> {
    return this.dataSource.getRepository(PathwayApplication).find({ where: { roundId, status: In(statuses) }, order: { submittedAt: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }
}
