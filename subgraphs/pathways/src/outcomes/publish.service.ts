/**
 * Publishing a round (PATHWAYS_ADMIN): CLOSED → DECIDED once every submitted application has a
 * decision, under the round's row lock, with the outcome emails and the bulletin draft recorded
 * in the outbox in the same transaction. Publishing again finds the round DECIDED and sends nothing.
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { audit } from '@sendco/database';
import { conflict } from '@sendco/errors';
import type { SchoolDirectory } from '@sendco/federation';
import { commitWithJobs, type OutboxRelay } from '@sendco/queue';
import { requireMayManageRounds } from '../access';
import { PathwayApplication } from '../applications/application.entity';
import { publishProblem } from '../decisions/decision-rules';
import { FundingRoundStatus, PathwayApplicationStatus } from '../pathways.enums';
import { lockRound } from '../rounds/round-lock';
import { findRound } from '../rounds/round.service';
import { FundingRound } from '../rounds/round.entity';
import { outcomeBulletin, outcomeEmails } from './outcome-jobs';

export class PublishService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schools: SchoolDirectory,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async publish(principal: Principal, id: string): Promise<FundingRound> {
    requireMayManageRounds(principal);
    // School names come from the directory through the gateway: asked before any lock is held.
    const round = await findRound(this.dataSource.manager, id);
    const names = new Map<string, string>();
    if (round) {
      const urns = await this.dataSource.getRepository(PathwayApplication).find({ where: { roundId: round.id, status: PathwayApplicationStatus.SUBMITTED }, select: { schoolUrn: true } });
      for (const { schoolUrn } of urns) {
        const school = await this.schools.find(schoolUrn);
        if (school) names.set(schoolUrn, school.name);
      }
    }
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const locked = await lockRound(manager, id);
      if (locked.status === FundingRoundStatus.DECIDED) return { result: locked, jobs: [] };
      const applications = await manager.getRepository(PathwayApplication).find({ where: { roundId: locked.id, status: PathwayApplicationStatus.SUBMITTED }, order: { submittedAt: 'ASC', id: 'ASC' } });
      const problem = publishProblem(locked.status, applications.filter((a) => !a.decision).length);
      if (problem) throw conflict(problem);
      locked.status = FundingRoundStatus.DECIDED;
      locked.publishedAt = this.clock();
      await manager.getRepository(FundingRound).update({ id: locked.id }, { status: locked.status, publishedAt: locked.publishedAt });
      await audit(manager, [{ subjectType: 'funding_round', subjectId: locked.id, action: 'funding_round.published', actor: principal.sub, details: { applications: applications.length } }]);
      return { result: locked, jobs: [...outcomeEmails(locked, applications, names), outcomeBulletin(locked, applications, names)] };
    });
  }
}
