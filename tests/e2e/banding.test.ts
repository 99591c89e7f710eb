/**
 * EHCP banding returns end to end, through the gateway, with real Postgres, the queue and an SMTP
 * listener: the demo data, a new matrix version published by an admin, a return from DRAFT to
 * APPROVED by way of RETURNED (with the QA inbox and the SENDCO emailed), bad input refused with
 * the contract's codes and nothing half-written, role boundaries, the council's summary, waiting
 * list, export and audit log, and School.bandingReturn (also through `_entities` directly).
 */
import { codes, contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import {
  CI, CL, csvOf, CSV_HEADER, PUBLISH_MATRIX, pupilInput, QA_RETURN, SAVE_PUPIL, SEMH, sendcoToken, SP, START_RETURN, SUBMIT_RETURN, TEST_MATRIX, UPLOAD_PUPILS, type PupilRow,
} from '../support/banding';

const BANDING_MATRIX = contractOperation('banding.graphql', 'BandingMatrix');
const BANDING_SUMMARY = contractOperation('banding.graphql', 'BandingSummary');
const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const RETURN = `query BandingReturn($id: ID!) { bandingReturn(id: $id) { id schoolUrn schoolPhase status ehcpCount over25HoursCount comments matrix { version }
  requirement { sampleSize minUpTo25Hours minOver25Hours } progress { total upTo25Hours over25Hours meetsRequirement missingPupils }
  pupils { id pupilRef yearGroup weeklySupportHours primaryNeed band verdict agreedBand reason levels { area level } } } }`;
// The contract's School operation without clinics' field (another subgraph's work).
const SCHOOL = `query School($urn: ID!) { school(urn: $urn) { urn name phase bandingReturn { id status requirement { sampleSize minUpTo25Hours minOver25Hours } matrix { version } } } }`;
const REMOVE_PUPIL = `mutation RemoveBandingPupil($returnId: ID!, $pupilRef: String!) { removeBandingPupil(returnId: $returnId, pupilRef: $pupilRef) { id progress { total } } }`;
const SUMMARY_FULL = `query Summary($version: Int) { bandingSummary(version: $version) { matrixVersion schoolsStarted schoolsSubmitted schoolsAwaitingQa schoolsApproved pupils approvedPupils agreementRate
  bandDistribution { band label count suggested } byPhase { phase schoolsStarted schoolsSubmitted schoolsApproved pupils agreementRate bandDistribution { band count suggested } } } }`;
const AWAITING = `query Awaiting($first: Int, $after: String) { bandingReturnsAwaitingQa(first: $first, after: $after) { totalCount edges { cursor node { id schoolUrn submittedAt } } pageInfo { hasNextPage endCursor } } }`;
const EXPORT = `query Export($version: Int) { bandingExportCsv(version: $version) }`;
const AUDIT_LOG = `query Audit($id: ID!, $first: Int, $after: String) { bandingAuditLog(returnId: $id, first: $first, after: $after) { totalCount edges { node { action actor details } } pageInfo { hasNextPage endCursor } } }`;

const QA_INBOX = 'banding-qa@council.test';

let stack: TestStack;
let admin: string;
let council: string;

beforeAll(async () => {
  stack = await startTestStack('banding', { env: { DEMO_DATA: 'true', BANDING_QA_EMAIL: QA_INBOX } });
  admin = await stack.token('ADMIN');
  council = await stack.token('COUNCIL_OFFICER', { sub: 'officer-1', email: 'officer@council.test' });
  const schools = [
    { urn: '910001', name: 'Test Primary', phase: 'PRIMARY', ehcpCount: 37 },
    { urn: '910002', name: 'Test Secondary One', phase: 'SECONDARY', ehcpCount: 4 },
    { urn: '910003', name: 'Test Secondary Two', phase: 'SECONDARY', ehcpCount: 4 },
    { urn: '910004', name: 'Test Secondary Three', phase: 'SECONDARY', ehcpCount: 4 },
  ];
  expect((await stack.gql(UPSERT_SCHOOLS, { schools }, admin)).errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

function ok<T = any>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

const fieldsOf = (response: GraphQLResponse) => (response.errors?.[0]?.extensions?.fields ?? []).map((f) => f.field);
const mailTo = (address: string) => stack.mailbox.to(address);

async function readReturn(id: string, token: string = council) {
  return ok(await stack.gql(RETURN, { id }, token)).bandingReturn;
}

describe('demo data on first start', () => {
  it('has the demo matrix as version 1: four areas of need with five levels each, and five bands', async () => {
    const { bandingMatrix } = ok(await stack.gql(BANDING_MATRIX, {}));
    expect(bandingMatrix.version).toBe(1);
    expect(bandingMatrix.areas.map((a: any) => a.name)).toEqual(['Communication and interaction', 'Cognition and learning', 'Social, emotional and mental health', 'Sensory and/or physical']);
    for (const area of bandingMatrix.areas) expect(area.levels.map((l: any) => l.level)).toEqual([0, 1, 2, 3, 4]);
    expect(bandingMatrix.bands.map((b: any) => b.band)).toEqual([1, 2, 3, 4, 5]);
  });

  it("has one demo school's return in each state", async () => {
    const summary = ok(await stack.gql(SUMMARY_FULL, { version: 1 }, council)).bandingSummary;
    expect(summary).toMatchObject({ matrixVersion: 1, schoolsStarted: 4, schoolsSubmitted: 3, schoolsAwaitingQa: 1, schoolsApproved: 1, pupils: 16, approvedPupils: 4, agreementRate: 0.75 });
    const statuses = await Promise.all(
      ['900001', '900002', '900003', '900005'].map(async (urn) => ok(await stack.gql(SCHOOL, { urn }, await sendcoToken(stack, urn))).school.bandingReturn.status),
    );
    expect(statuses).toEqual(['DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED']);
  });
});

describe('publishing a matrix version', () => {
  it('is for admins only', async () => {
    expect(codes(await stack.gql(PUBLISH_MATRIX, { input: TEST_MATRIX }, council))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(PUBLISH_MATRIX, { input: TEST_MATRIX }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a rule that would not be monotonic, or a level without a descriptor, and publishes nothing', async () => {
    const falling = await stack.gql(PUBLISH_MATRIX, { input: { ...TEST_MATRIX, levelPoints: [0, 4, 2, 7] } }, admin);
    expect(codes(falling)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(falling)).toEqual(['levelPoints.2']);
    const gap = { ...TEST_MATRIX, areas: TEST_MATRIX.areas.map((a, i) => (i === 1 ? { ...a, levels: a.levels.slice(0, 3) } : a)) };
    expect(fieldsOf(await stack.gql(PUBLISH_MATRIX, { input: gap }, admin))).toEqual(['areas.1.levels']);
    expect(ok(await stack.gql(BANDING_MATRIX, {})).bandingMatrix.version).toBe(1);
  });

  it('publishes the next version, with the rule written out; returns already started keep theirs', async () => {
    const published = ok(await stack.gql(PUBLISH_MATRIX, { input: TEST_MATRIX }, admin)).publishBandingMatrix;
    expect(published).toMatchObject({ version: 2, levelPoints: [0, 2, 4, 7] });
    expect(published.rule).toContain('level 0 = 0, level 1 = 2, level 2 = 4, level 3 = 7');
    expect(ok(await stack.gql(BANDING_MATRIX, {})).bandingMatrix.version).toBe(2);
    const demoDraft = ok(await stack.gql(SCHOOL, { urn: '900001' }, await sendcoToken(stack, '900001'))).school.bandingReturn;
    expect(demoDraft.matrix.version).toBe(1);
  });
});

describe('a return from DRAFT to APPROVED', () => {
  const URN = '910001';
  let sendco: string;
  let returnId: string;
  const pupilA: PupilRow = { ref: 'tp-001', year: 7, hours: 12, primary: SEMH, levels: [1, 1, 2, 0] }; // score 8 → band 2
  const pupilsOk: PupilRow[] = [
    { ref: 'TP-002', year: 8, hours: 20, primary: CI, levels: [3, 3, 3, 0] }, // 21 → band 4
    { ref: 'TP-003', year: 9, hours: 26, primary: SEMH, levels: [0, 0, 3, 0] }, // 7 → band 2 by score, floor 3
    { ref: 'TP-004', year: 10, hours: 30.5, primary: SP, levels: [0, 1, 0, 2] }, // 6 → band 2
  ];

  beforeAll(async () => {
    sendco = await sendcoToken(stack, URN);
  });

  it("starts for the school's SENDCO with the sample requirement, and starting again updates the counts", async () => {
    const started = ok(await stack.gql(START_RETURN, { urn: URN, ehcpCount: 37, over25HoursCount: 6 }, sendco)).startBandingReturn;
    expect(started).toMatchObject({ status: 'DRAFT', requirement: { sampleSize: 4, minUpTo25Hours: 2, minOver25Hours: 2 } });
    returnId = started.id;
    const again = ok(await stack.gql(START_RETURN, { urn: URN, ehcpCount: 55, over25HoursCount: 3 }, sendco)).startBandingReturn;
    expect(again).toEqual({ id: returnId, status: 'DRAFT', requirement: { sampleSize: 6, minUpTo25Hours: 3, minOver25Hours: 3 } });
    const back = ok(await stack.gql(START_RETURN, { urn: URN, ehcpCount: 37, over25HoursCount: 6 }, sendco)).startBandingReturn;
    expect(back.id).toBe(returnId);
    expect(await readReturn(returnId)).toMatchObject({ schoolPhase: 'PRIMARY', ehcpCount: 37, over25HoursCount: 6, matrix: { version: 2 } });
  });

  it('refuses other people, bad counts and unknown schools', async () => {
    const vars = { urn: URN, ehcpCount: 37, over25HoursCount: 6 };
    expect(codes(await stack.gql(START_RETURN, vars, await sendcoToken(stack, '910002')))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(START_RETURN, vars, await stack.token('SCHOOL_STAFF', { schoolUrn: URN })))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(START_RETURN, vars, council))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(START_RETURN, vars))).toEqual(['UNAUTHENTICATED']);
    const bad = await stack.gql(START_RETURN, { urn: URN, ehcpCount: 3, over25HoursCount: 4 }, sendco);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(bad)).toEqual(['over25HoursCount']);
    expect(codes(await stack.gql(START_RETURN, { urn: '919999', ehcpCount: 5, over25HoursCount: 1 }, await sendcoToken(stack, '919999')))).toEqual(['NOT_FOUND']);
    // 900004 is the demo special school: banding is for mainstream schools.
    const special = await stack.gql(START_RETURN, { urn: '900004', ehcpCount: 112, over25HoursCount: 40 }, await sendcoToken(stack, '900004'));
    expect(codes(special)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(special)).toEqual(['urn']);
  });

  it('saves a pupil by reference and computes the band on the server', async () => {
    const saved = ok(await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput(pupilA, 'Annual review 2025') }, sendco)).saveBandingPupil;
    expect(saved).toMatchObject({ pupilRef: 'TP-001', band: 2 });
    // Upsert: the same reference again changes the pupil, not adds one.
    const changed = ok(await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput({ ...pupilA, levels: [1, 1, 3, 0] }) }, sendco)).saveBandingPupil;
    expect(changed).toMatchObject({ id: saved.id, band: 3 }); // score 11 → band 3
    const ret = await readReturn(returnId, sendco);
    expect(ret.pupils).toHaveLength(1);
    expect(ret.pupils[0].levels).toEqual([
      { area: CL, level: 1 },
      { area: CI, level: 1 },
      { area: SP, level: 0 },
      { area: SEMH, level: 3 },
    ].sort((a, b) => a.area.localeCompare(b.area)));
  });

  it.each([
    ['a name for a reference', { pupilRef: 'Amelia Smith' }, ['input.pupilRef']],
    ['a year group out of range', { yearGroup: 14 }, ['input.yearGroup']],
    ['negative hours', { weeklySupportHours: -1 }, ['input.weeklySupportHours']],
    ['an unknown primary need', { primaryNeed: 'DYSLEXIA' }, ['input.primaryNeed']],
    ['an unknown area', { levels: [...pupilInput(pupilA).levels.slice(0, 3), { area: 'HEARING', level: 1 }] }, ['input.levels.3.area', 'input.levels']],
    ['a level out of range', { levels: pupilInput({ ...pupilA, levels: [1, 1, 4, 0] }).levels }, ['input.levels.2.level']],
    ['an area without a level', { levels: pupilInput(pupilA).levels.slice(0, 3) }, ['input.levels']],
  ])('refuses %s with BAD_USER_INPUT and saves nothing', async (_label, change, fields) => {
    const response = await stack.gql(SAVE_PUPIL, { returnId, input: { ...pupilInput({ ...pupilA, ref: 'TP-099' }), ...change } }, sendco);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(response)).toEqual(fields);
    expect((await readReturn(returnId, sendco)).pupils.map((p: any) => p.pupilRef)).toEqual(['TP-001']);
  });

  it('explains a refused name', async () => {
    const response = await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput({ ...pupilA, ref: 'Smith' }) }, sendco);
    expect(response.errors![0].message).toMatch(/looks like a name: use the school's own pupil reference/);
  });

  it.each([
    ['an initial and surname', { pupilRef: 'JSMITH07' }, 'input.pupilRef', /^looks like a name/],
    ['a date of birth', { pupilRef: '12/03/2015' }, 'input.pupilRef', /^looks like a date: a date of birth identifies a child/],
    ['a UPN', { pupilRef: 'A123456789012' }, 'input.pupilRef', /^looks like a UPN/],
    ['evidence naming the pupil', { evidence: 'Amelia Jones has 1:1 support at lunch.' }, 'input.evidence', /^must not name anyone/],
    ['evidence with a date of birth', { evidence: 'EP report. Born 04/11/2014.' }, 'input.evidence', /^must not give a date of birth/],
  ])("refuses %s (the one rule for children's data), saying why, and saves nothing", async (_label, change, field, reason) => {
    const response = await stack.gql(SAVE_PUPIL, { returnId, input: { ...pupilInput({ ...pupilA, ref: 'TP-099' }), ...change } }, sendco);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.fields).toEqual([{ field, message: expect.stringMatching(reason) }]);
    expect((await readReturn(returnId, sendco)).pupils.map((p: any) => p.pupilRef)).toEqual(['TP-001']);
  });

  it('accepts evidence with the titles staff write and a recent report date', async () => {
    const evidence = 'Speech and Language Therapy report; the Educational Psychologist saw the pupil in Key Stage 3.';
    const saved = await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput({ ...pupilA, levels: [1, 1, 3, 0] }, evidence) }, sendco);
    expect(saved.errors).toBeUndefined();
    expect(saved.data.saveBandingPupil).toMatchObject({ pupilRef: 'TP-001', band: 3 });
  });

  it('refuses to submit an incomplete sample with SAMPLE_INCOMPLETE saying what is missing', async () => {
    const response = await stack.gql(SUBMIT_RETURN, { id: returnId }, sendco);
    expect(codes(response)).toEqual(['SAMPLE_INCOMPLETE']);
    expect(response.errors![0].extensions).toMatchObject({
      requirement: { sampleSize: 4, minUpTo25Hours: 2, minOver25Hours: 2 },
      progress: { total: 1, upTo25Hours: 1, over25Hours: 0 },
      missing: { pupils: 3, upTo25Hours: 1, over25Hours: 2 },
    });
    expect((await readReturn(returnId)).status).toBe('DRAFT');
  });

  it('reports every bad row of an upload with its line number and saves none of them', async () => {
    const csv = [
      CSV_HEADER,
      'TP-002,8,20,COMMUNICATION_AND_INTERACTION,3,3,3,0',
      'Oliver Brown,9,26,SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH,0,0,3,0',
      'TP-004,16,-3,SENSORY_AND_PHYSICAL,0,1,0,2',
      'TP-002,10,30,SENSORY_AND_PHYSICAL,0,1,0,9',
    ].join('\n');
    const response = await stack.gql(UPLOAD_PUPILS, { returnId, csv }, sendco);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(response)).toEqual(['csv.3.pupil_ref', 'csv.4.year_group', 'csv.4.weekly_support_hours', 'csv.5.pupil_ref', 'csv.5.sensory_and_physical']);
    expect(response.errors![0].message).toMatch(/^Nothing was saved: 3 line\(s\) of the file have problems/);
    expect(response.errors![0].message).toContain('line 5, pupil_ref: is the same pupil as line 2');
    expect((await readReturn(returnId, sendco)).pupils).toHaveLength(1);
  });

  it('refuses an upload that would give the return more pupils of a kind than the school has, saving none', async () => {
    const tooManyOver25 = Array.from({ length: 7 }, (_, i) => ({ ref: `TQ-${i}`, year: 9, hours: 30, primary: CI, levels: [1, 0, 0, 0] as PupilRow['levels'] }));
    const response = await stack.gql(UPLOAD_PUPILS, { returnId, csv: csvOf(tooManyOver25) }, sendco);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].message).toMatch(/there would be 7 pupils on more than 25 hours in the sample but 6 at the school/);
    expect((await readReturn(returnId, sendco)).pupils).toHaveLength(1);
  });

  it('uploads good rows all at once, upserting by reference', async () => {
    const result = ok(await stack.gql(UPLOAD_PUPILS, { returnId, csv: csvOf([...pupilsOk, { ref: 'TP-005', year: 11, hours: 5, primary: CL, levels: [0, 1, 0, 0] }]) }, sendco)).uploadBandingPupils;
    expect(result).toMatchObject({ created: 4, updated: 0, bandingReturn: { progress: { total: 5, upTo25Hours: 3, over25Hours: 2, meetsRequirement: true } } });
    const bands = Object.fromEntries((await readReturn(returnId, sendco)).pupils.map((p: any) => [p.pupilRef, p.band]));
    expect(bands).toEqual({ 'TP-001': 3, 'TP-002': 4, 'TP-003': 3, 'TP-004': 2, 'TP-005': 1 });
  });

  it('removes a pupil while DRAFT, and says NOT_FOUND for one that is not there', async () => {
    expect(ok(await stack.gql(REMOVE_PUPIL, { returnId, pupilRef: 'tp-005' }, sendco)).removeBandingPupil.progress.total).toBe(4);
    expect(codes(await stack.gql(REMOVE_PUPIL, { returnId, pupilRef: 'TP-005' }, sendco))).toEqual(['NOT_FOUND']);
  });

  it("submits once the sample meets the rule, and the council's QA inbox is emailed", async () => {
    const submitted = ok(await stack.gql(SUBMIT_RETURN, { id: returnId }, sendco)).submitBandingReturn;
    expect(submitted).toEqual({ id: returnId, status: 'SUBMITTED', progress: { total: 4, upTo25Hours: 2, over25Hours: 2, meetsRequirement: true } });
    const [email] = await stack.mailbox.waitForCount(QA_INBOX, 1);
    expect(email.subject).toBe('Banding return submitted for QA: school 910001 (matrix version 2)');
    expect(email.text).toContain('Pupils in the sample: 4 (2 on up to 25 hours, 2 on more than 25 hours)');
    expect(email.html).toContain('910001');
  });

  it('refuses every change to a SUBMITTED return with CONFLICT, and changes nothing', async () => {
    const before = await readReturn(returnId);
    expect(codes(await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput({ ...pupilA, ref: 'TP-050' }) }, sendco))).toEqual(['CONFLICT']);
    expect(codes(await stack.gql(UPLOAD_PUPILS, { returnId, csv: csvOf([{ ...pupilA, ref: 'TP-051' }]) }, sendco))).toEqual(['CONFLICT']);
    expect(codes(await stack.gql(REMOVE_PUPIL, { returnId, pupilRef: 'TP-001' }, sendco))).toEqual(['CONFLICT']);
    expect(codes(await stack.gql(START_RETURN, { urn: URN, ehcpCount: 40, over25HoursCount: 6 }, sendco))).toEqual(['CONFLICT']);
    expect(codes(await stack.gql(SUBMIT_RETURN, { id: returnId }, sendco))).toEqual(['CONFLICT']);
    // Starting again with the same counts just returns it.
    expect(ok(await stack.gql(START_RETURN, { urn: URN, ehcpCount: 37, over25HoursCount: 6 }, sendco)).startBandingReturn.status).toBe('SUBMITTED');
    expect(await readReturn(returnId)).toEqual(before);
  });

  it('is quality-assured by council officers only', async () => {
    const input = { outcome: 'RETURNED', comments: 'x', pupils: [] };
    expect(codes(await stack.gql(QA_RETURN, { id: returnId, input }, sendco))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(QA_RETURN, { id: returnId, input }, await stack.token('TRAINING_ADMIN')))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(QA_RETURN, { id: returnId, input }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a bad decision and records none of it', async () => {
    const { pupils } = await readReturn(returnId);
    const noComments = await stack.gql(QA_RETURN, { id: returnId, input: { outcome: 'RETURNED', pupils: [{ pupilId: pupils[0].id, verdict: 'AGREED' }] } }, council);
    expect(fieldsOf(noComments)).toEqual(['input.comments']);
    const badAdjust = await stack.gql(QA_RETURN, { id: returnId, input: { outcome: 'APPROVED', pupils: pupils.map((p: any) => ({ pupilId: p.id, verdict: 'ADJUSTED', band: 9, reason: 'r' })) } }, council);
    expect(fieldsOf(badAdjust)).toEqual([...pupils.map((_: unknown, i: number) => `input.pupils.${i}.band`), 'input.pupils']);
    const after = await readReturn(returnId);
    expect(after.status).toBe('SUBMITTED');
    expect(after.pupils.every((p: any) => p.verdict === null)).toBe(true);
  });

  it('returns it to the school with comments; the SENDCO is emailed them', async () => {
    const { pupils } = await readReturn(returnId);
    const byRef = Object.fromEntries(pupils.map((p: any) => [p.pupilRef, p.id]));
    const input = {
      outcome: 'RETURNED',
      comments: 'TP-003: please check the evidence for level 3 in SEMH.',
      pupils: [
        { pupilId: byRef['TP-001'], verdict: 'AGREED' },
        { pupilId: byRef['TP-002'], verdict: 'ADJUSTED', band: 3, reason: 'Support is shared with another pupil for most lessons.' },
      ],
    };
    expect(ok(await stack.gql(QA_RETURN, { id: returnId, input }, council)).qualityAssureBandingReturn).toEqual({ id: returnId, status: 'RETURNED' });
    const [email] = await stack.mailbox.waitForCount('sendco@910001.example.org', 1);
    expect(email.subject).toBe('Your banding return needs changes (school 910001, matrix version 2)');
    for (const body of [email.text, email.html]) {
      expect(body).toContain('TP-003: please check the evidence for level 3 in SEMH.');
      expect(body).toContain('Support is shared with another pupil for most lessons.');
    }
    const ret = await readReturn(returnId, sendco);
    expect(ret).toMatchObject({ status: 'RETURNED', comments: input.comments });
    expect(ret.pupils.find((p: any) => p.pupilRef === 'TP-002')).toMatchObject({ band: 4, verdict: 'ADJUSTED', agreedBand: 3 });
  });

  it('lets the school change a pupil and resubmit; the QA inbox hears it is back', async () => {
    const changed = ok(await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput({ ...pupilsOk[1], levels: [0, 0, 2, 0] }) }, sendco)).saveBandingPupil;
    expect(changed.band).toBe(2); // score 4 → band 2; floor for level 2 → band 2
    expect((await readReturn(returnId)).pupils.find((p: any) => p.pupilRef === 'TP-003').verdict).toBeNull();
    // Removing (and adding back) is allowed while RETURNED too.
    expect(ok(await stack.gql(REMOVE_PUPIL, { returnId, pupilRef: 'TP-004' }, sendco)).removeBandingPupil.progress.total).toBe(3);
    ok(await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput(pupilsOk[2]) }, sendco));
    expect(ok(await stack.gql(SUBMIT_RETURN, { id: returnId }, sendco)).submitBandingReturn.status).toBe('SUBMITTED');
    const emails = await stack.mailbox.waitForCount(QA_INBOX, 2);
    expect(emails.map((e) => e.subject)).toContain('Banding return resubmitted for QA: school 910001 (matrix version 2)');
  });

  it('approves it once every pupil has a verdict; the SENDCO is emailed; it is then read-only', async () => {
    const { pupils } = await readReturn(returnId);
    const byRef = Object.fromEntries(pupils.map((p: any) => [p.pupilRef, p.id]));
    const missing = await stack.gql(QA_RETURN, { id: returnId, input: { outcome: 'APPROVED', pupils: [{ pupilId: byRef['TP-003'], verdict: 'AGREED' }] } }, council);
    expect(fieldsOf(missing)).toEqual(['input.pupils']);
    expect(missing.errors![0].message).toContain('missing TP-004');

    const input = {
      outcome: 'APPROVED',
      pupils: [
        { pupilId: byRef['TP-003'], verdict: 'AGREED' },
        { pupilId: byRef['TP-004'], verdict: 'ADJUSTED', band: 3, reason: 'Hearing loss, formula "=1+1" in notes' },
      ],
    };
    expect(ok(await stack.gql(QA_RETURN, { id: returnId, input }, council)).qualityAssureBandingReturn.status).toBe('APPROVED');
    const emails = await stack.mailbox.waitForCount('sendco@910001.example.org', 2);
    expect(emails.map((e) => e.subject)).toContain('Your banding return is approved (school 910001, matrix version 2)');

    expect(codes(await stack.gql(SAVE_PUPIL, { returnId, input: pupilInput({ ...pupilA, ref: 'TP-060' }) }, sendco))).toEqual(['CONFLICT']);
    expect(codes(await stack.gql(REMOVE_PUPIL, { returnId, pupilRef: 'TP-001' }, sendco))).toEqual(['CONFLICT']);
    expect(codes(await stack.gql(SUBMIT_RETURN, { id: returnId }, sendco))).toEqual(['CONFLICT']);
    expect(codes(await stack.gql(QA_RETURN, { id: returnId, input }, council))).toEqual(['CONFLICT']);
  });

  it('exports the approved rows, without names, exactly', async () => {
    const csv = ok(await stack.gql(EXPORT, { version: 2 }, council)).bandingExportCsv;
    expect(csv).toBe(
      [
        'urn,pupil_ref,year_group,weekly_support_hours,primary_need,communication_and_interaction,cognition_and_learning,social_emotional_and_mental_health,sensory_and_physical,suggested_band,agreed_band,verdict,reason',
        '910001,TP-001,7,12.0,SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH,1,1,3,0,3,3,AGREED,',
        '910001,TP-002,8,20.0,COMMUNICATION_AND_INTERACTION,3,3,3,0,4,3,ADJUSTED,Support is shared with another pupil for most lessons.',
        '910001,TP-003,9,26.0,SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH,0,0,2,0,2,2,AGREED,',
        '910001,TP-004,10,30.5,SENSORY_AND_PHYSICAL,0,1,0,2,2,3,ADJUSTED,"Hearing loss, formula ""=1+1"" in notes"',
        '',
      ].join('\r\n'),
    );
    expect(csv).not.toMatch(/sendco|Oliver|Amelia/i);
  });

  it('accepts the school-side columns of the export as an upload', async () => {
    const exported: string = ok(await stack.gql(EXPORT, { version: 2 }, council)).bandingExportCsv;
    const schoolSide = exported
      .trim()
      .split('\r\n')
      .map((line) => line.split(',').slice(1, 9).join(','))
      .join('\n');
    const other = await sendcoToken(stack, '910004');
    const started = ok(await stack.gql(START_RETURN, { urn: '910004', ehcpCount: 4, over25HoursCount: 2 }, other)).startBandingReturn;
    const uploaded = ok(await stack.gql(UPLOAD_PUPILS, { returnId: started.id, csv: schoolSide }, other)).uploadBandingPupils;
    expect(uploaded).toMatchObject({ created: 4, bandingReturn: { progress: { meetsRequirement: true } } });
  });
});

