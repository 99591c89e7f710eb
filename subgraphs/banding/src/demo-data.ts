/**
 * Demo data on the embedded default (DEMO_DATA): the demo matrix as version 1, and one demo
 * school's return in each state, so every screen has something to show. The schools and their
 * phases are the directory's demo schools (900001–900006). Loaded only into empty tables.
 */
import type { DataSource } from 'typeorm';
import { audit } from '@sendco/database';
import { suggestBand } from './matrix/band-rule';
import { DEMO_MATRIX } from './matrix/demo-matrix';
import { MatrixVersion } from './matrix/matrix.entity';
import { insertContents, toRule } from './matrix/matrix.service';
import { BandingPupil, QaVerdict } from './pupils/pupil.entity';
import { ReturnStatus } from './returns/return-status';
import { BandingReturn } from './returns/return.entity';

const [CI, CL, SEMH, SP] = DEMO_MATRIX.areas.map((a) => a.key);
const DAY = 24 * 3600 * 1000;

export interface DemoPupil {
  ref: string;
  year: number;
  hours: number;
  primary: string;
  levels: [number, number, number, number];
  evidence: string;
  verdict?: { band?: number; reason?: string };
}

export interface DemoReturn {
  urn: string;
  phase: string;
  ehcpCount: number;
  over25HoursCount: number;
  status: ReturnStatus;
  comments?: string;
  daysAgo: number;
  pupils: DemoPupil[];
}

export const DEMO_RETURNS: DemoReturn[] = [
  {
    urn: '900001', phase: 'PRIMARY', ehcpCount: 9, over25HoursCount: 2, status: ReturnStatus.DRAFT, daysAgo: 2,
    pupils: [
      { ref: 'CV-0412', year: 3, hours: 15, primary: CI, levels: [2, 1, 1, 0], evidence: 'Speech and language therapy report; annual review.' },
      { ref: 'CV-0388', year: 5, hours: 27.5, primary: SEMH, levels: [1, 1, 3, 0], evidence: 'Behaviour support plan; EP report.' },
    ],
  },
  {
    urn: '900002', phase: 'SECONDARY', ehcpCount: 37, over25HoursCount: 6, status: ReturnStatus.SUBMITTED, daysAgo: 6,
    pupils: [
      { ref: 'IM-2301', year: 7, hours: 12, primary: CL, levels: [1, 2, 1, 0], evidence: 'Annual review; reading and spelling assessments.' },
      { ref: 'IM-2219', year: 9, hours: 20, primary: CI, levels: [3, 1, 2, 0], evidence: 'Autism outreach report.' },
      { ref: 'IM-2154', year: 10, hours: 30, primary: SP, levels: [0, 1, 1, 4], evidence: 'Physiotherapy and moving-and-handling plans.' },
      { ref: 'IM-2087', year: 11, hours: 32.5, primary: SEMH, levels: [2, 2, 4, 0], evidence: 'CAMHS letter; risk assessment.' },
    ],
  },
  {
    urn: '900003', phase: 'SECONDARY', ehcpCount: 55, over25HoursCount: 3, status: ReturnStatus.RETURNED, daysAgo: 10,
    comments: 'TP-1190: the evidence does not support level 3 in cognition and learning; please check it against the descriptor and resubmit.',
    pupils: [
      { ref: 'TP-1201', year: 7, hours: 10, primary: CL, levels: [1, 2, 0, 0], evidence: 'Annual review.', verdict: {} },
      { ref: 'TP-1190', year: 8, hours: 18, primary: CL, levels: [1, 3, 1, 0], evidence: 'Teacher assessment.' },
      { ref: 'TP-1145', year: 9, hours: 22, primary: CI, levels: [2, 1, 1, 1], evidence: 'SaLT report.', verdict: {} },
      { ref: 'TP-1102', year: 10, hours: 26, primary: SEMH, levels: [1, 1, 3, 0], evidence: 'EP report.', verdict: {} },
      { ref: 'TP-1077', year: 11, hours: 30, primary: SP, levels: [0, 0, 1, 3], evidence: 'Hearing support service report.', verdict: {} },
      { ref: 'TP-1033', year: 12, hours: 28, primary: CI, levels: [4, 2, 2, 0], evidence: 'Communication passport; annual review.', verdict: {} },
    ],
  },
  {
    urn: '900005', phase: 'ALL_THROUGH', ehcpCount: 24, over25HoursCount: 4, status: ReturnStatus.APPROVED, daysAgo: 20,
    pupils: [
      { ref: 'EV-0031', year: 2, hours: 14, primary: CI, levels: [2, 1, 0, 0], evidence: 'SaLT report.', verdict: {} },
      { ref: 'EV-0045', year: 6, hours: 20, primary: CL, levels: [1, 2, 1, 1], evidence: 'EP report.', verdict: { band: 3, reason: 'Daily support across subjects is higher than the levels show; agreed with the school at moderation.' } },
      { ref: 'EV-0102', year: 8, hours: 27, primary: SEMH, levels: [1, 1, 3, 0], evidence: 'Behaviour support plan.', verdict: {} },
      { ref: 'EV-0150', year: 10, hours: 31, primary: SP, levels: [1, 1, 1, 4], evidence: 'Physiotherapy plan; care plan.', verdict: {} },
    ],
  },
];

