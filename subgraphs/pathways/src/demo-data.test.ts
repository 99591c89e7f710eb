import { pupilReferenceProblem } from '@sendco/child-data';
import { formDefinitionProblems } from '@sendco/forms';
import { DEMO_APPLICATION_FORM, DEMO_COHORT_FORM, DEMO_CRITERIA, demoRounds } from './demo-data';
import { FundingRoundStatus } from './pathways.enums';
import { roundDetailsProblems, windowProblem } from './rounds/round-rules';
import type { FundingRound } from './rounds/round.entity';

describe('the demo Enhanced Pathways data', () => {
  const now = new Date('2026-03-10T10:00:00Z');
  const [open, decided] = demoRounds(now) as FundingRound[];

  it('is one round open today and one decided, both valid by the rules the API applies', () => {
    expect([open.status, decided.status]).toEqual([FundingRoundStatus.OPEN, FundingRoundStatus.DECIDED]);
    expect(windowProblem(open.status, open, now)).toBeUndefined();
    expect(roundDetailsProblems(open)).toEqual([]);
    expect(roundDetailsProblems(decided)).toEqual([]);
    expect(formDefinitionProblems(DEMO_APPLICATION_FORM, 'applicationQuestions')).toEqual([]);
    expect(formDefinitionProblems(DEMO_COHORT_FORM, 'cohortQuestions')).toEqual([]);
    expect(DEMO_CRITERIA.length).toBeGreaterThan(0);
  });

  it("uses pupil references the children's data rule accepts", () => {
    for (const urn of ['900001', '900002', '900003', '900005']) for (const n of [1, 2, 3]) expect(pupilReferenceProblem(`P${urn.slice(-2)}${String(n).padStart(2, '0')}`)).toBeUndefined();
  });
});
