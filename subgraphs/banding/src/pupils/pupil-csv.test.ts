import { pupilsFromCsv } from './pupil-csv';
import type { MatrixShape } from './pupil-rules';

const matrix: MatrixShape = { version: 1, areaKeys: ['CI', 'CL', 'SEMH', 'SP'], maxLevel: 4 };
const HEADER = 'pupil_ref,year_group,weekly_support_hours,primary_need,ci,cl,semh,sp';

describe('pupilsFromCsv', () => {
  it('reads every row into a pupil, with the evidence column optional', () => {
    const { pupils, problems } = pupilsFromCsv(`${HEADER},evidence\r\nP1,7,12.5,semh,1,0,3,0,"Annual review, 2025"\r\nP2,8,30,CI,4,2,1,0,\r\n`, matrix);
    expect(problems).toEqual([]);
    expect(pupils).toEqual([
      { pupilRef: 'P1', yearGroup: 7, weeklySupportHours: 12.5, primaryNeed: 'SEMH', levels: [{ area: 'CI', level: 1 }, { area: 'CL', level: 0 }, { area: 'SEMH', level: 3 }, { area: 'SP', level: 0 }], evidence: 'Annual review, 2025' },
      { pupilRef: 'P2', yearGroup: 8, weeklySupportHours: 30, primaryNeed: 'CI', levels: [{ area: 'CI', level: 4 }, { area: 'CL', level: 2 }, { area: 'SEMH', level: 1 }, { area: 'SP', level: 0 }], evidence: null },
    ]);
  });

  it('reports every bad row with its line number, and returns no pupils', () => {
    const csv = [
      HEADER,
      'P1,7,12,SEMH,1,0,3,0', // line 2: fine
      'Jane Doe,7,12,SEMH,1,0,3,0', // 3: a name
      'P3,15,-2,SEMH,1,0,3,0', // 4: year group and hours
      'P4,7,12,SEMH,1,0,9,', // 5: level out of range, a level missing
      'P1,9,30,CL,0,2,0,0', // 6: the same pupil as line 2
      'P6,7,12,SEMH,1,0', // 7: too few cells
      'P7,seven,12,DYSLEXIA,1,0,3,0', // 8: not a number
    ].join('\n');
    const { pupils, problems } = pupilsFromCsv(csv, matrix);
    expect(pupils).toEqual([]);
    expect(problems.map((p) => p.field)).toEqual([
      'csv.3.pupil_ref',
      'csv.4.year_group',
      'csv.4.weekly_support_hours',
      'csv.5.semh',
      'csv.5.sp',
      'csv.6.pupil_ref',
      'csv.7',
      'csv.8.year_group',
      'csv.8.primary_need',
    ]);
    expect(problems[0].message).toMatch(/^line 3, pupil_ref: looks like a name/);
    expect(problems[3].message).toBe('line 5, semh: must be a level from 0 to 4');
    expect(problems[4].message).toBe('line 5, sp: is required');
    expect(problems[5].message).toBe('line 6, pupil_ref: is the same pupil as line 2 (each pupil once per upload)');
    expect(problems[6].message).toBe('line 7 has 6 cells but the header has 8');
  });

  it('screens references and evidence with the one rule for children\'s data, naming the cell', () => {
    const csv = [`${HEADER},evidence`, 'JSMITH07,7,12,SEMH,1,0,3,0,', 'A123456789012,7,12,SEMH,1,0,3,0,', 'P3,7,12,SEMH,1,0,3,0,Amelia Jones has a TA.'].join('\n');
    const { problems } = pupilsFromCsv(csv, matrix);
    expect(problems.map((p) => p.field)).toEqual(['csv.2.pupil_ref', 'csv.3.pupil_ref', 'csv.4.evidence']);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^line 2, pupil_ref: looks like a name/),
      expect.stringMatching(/^line 3, pupil_ref: looks like a UPN/),
      expect.stringMatching(/^line 4, evidence: must not name anyone/),
    ]);
  });

  it('reports the primary need that is not an area, once the numbers are right', () => {
    expect(pupilsFromCsv(`${HEADER}\nP7,7,12,DYSLEXIA,1,0,3,0`, matrix).problems).toEqual([
      { field: 'csv.2.primary_need', message: 'line 2, primary_need: must be an area of matrix version 1: CI, CL, SEMH, SP' },
    ]);
  });

  it('refuses a header without every column, or with columns of another matrix', () => {
    expect(pupilsFromCsv('pupil_ref,year_group,weekly_support_hours,primary_need,ci,cl,semh,hearing\nP1,7,1,CI,1,1,1,1', matrix).problems.map((p) => p.message)).toEqual([
      'line 1 (the header) is missing the columns sp',
      'line 1 (the header) has columns that are not in matrix version 1: hearing',
    ]);
  });

  it('refuses an empty upload and a file that is not CSV', () => {
    expect(pupilsFromCsv(`${HEADER}\n`, matrix).problems).toEqual([{ field: 'csv', message: 'has no pupil rows under the header' }]);
    expect(pupilsFromCsv(`${HEADER}\nP1,"7`, matrix).problems[0].message).toMatch(/^is not valid CSV/);
  });
});
