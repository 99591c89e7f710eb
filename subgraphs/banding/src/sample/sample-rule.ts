/**
 * The council's sample rule, exactly as in ../shared/contract/banding.graphql. For a school with
 * E pupils with EHCPs, of whom H receive more than 25 hours of support a week:
 *
 *   sampleSize     N = min(E, max(4, ceil(E / 10)))
 *   minUpTo25Hours   = min(E - H, max(2, floor(N / 2)))
 *   minOver25Hours   = min(H,     max(2, floor(N / 2)))
 *   and at least N pupils in all.
 *
 * The min() with E, E - H and H resolves the edge cases: a school is never asked for more pupils
 * of a kind than it has. This is the one place the rule is written.
 */

export interface SampleRequirement {
  sampleSize: number;
  minUpTo25Hours: number;
  minOver25Hours: number;
}

/** More than this many hours of support a week counts as "over 25 hours". */
export const HOURS_THRESHOLD = 25;

/** `ehcpCount` (E) and `over25HoursCount` (H) must be whole numbers with 0 <= H <= E (checked by `countProblems`). */
export function sampleRequirement(ehcpCount: number, over25HoursCount: number): SampleRequirement {
  const e = ehcpCount;
  const h = over25HoursCount;
  const sampleSize = Math.min(e, Math.max(4, Math.ceil(e / 10)));
  const half = Math.max(2, Math.floor(sampleSize / 2));
  return { sampleSize, minUpTo25Hours: Math.min(e - h, half), minOver25Hours: Math.min(h, half) };
}

export interface SampleProgress {
  total: number;
  upTo25Hours: number;
  over25Hours: number;
  meetsRequirement: boolean;
  /** How many more pupils are needed: in all, and of each kind (0 when there are enough). */
  missingPupils: number;
  missingUpTo25Hours: number;
  missingOver25Hours: number;
}

/** Whether a pupil counts towards the "more than 25 hours" half of the sample. */
export function isOver25Hours(weeklySupportHours: number): boolean {
  return weeklySupportHours > HOURS_THRESHOLD;
}

export function sampleProgress(requirement: SampleRequirement, weeklyHours: readonly number[]): SampleProgress {
  const over25Hours = weeklyHours.filter(isOver25Hours).length;
  const upTo25Hours = weeklyHours.length - over25Hours;
  const missingPupils = Math.max(0, requirement.sampleSize - weeklyHours.length);
  const missingUpTo25Hours = Math.max(0, requirement.minUpTo25Hours - upTo25Hours);
  const missingOver25Hours = Math.max(0, requirement.minOver25Hours - over25Hours);
  return {
    total: weeklyHours.length,
    upTo25Hours,
    over25Hours,
    meetsRequirement: missingPupils === 0 && missingUpTo25Hours === 0 && missingOver25Hours === 0,
    missingPupils,
    missingUpTo25Hours,
    missingOver25Hours,
  };
}

/** The largest school a return may describe; a typo guard, far above any mainstream school. */
export const MAX_EHCP_COUNT = 5000;

/** Problems with the counts a school gives (E, H), by argument name. */
export function countProblems(ehcpCount: number, over25HoursCount: number): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const ehcpCountValid = Number.isInteger(ehcpCount) && ehcpCount >= 0 && ehcpCount <= MAX_EHCP_COUNT;
  if (!ehcpCountValid) {
    problems.push({ field: 'ehcpCount', message: `must be a whole number from 0 to ${MAX_EHCP_COUNT}` });
  }
  if (!Number.isInteger(over25HoursCount) || over25HoursCount < 0) {
    problems.push({ field: 'over25HoursCount', message: 'must be a whole number, 0 or more' });
  } else if (ehcpCountValid && over25HoursCount > ehcpCount) {
    problems.push({ field: 'over25HoursCount', message: 'cannot be more than ehcpCount (they are some of the pupils with EHCPs)' });
  }
  return problems;
}

/**
 * A sample must be drawn from the school's own pupils: no more pupils than it has with EHCPs,
 * no more of either kind than it said it has. Says which count is exceeded, or undefined.
 */
export function sampleFitsSchool(ehcpCount: number, over25HoursCount: number, progress: Pick<SampleProgress, 'total' | 'upTo25Hours' | 'over25Hours'>): string | undefined {
  if (progress.total > ehcpCount) return `${progress.total} pupils in the sample but ${ehcpCount} with EHCPs at the school`;
  if (progress.over25Hours > over25HoursCount) return `${progress.over25Hours} pupils on more than ${HOURS_THRESHOLD} hours in the sample but ${over25HoursCount} at the school`;
  if (progress.upTo25Hours > ehcpCount - over25HoursCount) return `${progress.upTo25Hours} pupils on up to ${HOURS_THRESHOLD} hours in the sample but ${ehcpCount - over25HoursCount} at the school`;
  return undefined;
}