export async function seedDemoBanding(dataSource: DataSource, now = new Date()): Promise<void> {
  await dataSource.transaction(async (manager) => {
    if ((await manager.getRepository(MatrixVersion).count()) > 0) return;
    const matrix = await manager.getRepository(MatrixVersion).save({ version: 1, levelPoints: DEMO_MATRIX.levelPoints, publishedBy: 'demo-data' });
    await insertContents(manager, matrix.id, DEMO_MATRIX);
    const rule = toRule(DEMO_MATRIX);
    for (const demo of DEMO_RETURNS) {
      const at = (days: number) => new Date(now.getTime() - days * DAY);
      const decided = demo.status === ReturnStatus.RETURNED || demo.status === ReturnStatus.APPROVED;
      const ret = await manager.getRepository(BandingReturn).save({
        matrixId: matrix.id,
        schoolUrn: demo.urn,
        schoolPhase: demo.phase,
        ehcpCount: demo.ehcpCount,
        over25HoursCount: demo.over25HoursCount,
        status: demo.status,
        startedBy: 'demo-data',
        contactEmail: `sendco@${demo.urn}.example.org`,
        contactName: `SENDCO of ${demo.urn}`,
        comments: demo.comments ?? null,
        submittedAt: demo.status === ReturnStatus.DRAFT ? null : at(demo.daysAgo - 2),
        decidedAt: decided ? at(demo.daysAgo - 4) : null,
        decidedBy: decided ? 'demo-data' : null,
      });
      await manager.getRepository(BandingPupil).insert(
        demo.pupils.map((p) => {
          const levels = { [CI]: p.levels[0], [CL]: p.levels[1], [SEMH]: p.levels[2], [SP]: p.levels[3] };
          const band = suggestBand(rule, levels, p.primary).band;
          const adjusted = p.verdict?.band !== undefined;
          return {
            returnId: ret.id, pupilRef: p.ref, yearGroup: p.year, weeklySupportHours: p.hours, primaryNeed: p.primary, levels, evidence: p.evidence, band,
            verdict: p.verdict ? (adjusted ? QaVerdict.ADJUSTED : QaVerdict.AGREED) : null,
            agreedBand: p.verdict ? (p.verdict.band ?? band) : null,
            reason: p.verdict?.reason ?? null,
          };
        }),
      );
      await audit(manager, [{ subjectType: 'return', subjectId: ret.id, action: 'return.demo-loaded', actor: 'demo-data', details: { status: demo.status } }]);
    }
  });
}
