/**
 * Funding rounds: the Pathways team creates and edits them, opens the window, closes it for the
 * board. Every change takes the round's row lock and is audited.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { audit, isUuid } from '@sendco/database';
import { badUserInput, conflict, notFound, type FieldProblem } from '@sendco/errors';
import { formDefinitionProblems, normaliseQuestions, type FormQuestionDefinition } from '@sendco/forms';
import { mayManageRounds, requireMayManageRounds } from '../access';
import { FundingRoundStatus } from '../pathways.enums';
import { lockRound } from './round-lock';
import { canMoveTo, formsFrozen, openingProblems, roundDetailsProblems, type RoundDetails } from './round-rules';
import { FundingRound, type ScoringCriterion } from './round.entity';
import type { CreateFundingRoundInput, UpdateFundingRoundInput } from './round.inputs';

const FROZEN_FIELDS = ['criteria', 'applicationQuestions', 'cohortQuestions'] as const;

function detailsOf(round: Pick<FundingRound, keyof RoundDetails>): RoundDetails {
  return { title: round.title, description: round.description, pathwaysFunded: round.pathwaysFunded, opensAt: round.opensAt, closesAt: round.closesAt, boardDates: round.boardDates, criteria: round.criteria };
}

function formProblems(application: readonly FormQuestionDefinition[], cohort: readonly FormQuestionDefinition[]): FieldProblem[] {
  const problems = [...formDefinitionProblems(application, 'applicationQuestions'), ...formDefinitionProblems(cohort, 'cohortQuestions')];
  if (cohort.some((q) => q.key.toLowerCase() === 'pupilref')) problems.push({ field: 'cohortQuestions', message: 'pupilRef is asked on every row already' });
  return problems;
}

const trimCriteria = (criteria: readonly ScoringCriterion[]): ScoringCriterion[] => criteria.map((c) => ({ key: c.key, label: c.label.trim(), weight: c.weight, maxScore: c.maxScore }));

export class FundingRoundService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createRound(principal: Principal, input: CreateFundingRoundInput): Promise<FundingRound> {
    requireMayManageRounds(principal);
    const round: Partial<FundingRound> = {
      title: input.title.trim(),
      description: input.description.trim(),
      pathwaysFunded: input.pathwaysFunded,
      opensAt: input.opensAt,
      closesAt: input.closesAt,
      boardDates: [...new Set(input.boardDates)].sort(),
      criteria: trimCriteria(input.criteria),
      applicationQuestions: normaliseQuestions(input.applicationQuestions),
      cohortQuestions: normaliseQuestions(input.cohortQuestions),
      nameApprovedSchools: input.nameApprovedSchools,
      contactEmail: input.contactEmail.trim().toLowerCase(),
      status: FundingRoundStatus.DRAFT,
      createdBy: principal.sub,
    };
    const problems = [...roundDetailsProblems(detailsOf(round as FundingRound)), ...formProblems(input.applicationQuestions, input.cohortQuestions)];
    if (problems.length) throw badUserInput(problems);
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(FundingRound).save(manager.getRepository(FundingRound).create(round));
      await audit(manager, [{ subjectType: 'funding_round', subjectId: saved.id, action: 'funding_round.created', actor: principal.sub, details: { title: saved.title, pathwaysFunded: saved.pathwaysFunded } }]);
      return saved;
    });
  }

  /** Anything while DRAFT; once open, everything but the questions and criteria (CONFLICT naming them). A decided round is final. */
  async updateRound(principal: Principal, id: string, input: UpdateFundingRoundInput): Promise<FundingRound> {
    requireMayManageRounds(principal);
    return this.dataSource.transaction(async (manager) => {
      const round = await lockRound(manager, id);
      if (round.status === FundingRoundStatus.DECIDED) throw conflict('This round has been decided and published; it can no longer change.');
      const frozen = FROZEN_FIELDS.filter((f) => input[f] !== undefined && input[f] !== null);
      if (frozen.length && formsFrozen(round.status)) throw conflict(`The round is open: its ${frozen.join(', ')} can no longer change.`, { fields: frozen });
      const changed: string[] = [];
      const set = <K extends keyof FundingRound>(key: K, value: FundingRound[K] | undefined | null) => {
        if (value === undefined || value === null) return;
        if (JSON.stringify(round[key]) !== JSON.stringify(value)) changed.push(key);
        round[key] = value;
      };
      set('title', input.title?.trim());
      set('description', input.description?.trim());
      set('pathwaysFunded', input.pathwaysFunded);
      set('opensAt', input.opensAt);
      set('closesAt', input.closesAt);
      set('boardDates', input.boardDates ? [...new Set(input.boardDates)].sort() : undefined);
      set('criteria', input.criteria ? trimCriteria(input.criteria) : undefined);
      set('applicationQuestions', input.applicationQuestions ? normaliseQuestions(input.applicationQuestions) : undefined);
      set('cohortQuestions', input.cohortQuestions ? normaliseQuestions(input.cohortQuestions) : undefined);
      set('nameApprovedSchools', input.nameApprovedSchools);
      set('contactEmail', input.contactEmail?.trim().toLowerCase());
      const problems = [...roundDetailsProblems(detailsOf(round)), ...formProblems(input.applicationQuestions ?? [], input.cohortQuestions ?? [])];
      if (round.status !== FundingRoundStatus.DRAFT && input.pathwaysFunded !== undefined) {
        const approved = await approvedCount(manager, round.id);
        if (round.pathwaysFunded < approved) problems.push({ field: 'pathwaysFunded', message: `cannot be below the ${approved} applications already approved` });
      }
      if (problems.length) throw badUserInput(problems);
      await manager.getRepository(FundingRound).save(round);
      await audit(manager, [{ subjectType: 'funding_round', subjectId: round.id, action: 'funding_round.updated', actor: principal.sub, details: { changed } }]);
      return round;
    });
  }

  /** DRAFT → OPEN: needs criteria, an application form, a board date and a window that has not closed. */
  openRound(principal: Principal, id: string): Promise<FundingRound> {
    return this.move(principal, id, FundingRoundStatus.OPEN, (round) => {
      const problems = openingProblems(detailsOf(round), round.applicationQuestions.length, this.clock());
      if (problems.length) throw badUserInput(problems);
    });
  }

  /** OPEN → CLOSED: the board's turn (the window also ends by itself at closesAt; closing early ends it then). */
  closeRound(principal: Principal, id: string): Promise<FundingRound> {
    return this.move(principal, id, FundingRoundStatus.CLOSED, () => undefined);
  }

  private async move(principal: Principal, id: string, to: FundingRoundStatus, check: (round: FundingRound) => void): Promise<FundingRound> {
    requireMayManageRounds(principal);
    return this.dataSource.transaction(async (manager) => {
      const round = await lockRound(manager, id);
      if (round.status === to) return round;
      if (!canMoveTo(round.status, to)) throw conflict(`A ${round.status} round cannot become ${to}.`);
      check(round);
      const from = round.status;
      round.status = to;
      await manager.getRepository(FundingRound).update({ id: round.id }, { status: to });
      await audit(manager, [{ subjectType: 'funding_round', subjectId: round.id, action: `funding_round.${to.toLowerCase()}`, actor: principal.sub, details: { from } }]);
      return round;
    });
  }

  /** Signed-in users see every round that has opened; the Pathways team sees drafts too. Newest window first. */
  async listRounds(principal: Principal, status?: FundingRoundStatus | null): Promise<FundingRound[]> {
    const query = this.dataSource.getRepository(FundingRound).createQueryBuilder('r');
    if (!mayManageRounds(principal)) query.where('r.status <> :draft', { draft: FundingRoundStatus.DRAFT });
    if (status) query.andWhere('r.status = :status', { status });
    return query.orderBy('r.opens_at', 'DESC').addOrderBy('r.id', 'ASC').getMany();
  }

  /** A round by id; a DRAFT only for the Pathways team (NOT_FOUND for everyone else). */
  async getRound(principal: Principal, id: string): Promise<FundingRound> {
    const round = await findRound(this.dataSource.manager, id);
    if (!round || (round.status === FundingRoundStatus.DRAFT && !mayManageRounds(principal))) throw notFound('Funding round');
    return round;
  }
}

export async function findRound(manager: EntityManager, id: string): Promise<FundingRound | null> {
  return isUuid(id) ? manager.getRepository(FundingRound).findOneBy({ id }) : null;
}

export async function approvedCount(manager: EntityManager, roundId: string): Promise<number> {
  const [row] = await manager.query(`SELECT count(*)::int AS n FROM "pathways"."pathway_application" WHERE round_id = $1 AND decision = 'APPROVED' AND status = 'SUBMITTED'`, [roundId]);
  return row.n;
}
