/**
 * The multi-agency board: the Pathways team keeps each round's membership; members score each
 * submitted application once per criterion with a comment, or declare a conflict of interest
 * (then they cannot score it). Others' scores stay hidden from a member until they have scored
 * (no anchoring); the panel shows weighted totals, the spread between members and the ranking.
 */
import type { DataSource } from 'typeorm';
import { requireSignedIn, type Principal } from '@sendco/auth';
import { audit, isUuid, pgErrorCode, PgErrorCode } from '@sendco/database';
import { badUserInput, conflict, forbidden, notFound } from '@sendco/errors';
import { isBoardMemberOf, mayManageRounds, requireMayManageRounds } from '../access';
import { PathwayApplication } from '../applications/application.entity';
import { FundingRoundStatus, PathwayApplicationStatus } from '../pathways.enums';
import { lockRound } from '../rounds/round-lock';
import type { FundingRound } from '../rounds/round.entity';
import { findRound } from '../rounds/round.service';
import { boardMemberSubs, conflictsOfRound, scoresOfRound } from './board-lookups';
import { BoardConflict, BoardMember, BoardScore } from './board.entities';
import type { BoardMemberInput, ScoreApplicationInput } from './board.inputs';
import { applicationTotals, rankApplications, scoreProblems, type ApplicationTotals } from './scoring';

export interface PanelRow extends ApplicationTotals {
  application: PathwayApplication;
  rank: number | null;
  /** Members who declared a conflict with it. */
  conflicts: number;
  /** True when the caller may not see this row's scores yet (a member who has not scored it). */
  hidden: boolean;
}

