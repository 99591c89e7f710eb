/**
 * A round's figures and its CSV for the council, pure and unit-tested: counts by status and by
 * decision (zeros included), and one row per application with its totals and decision. Cells
 * are formula-safe (@sendco/csv).
 */
import { csvTable } from '@sendco/csv';
import { PathwayApplicationStatus, PathwayDecisionOutcome } from '../pathways.enums';

export interface ReportApplication {
  schoolUrn: string;
  status: PathwayApplicationStatus;
  submittedAt?: Date | null;
  pupils: number;
  decision?: PathwayDecisionOutcome | null;
  decisionReason?: string | null;
}

export interface ReportRow extends ReportApplication {
  rank: number | null;
  weightedTotal: number | null;
  spread: number | null;
  scoreCount: number;
}

export function reportCounts(applications: readonly ReportApplication[], pathwaysFunded: number) {
  const submitted = applications.filter((a) => a.status === PathwayApplicationStatus.SUBMITTED);
  return {
    pathwaysFunded,
    byStatus: Object.values(PathwayApplicationStatus).map((status) => ({ status, count: applications.filter((a) => a.status === status).length })),
    byDecision: Object.values(PathwayDecisionOutcome).map((outcome) => ({ outcome, count: submitted.filter((a) => a.decision === outcome).length })),
    undecided: submitted.filter((a) => !a.decision).length,
  };
}

export const REPORT_CSV_HEADERS = ['School URN', 'School', 'Status', 'Submitted at', 'Pupils', 'Scores', 'Weighted total', 'Spread', 'Rank', 'Decision', 'Reason'] as const;

/** Ranked rows first (the panel's order), then the rest by school; school names from the directory. */
export function reportCsv(rows: readonly ReportRow[], schoolNames: ReadonlyMap<string, string>): string {
  return csvTable(
    REPORT_CSV_HEADERS,
    rows.map((r) => [
      r.schoolUrn,
      schoolNames.get(r.schoolUrn) ?? '',
      r.status,
      r.submittedAt?.toISOString() ?? '',
      r.pupils,
      r.scoreCount,
      r.weightedTotal ?? '',
      r.spread ?? '',
      r.rank ?? '',
      r.decision ?? '',
      r.decisionReason ?? '',
    ]),
  );
}
