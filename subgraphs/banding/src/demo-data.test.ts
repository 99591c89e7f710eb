import { DEMO_RETURNS } from './demo-data';
import { DEMO_MATRIX } from './matrix/demo-matrix';
import { pupilProblems } from './pupils/pupil-rules';

describe('demo banding returns', () => {
  const shape = { version: 1, areaKeys: DEMO_MATRIX.areas.map((a) => a.key), maxLevel: DEMO_MATRIX.levelPoints.length - 1 };

  it("hold pupils as saveBandingPupil would accept them: references in the council's format, evidence that identifies no child", () => {
    const pupils = DEMO_RETURNS.flatMap((r) => r.pupils);
    expect(pupils.length).toBeGreaterThan(10);
    for (const p of pupils) {
      const fields = { pupilRef: p.ref, yearGroup: p.year, weeklySupportHours: p.hours, primaryNeed: p.primary, levels: shape.areaKeys.map((area, i) => ({ area, level: p.levels[i] })), evidence: p.evidence };
      expect({ ref: p.ref, problems: pupilProblems(fields, shape, '', new Date('2026-12-03T08:00:00Z')) }).toEqual({ ref: p.ref, problems: [] });
    }
  });
});