export class BoardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async addMember(principal: Principal, roundId: string, input: BoardMemberInput): Promise<BoardMember> {
    requireMayManageRounds(principal);
    return this.dataSource.transaction(async (manager) => {
      const round = await lockRound(manager, roundId);
      if (round.status === FundingRoundStatus.DECIDED) throw conflict('This round has been decided; its board can no longer change.');
      const repo = manager.getRepository(BoardMember);
      const existing = await repo.findOneBy({ roundId: round.id, memberSub: input.memberSub });
      const member = existing ?? repo.create({ roundId: round.id, memberSub: input.memberSub, addedBy: principal.sub });
      member.name = input.name.trim();
      member.agency = input.agency?.trim() || null;
      await repo.save(member);
      await audit(manager, [{ subjectType: 'funding_round', subjectId: round.id, action: existing ? 'board_member.updated' : 'board_member.added', actor: principal.sub, details: { memberSub: member.memberSub, name: member.name } }]);
      return member;
    });
  }

  /** A member leaves the board; the scores they gave stay (they were given as a member). */
  async removeMember(principal: Principal, roundId: string, memberSub: string): Promise<boolean> {
    requireMayManageRounds(principal);
    return this.dataSource.transaction(async (manager) => {
      const round = await lockRound(manager, roundId);
      const removed = await manager.getRepository(BoardMember).delete({ roundId: round.id, memberSub });
      if (!removed.affected) return false;
      await audit(manager, [{ subjectType: 'funding_round', subjectId: round.id, action: 'board_member.removed', actor: principal.sub, details: { memberSub } }]);
      return true;
    });
  }

  members(roundId: string): Promise<BoardMember[]> {
    return this.dataSource.getRepository(BoardMember).find({ where: { roundId }, order: { addedAt: 'ASC', id: 'ASC' } });
  }

  /** The application and its round, for a member of that round's board (FORBIDDEN otherwise). */
  private async forMember(principal: Principal, applicationId: string): Promise<{ application: PathwayApplication; round: FundingRound }> {
    requireSignedIn(principal);
    const application = isUuid(applicationId) ? await this.dataSource.getRepository(PathwayApplication).findOneBy({ id: applicationId }) : null;
    if (!application) throw notFound('Pathway application');
    if (!isBoardMemberOf(principal, await boardMemberSubs(this.dataSource.manager, application.roundId))) throw forbidden("Only members of this round's board can do that.");
    const round = (await findRound(this.dataSource.manager, application.roundId))!;
    if (application.status !== PathwayApplicationStatus.SUBMITTED) throw conflict('Only submitted applications are scored.');
    if (round.status === FundingRoundStatus.DECIDED) throw conflict('This round has been decided; scoring is over.');
    return { application, round };
  }

  /** Once per member per application (scoring twice is a CONFLICT); not with a declared conflict of interest. */
  async score(principal: Principal, applicationId: string, input: ScoreApplicationInput): Promise<BoardScore> {
    const { application, round } = await this.forMember(principal, applicationId);
    const problems = scoreProblems(round.criteria, input.scores);
    if (problems.length) throw badUserInput(problems);
    return this.dataSource.transaction(async (manager) => {
      const declared = await manager.getRepository(BoardConflict).findOneBy({ applicationId: application.id, memberSub: principal.sub });
      if (declared) throw forbidden('You declared a conflict of interest with this application, so you cannot score it.');
      const repo = manager.getRepository(BoardScore);
      const scores = round.criteria.map((c) => ({ criterion: c.key, score: input.scores.find((s) => s.criterion === c.key)!.score }));
      let saved: BoardScore;
      try {
        saved = await repo.save(repo.create({ roundId: round.id, applicationId: application.id, memberSub: principal.sub, scores, comment: input.comment.trim() }));
      } catch (error) {
        if (pgErrorCode(error) === PgErrorCode.UNIQUE_VIOLATION) throw conflict('You have already scored this application.');
        throw error;
      }
      await audit(manager, [{ subjectType: 'pathway_application', subjectId: application.id, action: 'pathway_application.scored', actor: principal.sub, details: { scores } }]);
      return saved;
    });
  }

  /** A member declares a conflict of interest (before scoring it); declaring again changes nothing. */
  async declareConflict(principal: Principal, applicationId: string, reason: string): Promise<PathwayApplication> {
    const { application, round } = await this.forMember(principal, applicationId);
    if (!reason.trim()) throw badUserInput([{ field: 'reason', message: 'is required' }]);
    await this.dataSource.transaction(async (manager) => {
      if (await manager.getRepository(BoardScore).existsBy({ applicationId: application.id, memberSub: principal.sub }))
        throw conflict('You have already scored this application; ask the chair to set your scores aside.');
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(BoardConflict)
        .values({ roundId: round.id, applicationId: application.id, memberSub: principal.sub, reason: reason.trim() })
        .orIgnore()
        .execute();
      if (inserted.identifiers.length && inserted.identifiers[0])
        await audit(manager, [{ subjectType: 'pathway_application', subjectId: application.id, action: 'pathway_application.conflict_declared', actor: principal.sub, details: { reason: reason.trim() } }]);
    });
    return application;
  }

  /**
   * An application's scores: the Pathways team sees all; a board member only once they have
   * scored it themselves (a member with a conflict never); anyone else FORBIDDEN.
   */
  async scoresOf(principal: Principal, application: PathwayApplication): Promise<BoardScore[]> {
    requireSignedIn(principal);
    const scores = await this.dataSource.getRepository(BoardScore).find({ where: { applicationId: application.id }, order: { scoredAt: 'ASC', id: 'ASC' } });
    if (mayManageRounds(principal)) return scores;
    if (!isBoardMemberOf(principal, await boardMemberSubs(this.dataSource.manager, application.roundId))) throw forbidden("Only the round's board and the Pathways team see scores.");
    if (!scores.some((s) => s.memberSub === principal.sub)) throw forbidden("Score this application yourself first: others' scores stay hidden until you have.");
    return scores;
  }

  /** The panel: every submitted application with its totals, ranked. A member sees totals only of what they have scored. */
  async panel(principal: Principal, round: FundingRound): Promise<PanelRow[]> {
    requireSignedIn(principal);
    const manage = mayManageRounds(principal);
    const member = isBoardMemberOf(principal, await boardMemberSubs(this.dataSource.manager, round.id));
    if (!manage && !member) throw forbidden("Only the round's board and the Pathways team see the panel.");
    const rows = await this.rankedRows(round);
    return rows.map((row) => {
      const hidden = !manage && !row.scoredBy.has(principal.sub);
      return { ...row, hidden, ...(hidden ? { weightedTotal: null, spread: null, rank: null } : {}) };
    });
  }

  /** Every submitted application with its totals and rank, for the panel and the council's report. */
  async rankedRows(round: FundingRound): Promise<(PanelRow & { scoredBy: Set<string> })[]> {
    const manager = this.dataSource.manager;
    const [applications, scores, conflicts] = await Promise.all([
      manager.getRepository(PathwayApplication).find({ where: { roundId: round.id, status: PathwayApplicationStatus.SUBMITTED } }),
      scoresOfRound(manager, round.id),
      conflictsOfRound(manager, round.id),
    ]);
    const rows = applications.map((application) => {
      const mine = scores.filter((s) => s.applicationId === application.id);
      return {
        id: application.id,
        submittedAt: application.submittedAt ?? application.createdAt,
        application,
        ...applicationTotals(round.criteria, mine.map((s) => s.scores)),
        conflicts: conflicts.filter((c) => c.applicationId === application.id).length,
        hidden: false,
        scoredBy: new Set(mine.map((s) => s.memberSub)),
      };
    });
    return rankApplications(rows);
  }
}
