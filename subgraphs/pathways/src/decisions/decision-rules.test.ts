import { FundingRoundStatus, PathwayApplicationStatus, PathwayDecisionOutcome } from '../pathways.enums';
import { approvalWithinCap, decisionProblem, publishProblem } from './decision-rules';

describe('the funded-number cap', () => {
  it('lets approvals reach the funded number and no further; other outcomes are never capped', () => {
    expect(approvalWithinCap(PathwayDecisionOutcome.APPROVED, 19, 20)).toBe(true);
    expect(approvalWithinCap(PathwayDecisionOutcome.APPROVED, 20, 20)).toBe(false);
    expect(approvalWithinCap(PathwayDecisionOutcome.RESERVE, 20, 20)).toBe(true);
    expect(approvalWithinCap(PathwayDecisionOutcome.DECLINED, 25, 20)).toBe(true);
  });
});

describe('when a decision may be recorded', () => {
  it('only on a submitted application of a closed round, never once published', () => {
    expect(decisionProblem(FundingRoundStatus.CLOSED, PathwayApplicationStatus.SUBMITTED)).toBeUndefined();
    expect(decisionProblem(FundingRoundStatus.OPEN, PathwayApplicationStatus.SUBMITTED)).toMatch(/window has closed/);
    expect(decisionProblem(FundingRoundStatus.DECIDED, PathwayApplicationStatus.SUBMITTED)).toMatch(/published/);
    expect(decisionProblem(FundingRoundStatus.CLOSED, PathwayApplicationStatus.WITHDRAWN)).toMatch(/submitted/);
    expect(decisionProblem(FundingRoundStatus.CLOSED, PathwayApplicationStatus.DRAFT)).toMatch(/submitted/);
  });

  it('publishes a closed round only when every submitted application is decided', () => {
    expect(publishProblem(FundingRoundStatus.CLOSED, 0)).toBeUndefined();
    expect(publishProblem(FundingRoundStatus.CLOSED, 2)).toBe('2 submitted applications have no decision yet.');
    expect(publishProblem(FundingRoundStatus.OPEN, 0)).toMatch(/closed round/);
    expect(publishProblem(FundingRoundStatus.DECIDED, 0)).toBeUndefined();
  });
});
