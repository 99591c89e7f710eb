/**
 * A school's return: started (or restarted) by its SENDCO against the newest matrix version,
 * read by its staff and council officers (every read audited), submitted when the sample meets
 * the requirement (the council's QA inbox is emailed).
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { AppError, badUserInput, ErrorCode, notFound } from '@sendco/errors';
import type { SchoolDirectory } from '@sendco/federation';
import { commitWithJobs, type OutboxRelay } from '@sendco/queue';
import { MatrixService } from '../matrix/matrix.service';
import { BandingPupil } from '../pupils/pupil.entity';
import { countProblems, sampleFitsSchool, sampleProgress, sampleRequirement, type SampleProgress, type SampleRequirement } from '../sample/sample-rule';
import { auditReturnChange, auditReturnReads } from './return-audit';
import { requireReadReturn, requireSendcoOf, takesPartInBanding } from './return-access';
import { submittedEmail } from './return-emails';
import { findReturn, lockReturn } from './return-lock';
import { assertCanDo, canDo, ReturnStatus } from './return-status';
import { BandingReturn } from './return.entity';

export interface ReturnSettings {
  /** The council's QA inbox (BANDING_QA_EMAIL). */
  qaEmail: string;
}

export function requirementOf(ret: Pick<BandingReturn, 'ehcpCount' | 'over25HoursCount'>): SampleRequirement {
  return sampleRequirement(ret.ehcpCount, ret.over25HoursCount);
}

