import { pupilProblems, type MatrixShape, type PupilFields } from './pupil-rules';

const matrix: MatrixShape = { version: 3, areaKeys: ['CI', 'CL', 'SEMH', 'SP'], maxLevel: 4 };
const good: PupilFields = {
  pupilRef: 'P0123',
  yearGroup: 7,
  weeklySupportHours: 27.5,
  primaryNeed: 'SEMH',
  levels: [
    { area: 'CI', level: 1 },
    { area: 'CL', level: 0 },
    { area: 'SEMH', level: 3 },
    { area: 'SP', level: 4 },
  ],
  evidence: 'Annual review, EP report.',
};
/** A fixed clock: evidence is screened for dates of birth by the years they fall in. */
const NOW = new Date('2026-12-03T08:00:00Z');
const fields = (pupil: Partial<PupilFields>) => pupilProblems({ ...good, ...pupil }, matrix, '', NOW).map((p) => p.field);

describe('pupilProblems', () => {
  it('accepts a complete pupil', () => {
    expect(pupilProblems(good, matrix)).toEqual([]);
  });

  it.each([
    [{ yearGroup: -1 }, 'yearGroup'],
    [{ yearGroup: 14 }, 'yearGroup'],
    [{ yearGroup: 7.5 }, 'yearGroup'],
    [{ weeklySupportHours: -0.5 }, 'weeklySupportHours'],
    [{ weeklySupportHours: 61 }, 'weeklySupportHours'],
    [{ weeklySupportHours: 12.25 }, 'weeklySupportHours'],
    [{ weeklySupportHours: Number.NaN }, 'weeklySupportHours'],
    [{ primaryNeed: 'AUTISM' }, 'primaryNeed'],
    [{ pupilRef: 'Amelia Smith' }, 'pupilRef'],
    [{ evidence: 'x'.repeat(4001) }, 'evidence'],
    [{ evidence: 'EP report. DOB 12/03/2015.' }, 'evidence'],
    [{ evidence: 'Date of birth: 2015-03-12' }, 'evidence'],
    [{ evidence: 'Born on 12 March 2015' }, 'evidence'],
    [{ pupilRef: 'JSMITH07' }, 'pupilRef'],
    [{ pupilRef: 'SMITH1' }, 'pupilRef'],
    [{ pupilRef: '12/03/2015' }, 'pupilRef'],
    [{ pupilRef: 'A123456789012' }, 'pupilRef'],
    [{ evidence: 'Amelia Jones has 1:1 support in class.' }, 'evidence'],
    [{ evidence: 'EP report 04/11/2014.' }, 'evidence'],
    [{ evidence: 'UPN A123456789012.' }, 'evidence'],
  ])('refuses %j naming %s', (change, field) => {
    expect(fields(change)).toEqual([field]);
  });

  it.each([1.1, 27.3, 0.7, 32.5])('accepts %p hours (one decimal place, whatever floating point makes of it)', (weeklySupportHours) => {
    expect(fields({ weeklySupportHours })).toEqual([]);
  });

  it('says why evidence that names a pupil is refused', () => {
    const [problem] = pupilProblems({ ...good, evidence: 'Amelia Jones has 1:1 support in class.' }, matrix, 'input', NOW);
    expect(problem).toEqual({ field: 'input.evidence', message: expect.stringMatching(/^must not name anyone: two capitalised words side by side read as a name/) });
  });

  it('accepts evidence with the titles staff write (services, roles, areas of need)', () => {
    expect(fields({ evidence: 'Speech and Language Therapy report; the Educational Psychologist saw the pupil in Key Stage 2 (Social, Emotional and Mental Health).' })).toEqual([]);
  });

  it('accepts evidence that mentions dates of reports', () => {
    expect(fields({ evidence: 'EP report 12/03/2025; annual review May 2025; doberman-phobia noted.' })).toEqual([]);
  });

  it('accepts the edges of the ranges', () => {
    expect(fields({ yearGroup: 0, weeklySupportHours: 0 })).toEqual([]);
    expect(fields({ yearGroup: 13, weeklySupportHours: 60 })).toEqual([]);
  });

  it('needs exactly one level, in range, for every area of the matrix', () => {
    const levels = [
      { area: 'CI', level: 5 },
      { area: 'CI', level: 1 },
      { area: 'HEARING', level: 1 },
      { area: 'SEMH', level: 2 },
    ];
    const problems = pupilProblems({ ...good, levels }, matrix);
    expect(problems.map((p) => p.field)).toEqual(['levels.0.level', 'levels.1.area', 'levels.2.area', 'levels']);
    expect(problems[2].message).toBe('is not an area of matrix version 3: CI, CL, SEMH, SP');
    expect(problems[3].message).toBe('needs a level for every area of need; missing CL, SP');
  });

  it('needs the primary need to be an area where the pupil has a need', () => {
    expect(fields({ primaryNeed: 'CL' })).toEqual(['primaryNeed']);
  });

  it('names fields under a prefix', () => {
    expect(pupilProblems({ ...good, yearGroup: 20 }, matrix, 'input')[0].field).toBe('input.yearGroup');
  });
});
