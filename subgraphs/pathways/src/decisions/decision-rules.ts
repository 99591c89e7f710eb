/**
 * The chair's decisions, pure and unit-tested: when a decision may be recorded or changed, and
 * the funded-number cap. The service applies them under the round's row lock, so concurrent
 * approvals are counted one after another.
 */
import { FundingRoundStatus, PathwayApplicationStatus, PathwayDecisionOutcome } from '../pathways.enums';

export function decisionProblem(roundStatus: FundingRoundStatus, applicationStatus: PathwayApplicationStatus): string | undefined {
  if (roundStatus === FundingRoundStatus.DECIDED) return 'This round has been published; its decisions can no longer change.';
  if (roundStatus !== FundingRoundStatus.CLOSED) return 'Decisions are made once the application window has closed (close the round first).';
  if (applicationStatus !== PathwayApplicationStatus.SUBMITTED) return 'Only a submitted application can be decided.';
  return undefined;
}

/**
 * Whether approving one more application stays within the funded number. `approvedOthers` counts
 * the round's approved applications other than this one (so re-approving with a new reason is fine).
 */
export function approvalWithinCap(outcome: PathwayDecisionOutcome, approvedOthers: number, pathwaysFunded: number): boolean {
  return outcome !== PathwayDecisionOutcome.APPROVED || approvedOthers < pathwaysFunded;
}

/** Publishing needs a decision on every submitted application. */
export function publishProblem(roundStatus: FundingRoundStatus, undecided: number): string | undefined {
  if (roundStatus === FundingRoundStatus.DECIDED) return undefined;
  if (roundStatus !== FundingRoundStatus.CLOSED) return 'Only a closed round can be published.';
  if (undecided > 0) return `${undecided} submitted application${undecided === 1 ? ' has' : 's have'} no decision yet.`;
  return undefined;
}
