/**
 * The board's arithmetic, pure and unit-tested: one member's scores checked against the round's
 * criteria, a member's weighted total, an application's mean and spread across members, and the
 * ranked list the panel sees.
 */
import type { FieldProblem } from '@sendco/errors';
import type { ScoringCriterionDefinition } from '../rounds/round-rules';

export interface CriterionScore {
  criterion: string;
  score: number;
}

/** Each criterion scored exactly once, a whole number from 0 to its maximum; named `scores.<i>`. */
export function scoreProblems(criteria: readonly ScoringCriterionDefinition[], scores: readonly CriterionScore[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const byKey = new Map(criteria.map((c) => [c.key, c]));
  const seen = new Set<string>();
  scores.forEach((s, i) => {
    const criterion = byKey.get(s.criterion);
    if (!criterion) problems.push({ field: `scores.${i}.criterion`, message: 'is not one of the round’s criteria' });
    else if (seen.has(s.criterion)) problems.push({ field: `scores.${i}.criterion`, message: 'is scored twice' });
    else if (!Number.isInteger(s.score) || s.score < 0 || s.score > criterion.maxScore)
      problems.push({ field: `scores.${i}.score`, message: `must be a whole number from 0 to ${criterion.maxScore}` });
    seen.add(s.criterion);
  });
  for (const c of criteria) if (!seen.has(c.key)) problems.push({ field: 'scores', message: `${c.key} is not scored` });
  return problems;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Σ weight × score over the criteria. */
export function weightedTotal(criteria: readonly ScoringCriterionDefinition[], scores: readonly CriterionScore[]): number {
  const byKey = new Map(scores.map((s) => [s.criterion, s.score]));
  return round2(criteria.reduce((sum, c) => sum + c.weight * (byKey.get(c.key) ?? 0), 0));
}

/** The best total an application can get: Σ weight × maximum. */
export function maximumTotal(criteria: readonly ScoringCriterionDefinition[]): number {
  return round2(criteria.reduce((sum, c) => sum + c.weight * c.maxScore, 0));
}

export interface ApplicationTotals {
  /** Members who scored it. */
  scoreCount: number;
  /** The mean of the members' weighted totals; null before anyone scored. */
  weightedTotal: number | null;
  /** Highest minus lowest member total: how far the board disagrees (0 with one score). */
  spread: number | null;
}

export function applicationTotals(criteria: readonly ScoringCriterionDefinition[], memberScores: readonly (readonly CriterionScore[])[]): ApplicationTotals {
  if (memberScores.length === 0) return { scoreCount: 0, weightedTotal: null, spread: null };
  const totals = memberScores.map((scores) => weightedTotal(criteria, scores));
  return {
    scoreCount: totals.length,
    weightedTotal: round2(totals.reduce((a, b) => a + b, 0) / totals.length),
    spread: round2(Math.max(...totals) - Math.min(...totals)),
  };
}

export interface Rankable extends ApplicationTotals {
  id: string;
  submittedAt: Date;
}

/**
 * Highest mean first; unscored applications last; ties by the earlier submission, then id, so the
 * order never depends on the database. Ranks are 1, 2, 2, 4 for equal totals.
 */
export function rankApplications<T extends Rankable>(rows: readonly T[]): (T & { rank: number | null })[] {
  const sorted = [...rows].sort(
    (a, b) =>
      (b.weightedTotal ?? -Infinity) - (a.weightedTotal ?? -Infinity) || a.submittedAt.getTime() - b.submittedAt.getTime() || a.id.localeCompare(b.id),
  );
  return sorted.map((row, i) => {
    if (row.weightedTotal === null) return { ...row, rank: null };
    const firstEqual = sorted.findIndex((r) => r.weightedTotal === row.weightedTotal);
    return { ...row, rank: firstEqual + 1 };
  });
}
