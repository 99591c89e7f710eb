/**
 * The band rule: how a pupil's levels become a suggested band. Its parameters are data, stored
 * with each matrix version (level points, each band's minimum score and primary-need floor), so
 * the council can refine them by publishing a new version; the rule itself is this one function.
 *
 *   score          = the sum, over every area of need, of the points for the pupil's level there
 *   band by score  = the highest band whose minimum score the score reaches
 *   floor          = the highest band whose primary-need level the pupil's level in their primary
 *                    area of need reaches (bands without one set no floor)
 *   suggested band = the higher of the two
 *
 * Deterministic (no inputs but the levels and the version's parameters) and monotonic: points
 * never fall as a level rises (checked when a version is published), so raising any level never
 * lowers the score, the floor or the band.
 */

export interface BandThreshold {
  band: number;
  /** The least score that reaches this band (the lowest band's is 0, so every pupil has a band). */
  minScore: number;
  /** A pupil whose level in their primary area of need is at least this gets at least this band; null: no floor. */
  primaryNeedLevel: number | null;
}

export interface BandRule {
  /** Points for each level, indexed by level from 0; never decreasing. The highest level is its length - 1. */
  levelPoints: readonly number[];
  /** Bands from 1 upwards. */
  bands: readonly BandThreshold[];
}

/** A pupil's level in each area of need, by area key. */
export type Levels = Readonly<Record<string, number>>;

export interface BandResult {
  band: number;
  score: number;
}

export function bandScore(rule: BandRule, levels: Levels): number {
  return Object.values(levels).reduce((sum, level) => sum + rule.levelPoints[level], 0);
}

export function suggestBand(rule: BandRule, levels: Levels, primaryNeed: string): BandResult {
  const score = bandScore(rule, levels);
  const primaryLevel = levels[primaryNeed];
  let band = 0;
  for (const threshold of rule.bands) {
    const byScore = score >= threshold.minScore;
    const byFloor = threshold.primaryNeedLevel !== null && primaryLevel >= threshold.primaryNeedLevel;
    if ((byScore || byFloor) && threshold.band > band) band = threshold.band;
  }
  return { band, score };
}

export interface RuleProblem {
  field: string;
  message: string;
}

/**
 * What a new matrix version must satisfy for the rule to be total (every pupil gets a band),
 * deterministic and monotonic. Field names are those of the publish input.
 */
export function bandRuleProblems(rule: BandRule): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const maxLevel = rule.levelPoints.length - 1;
  if (rule.levelPoints.length < 2) problems.push({ field: 'levelPoints', message: 'must give points for at least two levels (0 and 1)' });
  rule.levelPoints.forEach((points, level) => {
    if (!Number.isInteger(points) || points < 0) problems.push({ field: `levelPoints.${level}`, message: 'must be a whole number, 0 or more' });
    else if (level > 0 && points < rule.levelPoints[level - 1]) {
      problems.push({ field: `levelPoints.${level}`, message: 'must not be less than the points for the level below (raising a level must never lower a band)' });
    }
  });
  if (rule.bands.length === 0) problems.push({ field: 'bands', message: 'must list at least one band' });
  rule.bands.forEach((threshold, i) => {
    const field = `bands.${i}`;
    if (threshold.band !== i + 1) problems.push({ field: `${field}.band`, message: `must be ${i + 1}: bands are numbered 1, 2, 3, … in order` });
    if (!Number.isInteger(threshold.minScore) || threshold.minScore < 0) problems.push({ field: `${field}.minScore`, message: 'must be a whole number, 0 or more' });
    else if (i === 0 && threshold.minScore !== 0) problems.push({ field: `${field}.minScore`, message: 'must be 0 for the lowest band, so that every pupil has a band' });
    else if (i > 0 && threshold.minScore <= rule.bands[i - 1].minScore) problems.push({ field: `${field}.minScore`, message: "must be more than the band below's" });
    if (threshold.primaryNeedLevel !== null && (!Number.isInteger(threshold.primaryNeedLevel) || threshold.primaryNeedLevel < 1 || threshold.primaryNeedLevel > maxLevel)) {
      problems.push({ field: `${field}.primaryNeedLevel`, message: `must be a level from 1 to ${maxLevel}, or null` });
    }
  });
  return problems;
}

/** The rule in words, with this version's numbers: shown in the API next to the matrix. */
export function describeBandRule(rule: BandRule): string {
  const points = rule.levelPoints.map((p, level) => `level ${level} = ${p}`).join(', ');
  const thresholds = rule.bands.map((b) => `band ${b.band} from ${b.minScore}`).join(', ');
  const floors = rule.bands.filter((b) => b.primaryNeedLevel !== null).map((b) => `level ${b.primaryNeedLevel} or above in the primary area of need gives at least band ${b.band}`);
  return [
    `Each area of need scores points for the pupil's level (${points}); the score is their sum.`,
    `The band by score is the highest band whose minimum the score reaches (${thresholds}).`,
    floors.length ? `The primary need sets a floor: ${floors.join('; ')}.` : 'The primary need sets no floor in this version.',
    'The suggested band is the higher of the band by score and the floor.',
  ].join(' ');
}
