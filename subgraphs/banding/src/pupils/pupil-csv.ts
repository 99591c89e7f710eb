/**
 * Bulk entry: a SENDCO's CSV of pupils, with the same columns as the school-side fields of the
 * council's export (pupil_ref, year_group, weekly_support_hours, primary_need, one column per
 * area of need named by its key in lower case; evidence optional). Every bad row is reported with
 * its line number; the caller saves nothing unless there are no problems at all.
 */
import { CsvSyntaxError, parseCsvWithHeader } from '@sendco/csv';
import type { FieldProblem } from '@sendco/errors';
import { normalisePupilReference } from '@sendco/child-data';
import { pupilProblems, type MatrixShape, type PupilFields } from './pupil-rules';

export const PUPIL_COLUMNS = ['pupil_ref', 'year_group', 'weekly_support_hours', 'primary_need'] as const;
export const EVIDENCE_COLUMN = 'evidence';

/** The CSV column of an area of need: its key in lower case (`SEMH` → `semh`). */
export const areaColumn = (areaKey: string) => areaKey.toLowerCase();

const FIELD_COLUMNS: Record<string, string> = { pupilRef: 'pupil_ref', yearGroup: 'year_group', weeklySupportHours: 'weekly_support_hours', primaryNeed: 'primary_need', evidence: EVIDENCE_COLUMN };

export interface ParsedUpload {
  pupils: PupilFields[];
  /** Fields are `csv.<line>.<column>` (`csv.7.year_group`), or `csv` for the file as a whole. */
  problems: FieldProblem[];
}

const WHOLE = /^\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function pupilsFromCsv(text: string, matrix: MatrixShape): ParsedUpload {
  let parsed: ReturnType<typeof parseCsvWithHeader>;
  try {
    parsed = parseCsvWithHeader(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { pupils: [], problems: [{ field: 'csv', message: `is not valid CSV${error.line ? ` at line ${error.line}` : ''}: ${error.message}` }] };
    throw error;
  }
  const areaColumns = matrix.areaKeys.map(areaColumn);
  const expected = [...PUPIL_COLUMNS, ...areaColumns];
  const missing = expected.filter((c) => !parsed.headers.includes(c));
  const unknown = parsed.headers.filter((h) => !expected.includes(h) && h !== EVIDENCE_COLUMN);
  const headerProblems: FieldProblem[] = [];
  if (missing.length) headerProblems.push({ field: 'csv.1', message: `line 1 (the header) is missing the columns ${missing.join(', ')}` });
  if (unknown.length) headerProblems.push({ field: 'csv.1', message: `line 1 (the header) has columns that are not in matrix version ${matrix.version}: ${unknown.join(', ')}` });
  if (headerProblems.length) return { pupils: [], problems: headerProblems };
  if (parsed.records.length === 0) return { pupils: [], problems: [{ field: 'csv', message: 'has no pupil rows under the header' }] };

  const columnIndex = (field: string) => expected.indexOf(field.split('.')[2] as never);
  const pupils: PupilFields[] = [];
  const problems: FieldProblem[] = [];
  const firstLineOfRef = new Map<string, number>();
  for (const { line, cells, cellCount } of parsed.records) {
    const reported = new Set<string>();
    const firstOfRow = problems.length;
    const at = (column: string, message: string) => {
      // One problem per cell: an unreadable number is not also "out of range".
      if (reported.has(column)) return;
      reported.add(column);
      problems.push({ field: `csv.${line}.${column}`, message: `line ${line}, ${column}: ${message}` });
    };
    if (cellCount !== parsed.headers.length) {
      problems.push({ field: `csv.${line}`, message: `line ${line} has ${cellCount} cells but the header has ${parsed.headers.length}` });
      continue;
    }
    const number = (column: string, pattern: RegExp, what: string) => {
      const cell = cells[column];
      if (!cell) at(column, 'is required');
      else if (!pattern.test(cell)) at(column, `must be ${what}`);
      return Number(cell);
    };
    const pupil: PupilFields = {
      pupilRef: cells.pupil_ref,
      yearGroup: number('year_group', WHOLE, 'a whole number'),
      weeklySupportHours: number('weekly_support_hours', DECIMAL, 'a number of hours'),
      primaryNeed: cells.primary_need.toUpperCase(),
      levels: matrix.areaKeys.map((area) => ({ area, level: number(areaColumn(area), WHOLE, 'a whole number') })),
      evidence: cells[EVIDENCE_COLUMN] || null,
    };
    for (const problem of pupilProblems(pupil, matrix)) {
      const levelIndex = /^levels\.(\d+)\./.exec(problem.field);
      at(levelIndex ? areaColumns[Number(levelIndex[1])] : (FIELD_COLUMNS[problem.field] ?? problem.field), problem.message);
    }
    const ref = normalisePupilReference(pupil.pupilRef);
    if (ref && firstLineOfRef.has(ref)) at('pupil_ref', `is the same pupil as line ${firstLineOfRef.get(ref)} (each pupil once per upload)`);
    else firstLineOfRef.set(ref, line);
    // In the order of the columns, as a person reads the row.
    const rowProblems = problems.splice(firstOfRow).sort((a, b) => columnIndex(a.field) - columnIndex(b.field));
    problems.push(...rowProblems);
    pupils.push(pupil);
  }
  return { pupils: problems.length ? [] : pupils, problems };
}
