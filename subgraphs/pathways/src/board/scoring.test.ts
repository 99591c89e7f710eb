import { applicationTotals, maximumTotal, rankApplications, scoreProblems, weightedTotal } from './scoring';

const criteria = [
  { key: 'need', label: 'Need', weight: 3, maxScore: 5 },
  { key: 'plan', label: 'Plan', weight: 1.5, maxScore: 4 },
];

describe('scores', () => {
  it('need every criterion once, a whole number from 0 to its maximum', () => {
    expect(scoreProblems(criteria, [{ criterion: 'need', score: 5 }, { criterion: 'plan', score: 0 }])).toEqual([]);
    expect(scoreProblems(criteria, [{ criterion: 'need', score: 6 }, { criterion: 'need', score: 1 }, { criterion: 'other', score: 1 }, { criterion: 'plan', score: 1.5 }]).map((p) => p.field)).toEqual([
      'scores.0.score',
      'scores.1.criterion',
      'scores.2.criterion',
      'scores.3.score',
    ]);
    expect(scoreProblems(criteria, [{ criterion: 'need', score: 1 }])).toEqual([{ field: 'scores', message: 'plan is not scored' }]);
  });
});

describe('totals', () => {
  it('weight each score and add them up', () => {
    expect(weightedTotal(criteria, [{ criterion: 'need', score: 4 }, { criterion: 'plan', score: 3 }])).toBe(16.5);
    expect(maximumTotal(criteria)).toBe(21);
  });

  it("average the members' totals and give the spread between them", () => {
    const member = (need: number, plan: number) => [{ criterion: 'need', score: need }, { criterion: 'plan', score: plan }];
    expect(applicationTotals(criteria, [member(4, 3), member(2, 2), member(5, 4)])).toEqual({ scoreCount: 3, weightedTotal: 15.5, spread: 12 });
    expect(applicationTotals(criteria, [member(1, 1)])).toEqual({ scoreCount: 1, weightedTotal: 4.5, spread: 0 });
    expect(applicationTotals(criteria, [])).toEqual({ scoreCount: 0, weightedTotal: null, spread: null });
  });
});

describe('the ranking', () => {
  it('puts the highest mean first, shares ranks on ties (earlier submission first), unscored last', () => {
    const at = (day: number) => new Date(`2026-01-${String(day).padStart(2, '0')}T10:00:00Z`);
    const row = (id: string, weightedTotal: number | null, day: number) => ({ id, submittedAt: at(day), weightedTotal, spread: 0, scoreCount: weightedTotal === null ? 0 : 1 });
    const ranked = rankApplications([row('a', 10, 5), row('b', 15, 9), row('c', null, 1), row('d', 10, 2), row('e', 3, 3)]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['b', 1],
      ['d', 2],
      ['a', 2],
      ['e', 4],
      ['c', null],
    ]);
  });
});
