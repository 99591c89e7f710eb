import fc from 'fast-check';
import { countProblems, sampleFitsSchool, sampleProgress, sampleRequirement } from './sample-rule';

// Worked by hand from the contract's formulas: [E, H, N, minUpTo25Hours, minOver25Hours].
const CASES: [number, number, number, number, number][] = [
  [0, 0, 0, 0, 0],
  [1, 0, 1, 1, 0],
  [1, 1, 1, 0, 1],
  [3, 0, 3, 2, 0],
  [3, 1, 3, 2, 1],
  [3, 3, 3, 0, 2],
  [4, 0, 4, 2, 0],
  [4, 1, 4, 2, 1],
  [4, 4, 4, 0, 2],
  [39, 0, 4, 2, 0],
  [39, 1, 4, 2, 1],
  [39, 39, 4, 0, 2],
  [40, 0, 4, 2, 0],
  [40, 1, 4, 2, 1],
  [40, 40, 4, 0, 2],
  [41, 0, 5, 2, 0],
  [41, 1, 5, 2, 1],
  [41, 41, 5, 0, 2],
  [100, 0, 10, 5, 0],
  [100, 1, 10, 5, 1],
  [100, 100, 10, 0, 5],
  [1000, 0, 100, 50, 0],
  [1000, 1, 100, 50, 1],
  [1000, 1000, 100, 0, 50],
];

describe('sampleRequirement', () => {
  it.each(CASES)('E = %i, H = %i: N = %i, at least %i on up to 25 hours and %i on more', (e, h, sampleSize, minUpTo25Hours, minOver25Hours) => {
    expect(sampleRequirement(e, h)).toEqual({ sampleSize, minUpTo25Hours, minOver25Hours });
  });

  it("matches the contract's worked examples", () => {
    expect(sampleRequirement(37, 6)).toEqual({ sampleSize: 4, minUpTo25Hours: 2, minOver25Hours: 2 });
    expect(sampleRequirement(55, 3)).toEqual({ sampleSize: 6, minUpTo25Hours: 3, minOver25Hours: 3 });
  });

  it("can always be met by the school's own pupils, and asks for at least 10% (or 4, or all of them)", () => {
    const school = fc.integer({ min: 0, max: 5000 }).chain((e) => fc.tuple(fc.constant(e), fc.integer({ min: 0, max: e })));
    fc.assert(
      fc.property(school, ([e, h]) => {
        const req = sampleRequirement(e, h);
        // The smallest sample that could meet it: the minimum of each kind, topped up to N from
        // whichever kind the school still has pupils of.
        const upTo25 = req.minUpTo25Hours;
        const over25 = req.minOver25Hours;
        const topUp = Math.max(0, req.sampleSize - upTo25 - over25);
        const spareUpTo25 = e - h - upTo25;
        const spareOver25 = h - over25;
        if (spareUpTo25 < 0 || spareOver25 < 0 || spareUpTo25 + spareOver25 < topUp) return false;
        const extraUpTo25 = Math.min(topUp, spareUpTo25);
        const hours = [...Array(upTo25 + extraUpTo25).fill(10), ...Array(over25 + topUp - extraUpTo25).fill(30)];
        const progress = sampleProgress(req, hours);
        return (
          progress.meetsRequirement &&
          sampleFitsSchool(e, h, progress) === undefined &&
          req.sampleSize >= Math.ceil(e / 10) &&
          req.sampleSize >= Math.min(e, 4) &&
          req.sampleSize <= e
        );
      }),
      { seed: 20260212, numRuns: 3000 },
    );
  });
});

describe('sampleProgress', () => {
  const req = sampleRequirement(55, 3); // 6 in all, 3 and 3

  it('counts 25 hours as "up to 25" and anything above as "more than 25"', () => {
    expect(sampleProgress(req, [25, 25.5])).toMatchObject({ total: 2, upTo25Hours: 1, over25Hours: 1 });
  });

  it('says how many more pupils of each kind are missing', () => {
    expect(sampleProgress(req, [10, 12, 30])).toEqual({
      total: 3,
      upTo25Hours: 2,
      over25Hours: 1,
      meetsRequirement: false,
      missingPupils: 3,
      missingUpTo25Hours: 1,
      missingOver25Hours: 2,
    });
  });

  it('is met with enough of each kind and enough in all', () => {
    expect(sampleProgress(req, [1, 2, 3, 26, 27, 28]).meetsRequirement).toBe(true);
    expect(sampleProgress(sampleRequirement(41, 20), [1, 2, 26, 27]).missingPupils).toBe(1);
  });

  it('is met by an empty sample for a school with no EHCPs', () => {
    expect(sampleProgress(sampleRequirement(0, 0), []).meetsRequirement).toBe(true);
  });
});

describe('countProblems', () => {
  it.each([
    [-1, 0, ['ehcpCount']],
    [5001, 0, ['ehcpCount']],
    [2.5, 0, ['ehcpCount']],
    [3, -1, ['over25HoursCount']],
    [3, 4, ['over25HoursCount']],
  ])('E = %p, H = %p is refused naming %p', (e, h, fields) => {
    expect(countProblems(e, h).map((p) => p.field)).toEqual(fields);
  });

  it('accepts 0 <= H <= E', () => {
    expect(countProblems(0, 0)).toEqual([]);
    expect(countProblems(40, 40)).toEqual([]);
  });
});

describe('sampleFitsSchool', () => {
  it('refuses more pupils, or more of a kind, than the school has', () => {
    expect(sampleFitsSchool(3, 1, { total: 4, upTo25Hours: 2, over25Hours: 2 })).toBe('4 pupils in the sample but 3 with EHCPs at the school');
    expect(sampleFitsSchool(5, 1, { total: 2, upTo25Hours: 0, over25Hours: 2 })).toBe('2 pupils on more than 25 hours in the sample but 1 at the school');
    expect(sampleFitsSchool(5, 4, { total: 2, upTo25Hours: 2, over25Hours: 0 })).toBe('2 pupils on up to 25 hours in the sample but 1 at the school');
    expect(sampleFitsSchool(5, 1, { total: 2, upTo25Hours: 1, over25Hours: 1 })).toBeUndefined();
  });
});
