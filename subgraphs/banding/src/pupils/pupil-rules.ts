/**
 * What a pupil row must be, whether it comes from the form (saveBandingPupil) or a CSV upload:
 * a pupil reference in the council's format and evidence that identifies no child (both by the
 * one rule of `@sendco/child-data`), a year group and hours in range, a primary need that is an
 * area of the return's matrix, and exactly one level, in range, for every area.
 */
import type { FieldProblem } from '@sendco/errors';
import { freeTextProblem, pupilReferenceProblem } from '@sendco/child-data';

/** Reception is year group 0; a mainstream school's pupils are in Reception to Year 13. */
export const YEAR_GROUPS = { min: 0, max: 13 } as const;
/** Hours of support a week: more than a school week's worth of 1:1 and 2:1 support is a typo. */
export const MAX_WEEKLY_HOURS = 60;
export const MAX_EVIDENCE_LENGTH = 4000;

export interface PupilFields {
  pupilRef: string;
  yearGroup: number;
  weeklySupportHours: number;
  primaryNeed: string;
  levels: { area: string; level: number }[];
  evidence?: string | null;
}

/** What the rules need to know about the return's matrix version. */
export interface MatrixShape {
  version: number;
  areaKeys: readonly string[];
  maxLevel: number;
}

/** Problems with one pupil, fields named as in BandingPupilInput (`levels.2.level`) under `prefix`. */
export function pupilProblems(pupil: PupilFields, matrix: MatrixShape, prefix = '', now: Date = new Date()): FieldProblem[] {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const problems: FieldProblem[] = [];
  const refProblem = pupilReferenceProblem(pupil.pupilRef);
  if (refProblem) problems.push({ field: at('pupilRef'), message: refProblem });
  if (!Number.isInteger(pupil.yearGroup) || pupil.yearGroup < YEAR_GROUPS.min || pupil.yearGroup > YEAR_GROUPS.max) {
    problems.push({ field: at('yearGroup'), message: `must be a year group from ${YEAR_GROUPS.min} (Reception) to ${YEAR_GROUPS.max}` });
  }
  const hours = pupil.weeklySupportHours;
  if (!Number.isFinite(hours) || hours < 0) problems.push({ field: at('weeklySupportHours'), message: 'must be a number of hours, 0 or more' });
  else if (hours > MAX_WEEKLY_HOURS) problems.push({ field: at('weeklySupportHours'), message: `must be at most ${MAX_WEEKLY_HOURS} hours a week` });
  else if (Math.abs(hours * 10 - Math.round(hours * 10)) > 1e-9) problems.push({ field: at('weeklySupportHours'), message: 'may have at most one decimal place (e.g. 27.5)' });

  const areas = new Set(matrix.areaKeys);
  const areaList = matrix.areaKeys.join(', ');
  if (!areas.has(pupil.primaryNeed)) problems.push({ field: at('primaryNeed'), message: `must be an area of matrix version ${matrix.version}: ${areaList}` });

  const seen = new Map<string, number>();
  pupil.levels.forEach(({ area, level }, i) => {
    if (!areas.has(area)) problems.push({ field: at(`levels.${i}.area`), message: `is not an area of matrix version ${matrix.version}: ${areaList}` });
    else if (seen.has(area)) problems.push({ field: at(`levels.${i}.area`), message: `is given twice (also levels.${seen.get(area)})` });
    else seen.set(area, i);
    if (!Number.isInteger(level) || level < 0 || level > matrix.maxLevel) problems.push({ field: at(`levels.${i}.level`), message: `must be a level from 0 to ${matrix.maxLevel}` });
  });
  const missing = matrix.areaKeys.filter((key) => !seen.has(key));
  if (missing.length) problems.push({ field: at('levels'), message: `needs a level for every area of need; missing ${missing.join(', ')}` });
  const primary = pupil.levels.find((l) => l.area === pupil.primaryNeed);
  if (primary && Number.isInteger(primary.level) && primary.level < 1) {
    problems.push({ field: at('primaryNeed'), message: 'must be an area where the pupil has a need (level 1 or above)' });
  }
  if (pupil.evidence && pupil.evidence.length > MAX_EVIDENCE_LENGTH) problems.push({ field: at('evidence'), message: `must be at most ${MAX_EVIDENCE_LENGTH} characters` });
  else if (pupil.evidence) {
    // Evidence is free text: the one rule for children's data screens it (dates of birth, UPNs, names).
    const evidenceProblem = freeTextProblem(pupil.evidence, now);
    if (evidenceProblem) problems.push({ field: at('evidence'), message: evidenceProblem });
  }
  return problems;
}

/** Levels by area key, as the band rule takes them. */
export function levelsByArea(levels: readonly { area: string; level: number }[]): Record<string, number> {
  return Object.fromEntries(levels.map((l) => [l.area, l.level]));
}
