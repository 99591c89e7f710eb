/** Shared steps and data of the banding end-to-end tests and benchmark. */
import { contractOperation, type TestStack } from './stack';

export const START_RETURN = contractOperation('banding.graphql', 'StartBandingReturn');
export const SAVE_PUPIL = contractOperation('banding.graphql', 'SaveBandingPupil');
export const SUBMIT_RETURN = contractOperation('banding.graphql', 'SubmitBandingReturn');
export const QA_RETURN = contractOperation('banding.graphql', 'QualityAssureBandingReturn');
export const UPLOAD_PUPILS = `mutation UploadBandingPupils($returnId: ID!, $csv: String!) { uploadBandingPupils(returnId: $returnId, csv: $csv) { created updated bandingReturn { id progress { total upTo25Hours over25Hours meetsRequirement } } } }`;
export const PUBLISH_MATRIX = `mutation PublishBandingMatrix($input: PublishBandingMatrixInput!) { publishBandingMatrix(input: $input) { version levelPoints areas { key name levels { level descriptor } } bands { band label minScore primaryNeedLevel } rule } }`;

export const AREAS = ['COMMUNICATION_AND_INTERACTION', 'COGNITION_AND_LEARNING', 'SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH', 'SENSORY_AND_PHYSICAL'] as const;
export const [CI, CL, SEMH, SP] = AREAS;

/**
 * A matrix for tests, different from the demo one (four levels, four bands), so tests show the
 * rule runs on the published data: points [0, 2, 4, 7]; bands from 0, 4, 9, 15; level 2 in the
 * primary area gives at least band 2, level 3 at least band 3.
 */
export const TEST_MATRIX = {
  areas: AREAS.map((key, i) => ({
    key,
    name: ['Communication and interaction', 'Cognition and learning', 'Social, emotional and mental health', 'Sensory and/or physical'][i],
    levels: [0, 1, 2, 3].map((level) => ({ level, descriptor: `Test descriptor ${key} level ${level}` })),
  })),
  levelPoints: [0, 2, 4, 7],
  bands: [
    { band: 1, label: 'Band A', description: 'Lowest', minScore: 0 },
    { band: 2, label: 'Band B', description: 'Second', minScore: 4, primaryNeedLevel: 2 },
    { band: 3, label: 'Band C', description: 'Third', minScore: 9, primaryNeedLevel: 3 },
    { band: 4, label: 'Band D', description: 'Highest', minScore: 15 },
  ],
};

/** CSV header of the bulk upload for the test (and demo) matrix's areas. */
export const CSV_HEADER = ['pupil_ref', 'year_group', 'weekly_support_hours', 'primary_need', ...AREAS.map((a) => a.toLowerCase())].join(',');

export interface PupilRow {
  ref: string;
  year: number;
  hours: number;
  primary: string;
  levels: [number, number, number, number];
}

export const csvOf = (rows: PupilRow[]) => [CSV_HEADER, ...rows.map((r) => [r.ref, r.year, r.hours, r.primary, ...r.levels].join(','))].join('\r\n') + '\r\n';

export const pupilInput = (row: PupilRow, evidence?: string) => ({
  pupilRef: row.ref,
  yearGroup: row.year,
  weeklySupportHours: row.hours,
  primaryNeed: row.primary,
  levels: AREAS.map((area, i) => ({ area, level: row.levels[i] })),
  evidence,
});

export function sendcoToken(stack: TestStack, urn: string): Promise<string> {
  return stack.token('SENDCO', { schoolUrn: urn, email: `sendco@${urn}.example.org`, name: `SENDCO ${urn}`, sub: `sendco-${urn}` });
}
