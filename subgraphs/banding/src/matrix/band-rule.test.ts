import fc from 'fast-check';
import { bandRuleProblems, describeBandRule, suggestBand, type BandRule, type Levels } from './band-rule';
import { DEMO_MATRIX } from './demo-matrix';

const demoRule: BandRule = DEMO_MATRIX;
const AREAS = DEMO_MATRIX.areas.map((a) => a.key);
const [CI, CL, SEMH, SP] = AREAS;
const MAX_LEVEL = demoRule.levelPoints.length - 1;

/** Every combination of levels over the areas (5^4 = 625 for the demo matrix). */
function allLevelCombinations(areas: readonly string[], maxLevel: number): Levels[] {
  return areas.reduce<Levels[]>(
    (combos, area) => combos.flatMap((combo) => Array.from({ length: maxLevel + 1 }, (_, level) => ({ ...combo, [area]: level }))),
    [{}],
  );
}

describe('suggestBand with the demo matrix', () => {
  it.each([
    // levels CI, CL, SEMH, SP; primary need; expected score and band
    [[0, 0, 0, 0], CI, 0, 1],
    [[1, 1, 1, 1], CI, 4, 1],
    [[2, 1, 1, 0], CL, 5, 2], // score reaches band 2
    [[0, 0, 2, 0], SEMH, 3, 2], // score says band 1; primary need level 2 lifts it to band 2
    [[0, 0, 2, 0], CI, 3, 1], // the same levels with another primary need: no floor
    [[3, 2, 1, 0], CI, 10, 3],
    [[0, 0, 0, 4], SP, 10, 4], // floor: level 4 in the primary area gives at least band 4
    [[3, 3, 3, 0], CL, 18, 4],
    [[4, 4, 2, 1], CL, 24, 5],
    [[4, 4, 4, 4], SEMH, 40, 5],
  ])('levels %j with primary need %s: score %i, band %i', (values, primaryNeed, score, band) => {
    const levels = Object.fromEntries(AREAS.map((area, i) => [area, values[i]]));
    expect(suggestBand(demoRule, levels, primaryNeed)).toEqual({ band, score });
  });

  it('is monotonic over every combination of levels: raising any one level never lowers the band', () => {
    let comparisons = 0;
    for (const levels of allLevelCombinations(AREAS, MAX_LEVEL)) {
      for (const primaryNeed of AREAS) {
        const before = suggestBand(demoRule, levels, primaryNeed).band;
        expect(before).toBeGreaterThanOrEqual(1);
        for (const area of AREAS) {
          if (levels[area] === MAX_LEVEL) continue;
          const after = suggestBand(demoRule, { ...levels, [area]: levels[area] + 1 }, primaryNeed).band;
          if (after < before) throw new Error(`raising ${area} from ${JSON.stringify(levels)} (primary ${primaryNeed}) lowered the band from ${before} to ${after}`);
          comparisons += 1;
        }
      }
    }
    expect(comparisons).toBe(625 * 4 * 4 - 4 * (4 * 125)); // every (combination, primary need, area) with room to rise
  });

  it('is deterministic: the same levels always give the same band', () => {
    const levels = { [CI]: 2, [CL]: 3, [SEMH]: 1, [SP]: 0 };
    expect(new Set(Array.from({ length: 20 }, () => suggestBand(demoRule, levels, CL).band)).size).toBe(1);
  });
});

describe('any rule that passes bandRuleProblems', () => {
  // A valid rule: non-decreasing points, band 1 from 0, strictly rising minimum scores, floors within the levels.
  const validRule = fc
    .tuple(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 0, maxLength: 5 }))
    .chain(([steps, gaps]) => {
      const levelPoints = steps.reduce<number[]>((acc, step, i) => [...acc, i === 0 ? step : acc[i - 1] + step], []);
      const maxLevel = levelPoints.length - 1;
      return fc.tuple(fc.constant(levelPoints), fc.array(fc.option(fc.integer({ min: 1, max: maxLevel }), { nil: null }), { minLength: gaps.length + 1, maxLength: gaps.length + 1 })).map(
        ([points, floors]): BandRule => ({
          levelPoints: points,
          bands: floors.map((primaryNeedLevel, i) => ({ band: i + 1, minScore: gaps.slice(0, i).reduce((a, b) => a + b, 0), primaryNeedLevel })),
        }),
      );
    });

  it('is valid by its own check, gives every pupil a band, and is monotonic for every combination of three areas', () => {
    const areas = ['A', 'B', 'C'];
    fc.assert(
      fc.property(validRule, (rule) => {
        if (bandRuleProblems(rule).length) return false;
        const maxLevel = rule.levelPoints.length - 1;
        for (const levels of allLevelCombinations(areas, maxLevel)) {
          const before = suggestBand(rule, levels, 'B').band;
          if (before < 1 || before > rule.bands.length) return false;
          for (const area of areas) {
            if (levels[area] < maxLevel && suggestBand(rule, { ...levels, [area]: levels[area] + 1 }, 'B').band < before) return false;
          }
        }
        return true;
      }),
      { seed: 20270401, numRuns: 200 },
    );
  });
});

describe('bandRuleProblems', () => {
  it('accepts the demo matrix', () => {
    expect(bandRuleProblems(demoRule)).toEqual([]);
  });

  it('refuses points that fall as the level rises (the rule would not be monotonic)', () => {
    expect(bandRuleProblems({ levelPoints: [0, 2, 1], bands: [{ band: 1, minScore: 0, primaryNeedLevel: null }] })).toEqual([expect.objectContaining({ field: 'levelPoints.2' })]);
  });

  it('refuses a lowest band that some pupils could not reach, and thresholds out of order', () => {
    const bands = [
      { band: 1, minScore: 2, primaryNeedLevel: null },
      { band: 2, minScore: 2, primaryNeedLevel: 9 },
      { band: 4, minScore: 5, primaryNeedLevel: null },
    ];
    expect(bandRuleProblems({ levelPoints: [0, 1], bands }).map((p) => p.field)).toEqual(['bands.0.minScore', 'bands.1.minScore', 'bands.1.primaryNeedLevel', 'bands.2.band']);
  });

  it('refuses negative or fractional points and a rule without bands', () => {
    expect(bandRuleProblems({ levelPoints: [0, -1, 1.5], bands: [] }).map((p) => p.field)).toEqual(['levelPoints.1', 'levelPoints.2', 'bands']);
  });
});

describe('describeBandRule', () => {
  it("writes this version's numbers into the rule", () => {
    const text = describeBandRule(demoRule);
    expect(text).toContain('level 0 = 0, level 1 = 1, level 2 = 3, level 3 = 6, level 4 = 10');
    expect(text).toContain('band 5 from 24');
    expect(text).toContain('level 4 or above in the primary area of need gives at least band 4');
  });
});
