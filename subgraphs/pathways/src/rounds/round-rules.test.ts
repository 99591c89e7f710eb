import { FundingRoundStatus } from '../pathways.enums';
import { boardDayStart, canMoveTo, criteriaProblems, formsFrozen, roundDetailsProblems, windowProblem, withdrawProblem } from './round-rules';

const window = { opensAt: new Date('2026-01-12T09:00:00Z'), closesAt: new Date('2026-01-30T17:00:00Z') };

describe('the application window', () => {
  it('is open only for an OPEN round from opensAt (inclusive) to closesAt (exclusive)', () => {
    expect(windowProblem(FundingRoundStatus.OPEN, window, new Date('2026-01-12T09:00:00Z'))).toBeUndefined();
    expect(windowProblem(FundingRoundStatus.OPEN, window, new Date('2026-01-30T16:59:59Z'))).toBeUndefined();
    expect(windowProblem(FundingRoundStatus.OPEN, window, new Date('2026-01-12T08:59:59Z'))).toMatch(/not open yet/);
    expect(windowProblem(FundingRoundStatus.OPEN, window, new Date('2026-01-30T17:00:00Z'))).toMatch(/have closed/);
    expect(windowProblem(FundingRoundStatus.DRAFT, window, new Date('2026-01-20T12:00:00Z'))).toMatch(/not open yet/);
    expect(windowProblem(FundingRoundStatus.CLOSED, window, new Date('2026-01-20T12:00:00Z'))).toMatch(/have closed/);
  });

  it('names the window in Europe/London time (GMT in winter, BST in summer)', () => {
    expect(windowProblem(FundingRoundStatus.OPEN, window, new Date('2026-02-01T00:00:00Z'))).toBe(
      'Applications for this round have closed: the window was Mon, 12 Jan 2026, 09:00 GMT to Fri, 30 Jan 2026, 17:00 GMT.',
    );
    const summer = { opensAt: new Date('2026-06-01T08:00:00Z'), closesAt: new Date('2026-06-19T16:00:00Z') };
    expect(windowProblem(FundingRoundStatus.OPEN, summer, new Date('2026-05-01T00:00:00Z'))).toContain('Mon, 1 Jun 2026, 09:00 BST');
  });
});

describe('withdrawal', () => {
  it('is allowed until the first board day begins in London, never once decided', () => {
    expect(withdrawProblem(FundingRoundStatus.CLOSED, ['2026-02-20', '2026-02-10'], new Date('2026-02-09T23:59:00Z'))).toBeUndefined();
    expect(withdrawProblem(FundingRoundStatus.CLOSED, ['2026-02-20', '2026-02-10'], new Date('2026-02-10T00:00:00Z'))).toMatch(/2026-02-10/);
    expect(withdrawProblem(FundingRoundStatus.DECIDED, [], new Date('2026-01-01T00:00:00Z'))).toMatch(/decided/);
  });

  it('takes a board day as starting at London midnight (23:00 UTC the day before in summer)', () => {
    expect(boardDayStart('2026-07-01').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(boardDayStart('2026-12-01').toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('steps', () => {
  it('go DRAFT → OPEN → CLOSED → DECIDED and no other way', () => {
    expect(canMoveTo(FundingRoundStatus.DRAFT, FundingRoundStatus.OPEN)).toBe(true);
    expect(canMoveTo(FundingRoundStatus.OPEN, FundingRoundStatus.CLOSED)).toBe(true);
    expect(canMoveTo(FundingRoundStatus.CLOSED, FundingRoundStatus.DECIDED)).toBe(true);
    expect(canMoveTo(FundingRoundStatus.DRAFT, FundingRoundStatus.CLOSED)).toBe(false);
    expect(canMoveTo(FundingRoundStatus.CLOSED, FundingRoundStatus.OPEN)).toBe(false);
    expect(canMoveTo(FundingRoundStatus.DECIDED, FundingRoundStatus.OPEN)).toBe(false);
  });

  it('freeze the questions and criteria once the round opens', () => {
    expect(formsFrozen(FundingRoundStatus.DRAFT)).toBe(false);
    for (const s of [FundingRoundStatus.OPEN, FundingRoundStatus.CLOSED, FundingRoundStatus.DECIDED]) expect(formsFrozen(s)).toBe(true);
  });
});

describe('details', () => {
  const good = { title: 'Round', description: '', pathwaysFunded: 20, ...window, boardDates: ['2026-02-10'], criteria: [{ key: 'need', label: 'Need', weight: 2, maxScore: 5 }] };

  it('accepts a good round and names each bad field', () => {
    expect(roundDetailsProblems(good)).toEqual([]);
    const fields = roundDetailsProblems({ ...good, title: ' ', pathwaysFunded: 0, closesAt: window.opensAt, boardDates: ['2026-02-30', '2026-01-01'] }).map((p) => p.field);
    expect(fields).toEqual(['title', 'pathwaysFunded', 'closesAt', 'boardDates.0', 'boardDates.1']);
  });

  it('checks criteria keys, weights and maxima', () => {
    const problems = criteriaProblems([
      { key: 'need', label: 'Need', weight: 0, maxScore: 5 },
      { key: 'need', label: 'Again', weight: 1, maxScore: 0 },
      { key: '1bad', label: '', weight: 1, maxScore: 5 },
    ]).map((p) => p.field);
    expect(problems).toEqual(['criteria.0.weight', 'criteria.1.key', 'criteria.1.maxScore', 'criteria.2.key', 'criteria.2.label']);
  });
});
