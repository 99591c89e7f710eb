/**
 * The funding model's data: every pupil row of the APPROVED returns of one matrix version, with no
 * names (there are none to give): school URN, the school's pupil reference, year group, hours,
 * primary need, a level per area, suggested and agreed band, verdict and reason. Selected and
 * ordered by Postgres; the columns before suggested_band are exactly the bulk upload's columns.
 */
import type { EntityManager } from 'typeorm';
import { csvTable } from '@sendco/csv';
import type { MatrixVersion } from '../matrix/matrix.entity';
import { areaColumn, PUPIL_COLUMNS } from '../pupils/pupil-csv';

export function exportHeaders(matrix: MatrixVersion): string[] {
  return ['urn', ...PUPIL_COLUMNS, ...matrix.areas.map((a) => areaColumn(a.key)), 'suggested_band', 'agreed_band', 'verdict', 'reason'];
}

export async function approvedPupilsCsv(manager: EntityManager, matrix: MatrixVersion): Promise<{ csv: string; returnIds: string[]; rows: number }> {
  const areaKeys = matrix.areas.map((a) => a.key);
  // One level column per area of the version, by position ($2, $3, …): keys are bound, never spliced.
  const levelColumns = areaKeys.map((_, i) => `p.levels ->> $${i + 2} AS level_${i}`).join(', ');
  const rows: Record<string, string | number | null>[] = await manager.query(
    `SELECT r.id AS return_id, r.school_urn, p.pupil_ref, p.year_group, p.weekly_support_hours::text AS hours, p.primary_need,
            ${levelColumns}, p.suggested_band, p.agreed_band, p.qa_verdict, p.qa_reason
       FROM "banding"."banding_pupil" p
       JOIN "banding"."banding_return" r ON r.id = p.return_id
      WHERE r.matrix_id = $1 AND r.status = 'APPROVED'
      ORDER BY r.school_urn, p.pupil_ref`,
    [matrix.id, ...areaKeys],
  );
  const records = rows.map((row) => [
    row.school_urn,
    row.pupil_ref,
    row.year_group,
    row.hours,
    row.primary_need,
    ...areaKeys.map((_, i) => row[`level_${i}`]),
    row.suggested_band,
    row.agreed_band,
    row.qa_verdict,
    row.qa_reason,
  ]);
  return { csv: csvTable(exportHeaders(matrix), records), returnIds: [...new Set(rows.map((r) => r.return_id as string))], rows: rows.length };
}
