/**
 * The chair's decisions (PATHWAYS_ADMIN): APPROVED, DECLINED or RESERVE with a reason, per
 * submitted application of a closed round. Each takes the round's row lock first, so concurrent
 * approvals are counted one after another and never exceed the funded number. A decision may be
 * changed with a new reason until the round is published; every one is kept (PathwayDecision).
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { audit, isUuid } from '@sendco/database';
import { badUserInput, conflict, notFound } from '@sendco/errors';
import { requireMayManageRounds } from '../access';
import { PathwayApplication } from '../applications/application.entity';
import type { PathwayDecisionOutcome } from '../pathways.enums';
import { lockRound } from '../rounds/round-lock';
import { approvedCount } from '../rounds/round.service';
import { approvalWithinCap, decisionProblem } from './decision-rules';
import { PathwayDecision } from './decision.entity';

export class PathwayDecisionService {
  constructor(private readonly dataSource: DataSource) {}

  async decide(principal: Principal, applicationId: string, outcome: PathwayDecisionOutcome, reason: string): Promise<PathwayApplication> {
    requireMayManageRounds(principal);
    const why = reason.trim();
    if (!why) throw badUserInput([{ field: 'reason', message: 'is required: the school is told why' }]);
    const peek = isUuid(applicationId) ? await this.dataSource.getRepository(PathwayApplication).findOneBy({ id: applicationId }) : null;
    if (!peek) throw notFound('Pathway application');
    return this.dataSource.transaction(async (manager) => {
      const round = await lockRound(manager, peek.roundId);
      const application = (await manager.getRepository(PathwayApplication).findOneBy({ id: peek.id }))!;
      const problem = decisionProblem(round.status, application.status);
      if (problem) throw conflict(problem);
      if (application.decision === outcome && application.decisionReason === why) return application;
      const approvedOthers = (await approvedCount(manager, round.id)) - (application.decision === 'APPROVED' ? 1 : 0);
      if (!approvalWithinCap(outcome, approvedOthers, round.pathwaysFunded))
        throw conflict(`This round funds ${round.pathwaysFunded} pathway${round.pathwaysFunded === 1 ? '' : 's'}, and ${approvedOthers} ${approvedOthers === 1 ? 'is' : 'are'} already approved.`, {
          pathwaysFunded: round.pathwaysFunded,
          approved: approvedOthers,
        });
      const previous = application.decision ?? null;
      application.decision = outcome;
      application.decisionReason = why;
      await manager.getRepository(PathwayApplication).update({ id: application.id }, { decision: outcome, decisionReason: why });
      await manager.getRepository(PathwayDecision).insert({ applicationId: application.id, roundId: round.id, outcome, reason: why, decidedBy: principal.sub });
      await audit(manager, [{ subjectType: 'pathway_application', subjectId: application.id, action: previous ? 'pathway_application.decision_changed' : 'pathway_application.decided', actor: principal.sub, details: { outcome, previous, reason: why } }]);
      return application;
    });
  }

  /** Every decision recorded on an application, oldest first. */
  history(applicationId: string): Promise<PathwayDecision[]> {
    return this.dataSource.getRepository(PathwayDecision).find({ where: { applicationId }, order: { decidedAt: 'ASC', id: 'ASC' } });
  }
}
