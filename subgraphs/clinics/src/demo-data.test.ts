import { formDefinitionProblems } from '@sendco/forms';
import { checkClinicDetails, detailsOf } from './clinics/clinic-rules';
import { ClinicMode } from './clinics/clinic.enums';
import type { Clinic } from './clinics/clinic.entity';
import { demoClinics } from './demo-data';
import { FIRST_THEMES } from './migrations/1764300000000-CreateClinics';

describe('demo clinics', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  const clinics = demoClinics(now) as Clinic[];

  it('are valid clinics, as createClinic would accept them', () => {
    for (const clinic of clinics) expect(checkClinicDetails(detailsOf(clinic), now)).toEqual([]);
  });

  it('include a face-to-face and an online clinic, each with a booking form', () => {
    expect(new Set(clinics.map((c) => c.mode))).toEqual(new Set([ClinicMode.FACE_TO_FACE, ClinicMode.ONLINE]));
    for (const clinic of clinics) {
      expect(clinic.bookingQuestions.length).toBeGreaterThan(0);
      expect(formDefinitionProblems(clinic.bookingQuestions, 'bookingQuestions')).toEqual([]);
    }
  });

  it("use the briefing's themes, which the first migration puts in the managed list", () => {
    const themes = FIRST_THEMES.map(([name]) => name);
    for (const clinic of clinics) expect(themes).toContain(clinic.theme);
  });
});