describe('the council view', () => {
  let second: string;
  let third: string;

  beforeAll(async () => {
    // Two more returns, submitted third school first: the waiting list is oldest first.
    for (const urn of ['910003', '910002']) {
      const sendco = await sendcoToken(stack, urn);
      const { id } = ok(await stack.gql(START_RETURN, { urn, ehcpCount: 4, over25HoursCount: 2 }, sendco)).startBandingReturn;
      const rows: PupilRow[] = [0, 1, 2, 3].map((i) => ({ ref: `S${urn}-${i}`, year: 7 + i, hours: i < 2 ? 10 : 30, primary: SEMH, levels: [0, i, 1, 0] }));
      ok(await stack.gql(UPLOAD_PUPILS, { returnId: id, csv: csvOf(rows) }, sendco));
      ok(await stack.gql(SUBMIT_RETURN, { id }, sendco));
      if (urn === '910003') third = id;
      else second = id;
    }
  });

  it('lists the returns waiting for QA, the longest-waiting first, a page at a time', async () => {
    const first = ok(await stack.gql(AWAITING, { first: 2 }, council)).bandingReturnsAwaitingQa;
    const demoSubmitted = first.edges[0].node;
    expect(demoSubmitted.schoolUrn).toBe('900002'); // the demo return, submitted days ago
    expect(first.totalCount).toBe(3);
    expect(first.edges[1].node.id).toBe(third);
    const next = ok(await stack.gql(AWAITING, { first: 2, after: first.pageInfo.endCursor }, council)).bandingReturnsAwaitingQa;
    expect(next.edges.map((e: any) => e.node.id)).toEqual([second]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    expect(codes(await stack.gql(AWAITING, {}, await sendcoToken(stack, '910002')))).toEqual(['FORBIDDEN']);
  });

  it('summarises the county and each phase for the version, with suggested and agreed distributions', async () => {
    const summary = ok(await stack.gql(SUMMARY_FULL, {}, council)).bandingSummary;
    expect(summary).toMatchObject({ matrixVersion: 2, schoolsStarted: 4, schoolsSubmitted: 3, schoolsAwaitingQa: 2, schoolsApproved: 1, pupils: 16, approvedPupils: 4, agreementRate: 0.5 });
    expect(summary.bandDistribution).toEqual([
      { band: 1, label: 'Band A', count: 0, suggested: 2 },
      { band: 2, label: 'Band B', count: 1, suggested: 8 },
      { band: 3, label: 'Band C', count: 3, suggested: 4 },
      { band: 4, label: 'Band D', count: 0, suggested: 2 },
    ]);
    expect(summary.byPhase.map((p: any) => [p.phase, p.schoolsStarted, p.schoolsSubmitted, p.schoolsApproved, p.pupils, p.agreementRate])).toEqual([
      ['PRIMARY', 1, 1, 1, 4, 0.5],
      ['SECONDARY', 3, 2, 0, 12, null],
    ]);
    // The contract's own operation.
    const contract = ok(await stack.gql(BANDING_SUMMARY, {}, council)).bandingSummary;
    expect(contract).toEqual({ schoolsStarted: 4, schoolsSubmitted: 3, schoolsApproved: 1, pupils: 16, bandDistribution: summary.bandDistribution.map((b: any) => ({ band: b.band, count: b.count })) });
  });

  it('decides a return once when two officers decide it at the same moment', async () => {
    const { pupils } = await readReturn(third);
    const verdicts = pupils.map((p: any) => ({ pupilId: p.id, verdict: 'AGREED' }));
    const other = await stack.token('COUNCIL_OFFICER', { sub: 'officer-2', email: 'officer2@council.test' });
    const [approve, sendBack] = await Promise.all([
      stack.gql(QA_RETURN, { id: third, input: { outcome: 'APPROVED', pupils: verdicts } }, council),
      stack.gql(QA_RETURN, { id: third, input: { outcome: 'RETURNED', comments: 'Second look.', pupils: [] } }, other),
    ]);
    const outcomes = [approve, sendBack].map((r) => (r.errors ? r.errors[0].extensions?.code : r.data.qualityAssureBandingReturn.status));
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(1);
    const winner = outcomes.find((o) => o !== 'CONFLICT');
    expect((await readReturn(third)).status).toBe(winner);
    // One decision recorded (the loser's transaction, emails included, rolled back), and its email sent.
    const log = ok(await stack.gql(AUDIT_LOG, { id: third, first: 100 }, council)).bandingAuditLog;
    expect(log.edges.map((e: any) => e.node.action).filter((a: string) => a === 'return.approved' || a === 'return.returned')).toEqual([`return.${winner!.toLowerCase()}`]);
    const [email] = await stack.mailbox.waitForCount('sendco@910003.example.org', 1);
    expect(email.subject).toMatch(winner === 'APPROVED' ? /is approved/ : /needs changes/);
  });

  it.each(['SENDCO', 'TRAINING_ADMIN', 'CLINIC_PROVIDER'] as const)('refuses the summary and the export to %s', async (role) => {
    const token = await stack.token(role, { schoolUrn: '910001' });
    expect(codes(await stack.gql(BANDING_SUMMARY, {}, token))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(EXPORT, {}, token))).toEqual(['FORBIDDEN']);
  });
});

