/**
 * The pupils of a return, changed by the school's SENDCO while the return is DRAFT or RETURNED:
 * one at a time (upsert by the school's pupil reference), removed, or many at once from a CSV
 * in which every row must be good before anything is saved. The band is always computed here,
 * from the levels, by the return's matrix version's rule.
 */
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { badUserInput, notFound } from '@sendco/errors';
import { suggestBand } from '../matrix/band-rule';
import type { MatrixVersion } from '../matrix/matrix.entity';
import { MatrixService, shapeOf, toRule } from '../matrix/matrix.service';
import { auditReturnChange, auditReturnReads } from '../returns/return-audit';
import { requireSendcoOf } from '../returns/return-access';
import { lockReturn } from '../returns/return-lock';
import { assertCanDo } from '../returns/return-status';
import type { BandingReturn } from '../returns/return.entity';
import { sampleFitsSchool, sampleProgress, sampleRequirement } from '../sample/sample-rule';
import { pupilsFromCsv } from './pupil-csv';
import { normalisePupilReference } from '@sendco/child-data';
import { levelsByArea, pupilProblems, type PupilFields } from './pupil-rules';
import { BandingPupil } from './pupil.entity';

export interface UploadResult {
  bandingReturn: BandingReturn;
  created: number;
  updated: number;
}

export class PupilService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matrices: MatrixService,
  ) {}

  /** SENDCO of the school, while DRAFT or RETURNED. Upsert by pupil reference; the band is computed from the levels. */
  async save(principal: Principal, returnId: string, input: PupilFields): Promise<BandingPupil> {
    const pupil = await this.dataSource.transaction(async (manager) => {
      const { ret, matrix } = await this.openForEditing(manager, principal, returnId);
      const problems = pupilProblems(input, shapeOf(matrix), 'input');
      if (problems.length) throw badUserInput(problems);
      const [saved] = await this.upsert(manager, ret, matrix, [input], 'input.weeklySupportHours');
      await auditReturnChange(manager, principal, ret.id, 'pupil.saved', { pupilRef: saved.pupil.pupilRef, band: saved.pupil.band, created: saved.created });
      return saved.pupil;
    });
    // The answer is the pupil itself, not through BandingReturn.pupils: its read is recorded here,
    // after the change (its own transaction, so the log's order by time stays change, then read).
    await auditReturnReads(this.dataSource.manager, principal, [pupil.returnId], 'saveBandingPupil');
    return pupil;
  }

  /** SENDCO of the school, while DRAFT or RETURNED. */
  async remove(principal: Principal, returnId: string, pupilRef: string): Promise<BandingReturn> {
    return this.dataSource.transaction(async (manager) => {
      const { ret } = await this.openForEditing(manager, principal, returnId);
      const ref = normalisePupilReference(pupilRef);
      const deleted = await manager.getRepository(BandingPupil).delete({ returnId: ret.id, pupilRef: ref });
      if (!deleted.affected) throw notFound(`Pupil ${ref} in this return`);
      await auditReturnChange(manager, principal, ret.id, 'pupil.removed', { pupilRef: ref });
      return ret;
    });
  }

  /** SENDCO of the school, while DRAFT or RETURNED. All rows are saved, or (with every bad row reported by line) none. */
  async uploadCsv(principal: Principal, returnId: string, csv: string): Promise<UploadResult> {
    return this.dataSource.transaction(async (manager) => {
      const { ret, matrix } = await this.openForEditing(manager, principal, returnId);
      const { pupils, problems } = pupilsFromCsv(csv, shapeOf(matrix));
      if (problems.length) {
        const lines = new Set(problems.map((p) => p.field.split('.')[1]).filter(Boolean));
        throw badUserInput(problems, `Nothing was saved: ${lines.size ? `${lines.size} line(s) of the file have problems` : 'the file has a problem'}. ${problems.map((p) => p.message).join('; ')}.`);
      }
      const saved = await this.upsert(manager, ret, matrix, pupils, 'csv');
      const created = saved.filter((s) => s.created).length;
      await auditReturnChange(manager, principal, ret.id, 'pupils.uploaded', { rows: pupils.length, created, updated: pupils.length - created });
      return { bandingReturn: ret, created, updated: pupils.length - created };
    });
  }

  /** Pupils of many returns, in reference order, in one query. */
  async pupilsOfReturns(returnIds: readonly string[]): Promise<BandingPupil[][]> {
    const rows = returnIds.length ? await this.dataSource.getRepository(BandingPupil).find({ where: { returnId: In([...returnIds]) }, order: { pupilRef: 'ASC' } }) : [];
    return returnIds.map((id) => rows.filter((p) => p.returnId === id));
  }

  private async openForEditing(manager: EntityManager, principal: Principal, returnId: string): Promise<{ ret: BandingReturn; matrix: MatrixVersion }> {
    const ret = await lockReturn(manager, returnId);
    requireSendcoOf(principal, ret.schoolUrn);
    assertCanDo(ret.status, 'editPupils');
    return { ret, matrix: await this.matrices.load(ret.matrixId) };
  }

  /**
   * Inserts or updates pupils by reference (under the return's lock), clearing any earlier council
   * verdict on a pupil that changes, after checking the sample still fits the school's counts.
   */
  private async upsert(manager: EntityManager, ret: BandingReturn, matrix: MatrixVersion, pupils: PupilFields[], fitField: string): Promise<{ pupil: BandingPupil; created: boolean }[]> {
    const repo = manager.getRepository(BandingPupil);
    const existing = await repo.find({ where: { returnId: ret.id } });
    const byRef = new Map(existing.map((p) => [p.pupilRef, p]));
    const rule = toRule(matrix);
    const rows = pupils.map((input) => {
      const pupilRef = normalisePupilReference(input.pupilRef);
      const levels = levelsByArea(input.levels);
      const before = byRef.get(pupilRef);
      const row = repo.create({
        ...(before ?? {}),
        returnId: ret.id,
        pupilRef,
        yearGroup: input.yearGroup,
        weeklySupportHours: input.weeklySupportHours,
        primaryNeed: input.primaryNeed,
        levels,
        evidence: input.evidence?.trim() || null,
        band: suggestBand(rule, levels, input.primaryNeed).band,
        // A changed pupil needs the council's eye again.
        verdict: null,
        agreedBand: null,
        reason: null,
      });
      byRef.set(pupilRef, row);
      return { pupil: row, created: !before };
    });
    const hours = [...byRef.values()].map((p) => p.weeklySupportHours);
    const misfit = sampleFitsSchool(ret.ehcpCount, ret.over25HoursCount, sampleProgress(sampleRequirement(ret.ehcpCount, ret.over25HoursCount), hours));
    if (misfit) throw badUserInput([{ field: fitField, message: `would not fit the school's counts: there would be ${misfit} (change the counts with startBandingReturn if they are wrong)` }]);
    await repo.save(rows.map((r) => r.pupil));
    return rows;
  }
}