export class ReturnService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matrices: MatrixService,
    private readonly directory: SchoolDirectory,
    private readonly settings: ReturnSettings,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * SENDCO of the school. One return per school per matrix version (the newest): starting again
   * returns the existing one, with the counts (and the directory's phase) updated while it is
   * DRAFT or RETURNED. Changing the counts of a SUBMITTED or APPROVED return is a CONFLICT.
   */
  async start(principal: Principal, urn: string, ehcpCount: number, over25HoursCount: number): Promise<BandingReturn> {
    requireSendcoOf(principal, urn);
    const problems = countProblems(ehcpCount, over25HoursCount);
    if (problems.length) throw badUserInput(problems);
    const matrix = await this.matrices.version();
    // Outside the transaction: a call to the gateway holds no lock.
    const school = await this.directory.find(urn);
    if (!school) throw notFound(`School ${urn}`);
    const phase = school.phase;
    if (!takesPartInBanding(phase)) throw badUserInput([{ field: 'urn', message: 'is a special school: banding returns are for mainstream schools' }]);

    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(BandingReturn)
        .values({ matrixId: matrix.id, schoolUrn: urn, schoolPhase: phase, ehcpCount, over25HoursCount, status: ReturnStatus.DRAFT, startedBy: principal.sub, contactEmail: principal.email ?? null, contactName: principal.name ?? null })
        .orIgnore()
        .returning(['id'])
        .execute();
      const createdId: string | undefined = inserted.raw[0]?.id;
      if (createdId) {
        await auditReturnChange(manager, principal, createdId, 'return.started', { matrixVersion: matrix.version, ehcpCount, over25HoursCount, phase });
        return lockReturn(manager, createdId);
      }
      const existing = await manager.getRepository(BandingReturn).findOneOrFail({ where: { schoolUrn: urn, matrixId: matrix.id }, lock: { mode: 'pessimistic_write' } });
      const countsChange = existing.ehcpCount !== ehcpCount || existing.over25HoursCount !== over25HoursCount;
      if (!canDo(existing.status, 'updateCounts')) {
        if (countsChange) assertCanDo(existing.status, 'updateCounts');
        return existing;
      }
      if (!countsChange && existing.schoolPhase === phase) return existing;
      const hours = (await manager.getRepository(BandingPupil).find({ where: { returnId: existing.id }, select: { weeklySupportHours: true } })).map((p) => p.weeklySupportHours);
      const misfit = sampleFitsSchool(ehcpCount, over25HoursCount, sampleProgress(sampleRequirement(ehcpCount, over25HoursCount), hours));
      if (misfit) throw badUserInput([{ field: 'ehcpCount', message: `does not fit the pupils already entered: there are ${misfit}; remove pupils first` }]);
      const before = { ehcpCount: existing.ehcpCount, over25HoursCount: existing.over25HoursCount, phase: existing.schoolPhase };
      Object.assign(existing, { ehcpCount, over25HoursCount, schoolPhase: phase });
      await manager.getRepository(BandingReturn).update({ id: existing.id }, { ehcpCount, over25HoursCount, schoolPhase: phase });
      await auditReturnChange(manager, principal, existing.id, 'return.counts-updated', { before, after: { ehcpCount, over25HoursCount, phase } });
      return existing;
    });
  }

  /** A return by id, for its school's staff and council officers; the read is audited (once per `request`). */
  async get(principal: Principal, id: string, request?: object): Promise<BandingReturn> {
    const ret = await findReturn(this.dataSource.manager, id);
    requireReadReturn(principal, ret.schoolUrn);
    await auditReturnReads(this.dataSource.manager, principal, [ret.id], 'bandingReturn', request);
    return ret;
  }

  /** The school's return for the newest matrix version it has one for, or null; the read is audited. */
  async forSchool(principal: Principal, urn: string, request?: object): Promise<BandingReturn | null> {
    requireReadReturn(principal, urn);
    const ret = await this.dataSource
      .getRepository(BandingReturn)
      .createQueryBuilder('r')
      .innerJoin('matrix_version', 'm', 'm.id = r.matrix_id')
      .where('r.school_urn = :urn', { urn })
      .orderBy('m.version', 'DESC')
      .limit(1)
      .getOne();
    if (ret) await auditReturnReads(this.dataSource.manager, principal, [ret.id], 'School.bandingReturn', request);
    return ret;
  }

  /** SENDCO of the school, while DRAFT or RETURNED: SAMPLE_INCOMPLETE until the sample meets the requirement. */
  async submit(principal: Principal, id: string): Promise<BandingReturn> {
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const ret = await lockReturn(manager, id);
      requireSendcoOf(principal, ret.schoolUrn);
      assertCanDo(ret.status, 'submit');
      const hours = (await manager.getRepository(BandingPupil).find({ where: { returnId: ret.id }, select: { weeklySupportHours: true } })).map((p) => p.weeklySupportHours);
      const requirement = requirementOf(ret);
      const progress = sampleProgress(requirement, hours);
      if (!progress.meetsRequirement) throw sampleIncomplete(requirement, progress);

      const resubmitted = ret.status === ReturnStatus.RETURNED;
      const changes = { status: ReturnStatus.SUBMITTED, submittedAt: this.clock(), contactEmail: principal.email ?? ret.contactEmail, contactName: principal.name ?? ret.contactName };
      await manager.getRepository(BandingReturn).update({ id: ret.id }, changes);
      Object.assign(ret, changes);
      await auditReturnChange(manager, principal, ret.id, 'return.submitted', { pupils: progress.total, resubmitted });
      const matrix = await this.matrices.load(ret.matrixId);
      return { result: ret, jobs: [submittedEmail(ret, matrix.version, progress, this.settings.qaEmail, resubmitted)] };
    });
  }
}

/** SAMPLE_INCOMPLETE, with what is missing in numbers. */
export function sampleIncomplete(requirement: SampleRequirement, progress: SampleProgress): AppError {
  const needs = [
    progress.missingUpTo25Hours ? `${progress.missingUpTo25Hours} more on up to 25 hours a week` : '',
    progress.missingOver25Hours ? `${progress.missingOver25Hours} more on more than 25 hours a week` : '',
    progress.missingPupils ? `${progress.missingPupils} more in all (at least ${requirement.sampleSize})` : '',
  ].filter(Boolean);
  return new AppError(ErrorCode.SAMPLE_INCOMPLETE, `The sample does not meet the requirement yet: it needs ${needs.join(', ')}.`, {
    requirement,
    progress: { total: progress.total, upTo25Hours: progress.upTo25Hours, over25Hours: progress.over25Hours },
    missing: { pupils: progress.missingPupils, upTo25Hours: progress.missingUpTo25Hours, over25Hours: progress.missingOver25Hours },
  });
}
