/**
 * The council's quality assurance of a submitted return: verdicts per pupil and an outcome.
 * APPROVED makes the return final and read-only; RETURNED sends it back with comments. Either
 * way the SENDCO who submitted it is emailed.
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { badUserInput } from '@sendco/errors';
import { commitWithJobs, type OutboxRelay } from '@sendco/queue';
import { MatrixService } from '../matrix/matrix.service';
import { BandingPupil } from '../pupils/pupil.entity';
import { auditReturnChange } from '../returns/return-audit';
import { requireCouncilOfficer } from '../returns/return-access';
import { decisionEmails } from '../returns/return-emails';
import { lockReturn } from '../returns/return-lock';
import { assertCanDo, statusAfterQa } from '../returns/return-status';
import { BandingReturn } from '../returns/return.entity';
import { decideQa, type QaDecisionInput } from './qa-decision';

export class QaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matrices: MatrixService,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async qualityAssure(principal: Principal, id: string, input: QaDecisionInput): Promise<BandingReturn> {
    requireCouncilOfficer(principal);
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const ret = await lockReturn(manager, id);
      assertCanDo(ret.status, 'qualityAssure');
      const matrix = await this.matrices.load(ret.matrixId);
      const pupilRepo = manager.getRepository(BandingPupil);
      const pupils = await pupilRepo.find({ where: { returnId: ret.id }, order: { pupilRef: 'ASC' } });
      const decision = decideQa(input, pupils, matrix.bands.map((b) => b.band));
      if (decision.problems.length) throw badUserInput(decision.problems);

      for (const pupil of pupils) {
        const verdict = decision.verdicts.get(pupil.id);
        if (!verdict) continue;
        Object.assign(pupil, verdict);
        await pupilRepo.update({ id: pupil.id }, verdict);
      }
      const changes = { status: statusAfterQa(input.outcome), comments: decision.comments, decidedBy: principal.sub, decidedAt: this.clock() };
      await manager.getRepository(BandingReturn).update({ id: ret.id }, changes);
      Object.assign(ret, changes);
      await auditReturnChange(manager, principal, ret.id, `return.${input.outcome.toLowerCase()}`, {
        comments: decision.comments,
        verdicts: [...decision.verdicts.entries()].map(([pupilId, v]) => ({ pupilRef: pupils.find((p) => p.id === pupilId)!.pupilRef, ...v })),
      });
      return { result: ret, jobs: decisionEmails(ret, matrix.version, pupils) };
    });
  }
}
