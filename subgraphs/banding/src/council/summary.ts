/**
 * The county summary, aggregated by Postgres (GROUPING SETS: per phase and county-wide in one
 * pass each): only a few dozen rows of counts come back to Node, whatever the number of pupils.
 */
import type { EntityManager } from 'typeorm';
import type { MatrixVersion } from '../matrix/matrix.entity';
import type { BandingSummaryView, ProgressFigures } from './council.types';

const SCHOOL_COUNTS = `
  SELECT school_phase AS phase, GROUPING(school_phase) AS county,
         count(*)::int AS started,
         count(*) FILTER (WHERE submitted_at IS NOT NULL)::int AS submitted,
         count(*) FILTER (WHERE status = 'SUBMITTED')::int AS awaiting,
         count(*) FILTER (WHERE status = 'APPROVED')::int AS approved
    FROM "banding"."banding_return"
   WHERE matrix_id = $1
   GROUP BY GROUPING SETS ((school_phase), ())`;

const PUPIL_COUNTS = `
  SELECT r.school_phase AS phase, GROUPING(r.school_phase) AS county,
         count(*)::int AS pupils,
         count(*) FILTER (WHERE r.status = 'APPROVED')::int AS approved_pupils,
         count(*) FILTER (WHERE r.status = 'APPROVED' AND p.agreed_band IS NOT NULL)::int AS judged,
         count(*) FILTER (WHERE r.status = 'APPROVED' AND p.agreed_band = p.suggested_band)::int AS agreed_as_suggested
    FROM "banding"."banding_pupil" p
    JOIN "banding"."banding_return" r ON r.id = p.return_id
   WHERE r.matrix_id = $1
   GROUP BY GROUPING SETS ((r.school_phase), ())`;

const BAND_COUNTS = `
  SELECT phase, GROUPING(phase) AS county, band, kind, count(*)::int AS n
    FROM (SELECT r.school_phase AS phase, p.suggested_band AS band, 'suggested' AS kind
            FROM "banding"."banding_pupil" p JOIN "banding"."banding_return" r ON r.id = p.return_id
           WHERE r.matrix_id = $1
          UNION ALL
          SELECT r.school_phase, p.agreed_band, 'agreed'
            FROM "banding"."banding_pupil" p JOIN "banding"."banding_return" r ON r.id = p.return_id
           WHERE r.matrix_id = $1 AND r.status = 'APPROVED' AND p.agreed_band IS NOT NULL) AS bands
   GROUP BY GROUPING SETS ((phase, band, kind), (band, kind))`;

interface SchoolRow { phase: string | null; county: number; started: number; submitted: number; awaiting: number; approved: number }
interface PupilRow { phase: string | null; county: number; pupils: number; approved_pupils: number; judged: number; agreed_as_suggested: number }
interface BandRow { phase: string | null; county: number; band: number; kind: 'suggested' | 'agreed'; n: number }

const COUNTY = Symbol('county');

export async function countySummary(manager: EntityManager, matrix: MatrixVersion): Promise<BandingSummaryView> {
  const [schools, pupils, bands]: [SchoolRow[], PupilRow[], BandRow[]] = await Promise.all([
    manager.query(SCHOOL_COUNTS, [matrix.id]),
    manager.query(PUPIL_COUNTS, [matrix.id]),
    manager.query(BAND_COUNTS, [matrix.id]),
  ]);
  const keyOf = (row: { phase: string | null; county: number }) => (Number(row.county) === 1 ? COUNTY : (row.phase as string));
  const figures = (key: string | typeof COUNTY): ProgressFigures => {
    const s = schools.find((r) => keyOf(r) === key);
    const p = pupils.find((r) => keyOf(r) === key);
    const countOf = (band: number, kind: BandRow['kind']) => bands.find((r) => keyOf(r) === key && r.band === band && r.kind === kind)?.n ?? 0;
    return {
      schoolsStarted: s?.started ?? 0,
      schoolsSubmitted: s?.submitted ?? 0,
      schoolsAwaitingQa: s?.awaiting ?? 0,
      schoolsApproved: s?.approved ?? 0,
      pupils: p?.pupils ?? 0,
      approvedPupils: p?.approved_pupils ?? 0,
      agreementRate: p && p.judged > 0 ? p.agreed_as_suggested / p.judged : null,
      bandDistribution: matrix.bands.map((b) => ({ band: b.band, label: b.label, count: countOf(b.band, 'agreed'), suggested: countOf(b.band, 'suggested') })),
    };
  };
  const phases = schools.filter((r) => keyOf(r) !== COUNTY).map((r) => r.phase as string).sort();
  return { matrixVersion: matrix.version, ...figures(COUNTY), byPhase: phases.map((phase) => ({ phase, ...figures(phase) })) };
}