describe('who can read a return', () => {
  let returnId: string;
  beforeAll(async () => {
    returnId = ok(await stack.gql(SCHOOL, { urn: '910001' }, council)).school.bandingReturn.id;
  });

  it.each([
    ["the school's SENDCO", () => sendcoToken(stack, '910001')],
    ["the school's staff", () => stack.token('SCHOOL_STAFF', { schoolUrn: '910001' })],
    ['a council officer', () => Promise.resolve(council)],
  ])('%s may', async (_label, token) => {
    expect((await readReturn(returnId, await token())).id).toBe(returnId);
  });

  it.each([
    ['a training admin', () => stack.token('TRAINING_ADMIN'), 'FORBIDDEN'],
    ["another school's SENDCO", () => sendcoToken(stack, '910002'), 'FORBIDDEN'],
    ['a clinic provider', () => stack.token('CLINIC_PROVIDER', { schoolUrn: '910001' }), 'FORBIDDEN'],
    ['anonymous', () => Promise.resolve(undefined), 'UNAUTHENTICATED'],
  ])('%s may not, by id or through School.bandingReturn', async (_label, token, code) => {
    const t = await token();
    const byId = await stack.gql(RETURN, { id: returnId }, t);
    expect(codes(byId)).toEqual([code]);
    expect(byId.data?.bandingReturn ?? null).toBeNull();
    const school = await stack.gql(SCHOOL, { urn: '910001' }, t);
    expect(codes(school)).toEqual([code]);
    expect(school.data?.school).toMatchObject({ urn: '910001', name: 'Test Primary', bandingReturn: null });
  });

  it("answers the contract's School operation for the school's SENDCO, banding return included", async () => {
    const { school } = ok(await stack.gql(contractOperation('directory.graphql', 'School'), { urn: '910001' }, await sendcoToken(stack, '910001')));
    expect(school).toMatchObject({ urn: '910001', bandingReturn: { id: returnId, status: 'APPROVED', requirement: { sampleSize: 4, minUpTo25Hours: 2, minOver25Hours: 2 } } });
  });

  it("keeps an audit log of every read and change that council officers can query, page by page", async () => {
    const log = ok(await stack.gql(AUDIT_LOG, { id: returnId, first: 100 }, council)).bandingAuditLog;
    const actions: string[] = log.edges.map((e: any) => e.node.action);
    for (const action of ['return.started', 'return.counts-updated', 'pupil.saved', 'pupils.uploaded', 'pupil.removed', 'return.submitted', 'return.returned', 'return.approved', 'return.read']) {
      expect(actions).toContain(action);
    }
    expect(actions[0]).toBe('return.started');
    const reads = log.edges.filter((e: any) => e.node.action === 'return.read').map((e: any) => JSON.parse(e.node.details).via);
    expect(reads).toEqual(expect.arrayContaining(['bandingReturn', 'School.bandingReturn', 'bandingExportCsv']));
    expect(log.edges.some((e: any) => e.node.actor === 'officer-1')).toBe(true);
    // Paging walks the same entries.
    const firstPage = ok(await stack.gql(AUDIT_LOG, { id: returnId, first: 3 }, council)).bandingAuditLog;
    const secondPage = ok(await stack.gql(AUDIT_LOG, { id: returnId, first: 3, after: firstPage.pageInfo.endCursor }, council)).bandingAuditLog;
    expect([...firstPage.edges, ...secondPage.edges].map((e: any) => e.node.action)).toEqual(actions.slice(0, 6));
    expect(codes(await stack.gql(AUDIT_LOG, { id: returnId }, await sendcoToken(stack, '910001')))).toEqual(['FORBIDDEN']);
    // The same log as the return's history field, for council officers only.
    const history = `query History($id: ID!) { bandingReturn(id: $id) { id history { action actor } } }`;
    const withHistory = ok(await stack.gql(history, { id: returnId }, council)).bandingReturn.history;
    expect(withHistory.map((e: any) => e.action).slice(0, 6)).toEqual(actions.slice(0, 6));
    const asSendco = await stack.gql(history, { id: returnId }, await sendcoToken(stack, '910001'));
    expect(codes(asSendco)).toEqual(['FORBIDDEN']);
    expect(asSendco.data.bandingReturn).toEqual({ id: returnId, history: null });
  });

  it('resolves School.bandingReturn through _entities on the banding subgraph itself', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on School { urn bandingReturn { id status } } } }`;
    const ask = async (token?: string) => {
      const response = await fetch(stack.subgraphUrls.banding, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables: { reps: [{ __typename: 'School', urn: '910001' }, { __typename: 'School', urn: '910099' }] } }),
      });
      return (await response.json()) as GraphQLResponse;
    };
    const asCouncil = await ask(council);
    expect(asCouncil.errors).toBeUndefined();
    expect(asCouncil.data._entities).toEqual([
      { urn: '910001', bandingReturn: { id: returnId, status: 'APPROVED' } },
      { urn: '910099', bandingReturn: null },
    ]);
    const asOther = await ask(await sendcoToken(stack, '910002'));
    expect(codes(asOther)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(asOther.data._entities.map((e: any) => e.bandingReturn)).toEqual([null, null]);
  });
});
