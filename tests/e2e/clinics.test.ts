/**
 * SEND Clinics through the gateway as the front ends use them (the contract's operations where
 * it has them), against the real processes, database, queue and an SMTP listener: clinics,
 * requests and decisions with their emails and invitations, who may see and do what, bad input,
 * capacity under concurrency, edits and cancellations, and School.clinicBookings.
 */
import { codes, contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import type { ReceivedMail } from '../support/mailbox';

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const CREATE_CLINIC = contractOperation('clinics.graphql', 'CreateClinic');
const CLINICS = contractOperation('clinics.graphql', 'Clinics');
const REQUEST_PLACE = contractOperation('clinics.graphql', 'RequestClinicPlace');
const DECIDE = contractOperation('clinics.graphql', 'DecideClinicRequest');

const CLINIC_FIELDS = `id theme mode status capacity placesLeft joiningUrl contactEmail location { name postcode } deliveringSchool { urn name phase } bookingQuestions { key label required type choices }`;
const CREATE_CLINIC_FULL = `mutation($input: CreateClinicInput!) { createClinic(input: $input) { ${CLINIC_FIELDS} } }`;
const CLINIC = `query($id: ID!) { clinic(id: $id) { ${CLINIC_FIELDS} } }`;
const CLINIC_REQUESTS = `query($id: ID!, $status: ClinicRequestStatus) { clinic(id: $id) { id requests(status: $status) { id status attendee { name email role } answers { key label value } school { urn name } } } }`;
const CLINIC_HISTORY = `query($id: ID!) { clinic(id: $id) { history { action actor } } }`;
const CLINIC_REQUEST = `query($id: ID!) { clinicRequest(id: $id) { id status decisionMessage joiningUrl attendee { name email } answers { key value } clinic { id theme } history { action actor } } }`;
const CANCEL_REQUEST = `mutation($id: ID!, $reason: String) { cancelClinicRequest(id: $id, reason: $reason) { id status cancelledReason } }`;
const UPDATE_CLINIC = `mutation($id: ID!, $input: UpdateClinicInput!) { updateClinic(id: $id, input: $input) { id startsAt capacity location { name } } }`;
const CANCEL_CLINIC = `mutation($id: ID!, $reason: String) { cancelClinic(id: $id, reason: $reason) { id status cancelledReason } }`;
const THEMES = `query { clinicThemes { name active } }`;
const ADD_THEME = `mutation($name: String!) { addClinicTheme(name: $name) { name active } }`;
const CLINICS_PAGE = `query($filter: ClinicFilter, $first: Int, $after: String) { clinicsConnection(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const PROVIDER_CLINICS = `query($includePast: Boolean) { providerClinics(includePast: $includePast) { id status } }`;
const SCHOOL_CLINIC_BOOKINGS = `query($urn: ID!) { school(urn: $urn) { urn name clinicBookings { id status clinic { id theme } } } }`;

const DAY = 24 * 3600 * 1000;
const inDays = (days: number, hour = 15) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, 30, 0, 0);
  return d.toISOString();
};

// Two special schools run clinics; two mainstream schools ask for places.
const SPECIAL_A = '920001';
const SPECIAL_B = '920002';
const SCHOOL = '920010';
const OTHER_SCHOOL = '920011';
const SCHOOLS = [
  { urn: SPECIAL_A, name: 'Kennet Special School', phase: 'SPECIAL', ehcpCount: 120 },
  { urn: SPECIAL_B, name: 'Lodden Special School', phase: 'SPECIAL', ehcpCount: 90 },
  { urn: SCHOOL, name: 'Swale Primary School', phase: 'PRIMARY', ehcpCount: 8 },
  { urn: OTHER_SCHOOL, name: 'Medway Secondary School', phase: 'SECONDARY', ehcpCount: 30 },
];

const FORM = [
  { key: 'role', label: 'Your role', required: true },
  { key: 'phase', label: 'Phase', required: true, type: 'CHOICE', choices: ['Primary', 'Secondary'] },
  { key: 'before', label: 'Been to a clinic before?', required: false, type: 'YES_NO' },
];
const GOOD_ANSWERS = [
  { key: 'role', value: 'SENDCO' },
  { key: 'phase', value: 'Primary' },
  { key: 'before', value: 'no' },
];

let stack: TestStack;
let admin: string;
let providerA: string;
let providerB: string;
let sendco: string;
let otherStaff: string;
let council: string;

const SENDCO_EMAIL = 'sendco@swale.example.org';
const CONTACT_A = 'clinics@kennet.example.org';

function clinicInput(overrides: Record<string, unknown> = {}) {
  return {
    theme: 'Sensory processing',
    description: 'Sensory processing differences and what helps in class.',
    deliveringSchoolUrn: SPECIAL_A,
    mode: 'FACE_TO_FACE',
    location: { name: 'Kennet Sensory Room', address: 'Mill Lane, Newbury', postcode: 'rg14 1aa' },
    startsAt: inDays(20),
    endsAt: inDays(20, 17),
    capacity: 5,
    contactEmail: CONTACT_A,
    bookingQuestions: FORM,
    ...overrides,
  };
}

async function createClinic(overrides: Record<string, unknown> = {}, token = providerA): Promise<string> {
  const created = await stack.gql(CREATE_CLINIC_FULL, { input: clinicInput(overrides) }, token);
  expect(created.errors).toBeUndefined();
  return created.data.createClinic.id;
}

function requestInput(clinicId: string, attendeeEmail: string, answers = GOOD_ANSWERS, schoolUrn = SCHOOL) {
  return { input: { clinicId, schoolUrn, attendee: { name: `Attendee ${attendeeEmail.split('@')[0]}`, email: attendeeEmail, role: 'Teacher' }, answers } };
}

async function requestPlace(clinicId: string, attendeeEmail: string): Promise<string> {
  const requested = await stack.gql(REQUEST_PLACE, requestInput(clinicId, attendeeEmail), sendco);
  expect(requested.errors).toBeUndefined();
  expect(requested.data.requestClinicPlace.status).toBe('REQUESTED');
  return requested.data.requestClinicPlace.id;
}

async function placesLeft(clinicId: string): Promise<number> {
  return (await stack.gql(CLINIC, { id: clinicId })).data.clinic.placesLeft;
}

function fieldsOf(response: GraphQLResponse): string[] {
  return (response.errors?.[0]?.extensions?.fields ?? []).map((f) => f.field).sort();
}

async function mailTo(address: string, count: number, subject: RegExp): Promise<ReceivedMail> {
  const received = await stack.mailbox.waitForCount(address, count);
  const matching = received.filter((m) => subject.test(m.subject));
  expect(matching.map((m) => m.subject)).toHaveLength(1);
  return matching[0];
}

beforeAll(async () => {
  stack = await startTestStack('clinics');
  admin = await stack.token('ADMIN');
  providerA = await stack.token('CLINIC_PROVIDER', { schoolUrn: SPECIAL_A, email: 'provider@kennet.example.org' });
  providerB = await stack.token('CLINIC_PROVIDER', { schoolUrn: SPECIAL_B, email: 'provider@lodden.example.org' });
  sendco = await stack.token('SENDCO', { schoolUrn: SCHOOL, email: SENDCO_EMAIL, name: 'Sam Sendco' });
  otherStaff = await stack.token('SCHOOL_STAFF', { schoolUrn: OTHER_SCHOOL });
  council = await stack.token('COUNCIL_OFFICER');
  const upserted = await stack.gql(UPSERT_SCHOOLS, { schools: SCHOOLS }, admin);
  expect(upserted.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

describe('themes', () => {
  it('lists the managed themes publicly; only ADMIN adds one', async () => {
    const themes = (await stack.gql(THEMES)).data.clinicThemes.map((t: { name: string }) => t.name);
    expect(themes).toEqual(['Sensory processing', 'SEMH strategies', 'EHCP support', 'Restorative approaches']);
    expect(codes(await stack.gql(ADD_THEME, { name: 'Autism and communication' }, providerA))).toEqual(['FORBIDDEN']);
    expect((await stack.gql(ADD_THEME, { name: 'Autism and communication' }, admin)).data.addClinicTheme).toEqual({ name: 'Autism and communication', active: true });
    expect((await stack.gql(THEMES)).data.clinicThemes).toHaveLength(5);
  });

  it('retires a theme: no longer offered or accepted for new clinics, still listed when asked', async () => {
    const RETIRE = `mutation($name: String!) { retireClinicTheme(name: $name) { name active } }`;
    await stack.gql(ADD_THEME, { name: 'Attachment and trauma' }, admin);
    expect(codes(await stack.gql(RETIRE, { name: 'Attachment and trauma' }, providerA))).toEqual(['FORBIDDEN']);
    expect((await stack.gql(RETIRE, { name: 'attachment and TRAUMA' }, admin)).data.retireClinicTheme).toEqual({ name: 'Attachment and trauma', active: false });
    expect((await stack.gql(THEMES)).data.clinicThemes.map((t: { name: string }) => t.name)).not.toContain('Attachment and trauma');
    const all = (await stack.gql(`query { clinicThemes(includeRetired: true) { name active } }`)).data.clinicThemes;
    expect(all).toContainEqual({ name: 'Attachment and trauma', active: false });
    expect(fieldsOf(await stack.gql(CREATE_CLINIC, { input: clinicInput({ theme: 'Attachment and trauma' }) }, providerA))).toEqual(['theme']);
    expect(codes(await stack.gql(RETIRE, { name: 'No such theme' }, admin))).toEqual(['NOT_FOUND']);
  });
});

describe('creating clinics', () => {
  it('lets the delivering school create one (the contract operation) with its booking form', async () => {
    const created = await stack.gql(CREATE_CLINIC, { input: clinicInput({ theme: 'sensory PROCESSING' }) }, providerA);
    expect(created.errors).toBeUndefined();
    expect(created.data.createClinic.theme).toBe('Sensory processing');
    const clinic = (await stack.gql(CLINIC, { id: created.data.createClinic.id })).data.clinic;
    expect(clinic).toMatchObject({
      mode: 'FACE_TO_FACE',
      status: 'SCHEDULED',
      capacity: 5,
      placesLeft: 5,
      joiningUrl: null,
      location: { name: 'Kennet Sensory Room', postcode: 'RG14 1AA' },
      deliveringSchool: { urn: SPECIAL_A, name: 'Kennet Special School', phase: 'SPECIAL' },
    });
    expect(clinic.bookingQuestions).toEqual([
      { key: 'role', label: 'Your role', required: true, type: 'SHORT_TEXT', choices: null },
      { key: 'phase', label: 'Phase', required: true, type: 'CHOICE', choices: ['Primary', 'Secondary'] },
      { key: 'before', label: 'Been to a clinic before?', required: false, type: 'YES_NO', choices: null },
    ]);
  });

  it('refuses other roles and other schools, and bad input, writing nothing', async () => {
    const before = (await stack.gql(PROVIDER_CLINICS, { includePast: true }, providerA)).data.providerClinics.length;
    expect(codes(await stack.gql(CREATE_CLINIC, { input: clinicInput() }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(CREATE_CLINIC, { input: clinicInput() }, sendco))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(CREATE_CLINIC, { input: clinicInput() }, providerB))).toEqual(['FORBIDDEN']);

    const notSpecial = await stack.gql(CREATE_CLINIC, { input: clinicInput({ deliveringSchoolUrn: SCHOOL }) }, admin);
    expect(codes(notSpecial)).toEqual(['BAD_USER_INPUT']);
    expect(notSpecial.errors![0].extensions!.fields).toEqual([{ field: 'deliveringSchoolUrn', message: 'Swale Primary School is not a special school' }]);
    expect(fieldsOf(await stack.gql(CREATE_CLINIC, { input: clinicInput({ deliveringSchoolUrn: '999999' }) }, admin))).toEqual(['deliveringSchoolUrn']);
    expect(fieldsOf(await stack.gql(CREATE_CLINIC, { input: clinicInput({ startsAt: inDays(-2), endsAt: inDays(-2, 17) }) }, providerA))).toEqual(['startsAt']);
    expect(fieldsOf(await stack.gql(CREATE_CLINIC, { input: clinicInput({ theme: 'Astrology' }) }, providerA))).toEqual(['theme']);
    expect(fieldsOf(await stack.gql(CREATE_CLINIC, { input: clinicInput({ theme: 'Astrology', deliveringSchoolUrn: SCHOOL, startsAt: inDays(-2), endsAt: inDays(-2, 17) }) }, admin))).toEqual([
      'deliveringSchoolUrn',
      'startsAt',
      'theme',
    ]);
    expect(fieldsOf(await stack.gql(CREATE_CLINIC, { input: clinicInput({ mode: 'ONLINE' }) }, providerA))).toEqual(['joiningUrl', 'location']);
    expect(fieldsOf(await stack.gql(CREATE_CLINIC, { input: clinicInput({ bookingQuestions: [{ key: 'a b', label: 'x' }, { key: 'c', label: 'C', type: 'CHOICE' }] }) }, providerA))).toEqual([
      'bookingQuestions.0.key',
      'bookingQuestions.1.choices',
    ]);
    expect(codes(await stack.gql(CREATE_CLINIC, { input: clinicInput({ capacity: 0, contactEmail: 'nope' }) }, providerA))).toEqual(['BAD_USER_INPUT']);

    expect((await stack.gql(PROVIDER_CLINICS, { includePast: true }, providerA)).data.providerClinics).toHaveLength(before);
  });
});

describe('the public listing', () => {
  let online: string;
  let faceToFace: string;

  beforeAll(async () => {
    faceToFace = await createClinic({ theme: 'Restorative approaches', startsAt: inDays(40), endsAt: inDays(40, 17) }, providerA);
    online = await createClinic(
      { theme: 'Restorative approaches', mode: 'ONLINE', location: null, joiningUrl: 'https://meet.example.org/restorative', deliveringSchoolUrn: SPECIAL_B, startsAt: inDays(41), endsAt: inDays(41, 17) },
      providerB,
    );
  });

  it('shows anyone the upcoming clinics with the contract fields, filtered, without the joining link', async () => {
    const listed = await stack.gql(CLINICS, { filter: { theme: 'restorative approaches' } });
    expect(listed.errors).toBeUndefined();
    expect(listed.data.clinics.map((c: { id: string }) => c.id)).toEqual([faceToFace, online]);
    expect(listed.data.clinics[1]).toMatchObject({ mode: 'ONLINE', location: null, placesLeft: 5, deliveringSchool: { urn: SPECIAL_B, name: 'Lodden Special School' } });
    expect(listed.data.clinics[0].bookingQuestions[0]).toEqual({ key: 'role', label: 'Your role', required: true });

    const ids = async (filter: Record<string, unknown>) => (await stack.gql(CLINICS, { filter })).data.clinics.map((c: { id: string }) => c.id);
    expect(await ids({ theme: 'Restorative approaches', mode: 'ONLINE' })).toEqual([online]);
    expect(await ids({ theme: 'Restorative approaches', deliveringSchoolUrn: SPECIAL_A })).toEqual([faceToFace]);
    expect(await ids({ theme: 'Restorative approaches', from: inDays(41, 0) })).toEqual([online]);
    expect(await ids({ theme: 'Restorative approaches', to: inDays(41, 0) })).toEqual([faceToFace]);

    const anonymous = await stack.gql(CLINIC, { id: online });
    expect(anonymous.data.clinic.joiningUrl).toBeNull();
    expect(JSON.stringify(anonymous)).not.toContain('meet.example.org');
    expect((await stack.gql(CLINIC, { id: online }, sendco)).data.clinic.joiningUrl).toBeNull();
    expect((await stack.gql(CLINIC, { id: online }, providerB)).data.clinic.joiningUrl).toBe('https://meet.example.org/restorative');
  });

  it('pages the same list with Relay cursors', async () => {
    const filter = { theme: 'Restorative approaches' };
    const first = (await stack.gql(CLINICS_PAGE, { filter, first: 1 })).data.clinicsConnection;
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = (await stack.gql(CLINICS_PAGE, { filter, first: 1, after: first.pageInfo.endCursor })).data.clinicsConnection;
    expect([first.edges[0].node.id, second.edges[0].node.id]).toEqual([faceToFace, online]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('answers NOT_FOUND for an unknown clinic', async () => {
    expect(codes(await stack.gql(CLINIC, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await stack.gql(CLINIC, { id: 'not-an-id' }))).toEqual(['NOT_FOUND']);
  });
});

describe('requests and decisions', () => {
  let clinicId: string;
  let requestId: string;

  beforeAll(async () => {
    clinicId = await createClinic({ theme: 'EHCP support', capacity: 3 });
  });

  it('holds a place for a complete request and emails the delivering school the answers', async () => {
    requestId = await requestPlace(clinicId, 'asha@swale.example.org');
    expect(await placesLeft(clinicId)).toBe(2);
    const mail = await mailTo(CONTACT_A, 1, /^Place request: EHCP support clinic/);
    expect(mail.subject).toContain('Attendee asha');
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('asha@swale.example.org');
      expect(body).toContain('Your role');
      expect(body).toContain('SENDCO');
      expect(body).toContain('Been to a clinic before?');
      expect(body).toContain(SCHOOL);
    }
    expect(mail.calendars).toEqual([]);
  });

  it('names each missing required answer and each answer of the wrong type, holding nothing', async () => {
    const missing = await stack.gql(REQUEST_PLACE, requestInput(clinicId, 'ben@swale.example.org', [{ key: 'before', value: 'yes' }]), sendco);
    expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(missing)).toEqual(['answers.phase', 'answers.role']);
    const wrongType = await stack.gql(
      REQUEST_PLACE,
      requestInput(clinicId, 'ben@swale.example.org', [{ key: 'role', value: 'Teacher' }, { key: 'phase', value: 'Nursery' }, { key: 'before', value: 'perhaps' }, { key: 'pupil', value: 'x' }]),
      sendco,
    );
    expect(fieldsOf(wrongType)).toEqual(['answers.before', 'answers.phase', 'answers.pupil']);
    expect(codes(await stack.gql(REQUEST_PLACE, requestInput('00000000-0000-4000-8000-000000000000', 'ben@swale.example.org'), sendco))).toEqual(['NOT_FOUND']);
    expect(codes(await stack.gql(REQUEST_PLACE, requestInput(clinicId, 'ben@swale.example.org'), otherStaff))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(REQUEST_PLACE, requestInput(clinicId, 'ben@swale.example.org'), providerA))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(REQUEST_PLACE, requestInput(clinicId, 'ben@swale.example.org')))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(REQUEST_PLACE, requestInput(clinicId, 'asha@swale.example.org'), sendco))).toEqual(['CONFLICT']);
    expect(await placesLeft(clinicId)).toBe(2);
  });

  it('keeps requests from other schools and other special schools', async () => {
    expect(codes(await stack.gql(CLINIC_REQUEST, { id: requestId }, otherStaff))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(CLINIC_REQUEST, { id: requestId }, providerB))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(CLINIC_REQUEST, { id: requestId }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(DECIDE, { id: requestId, decision: 'CONFIRM' }, providerB))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(DECIDE, { id: requestId, decision: 'CONFIRM' }, sendco))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(DECIDE, { id: '00000000-0000-4000-8000-000000000000', decision: 'CONFIRM' }, providerA))).toEqual(['NOT_FOUND']);
    expect(codes(await stack.gql(CANCEL_REQUEST, { id: 'not-an-id' }, sendco))).toEqual(['NOT_FOUND']);
    expect(codes(await stack.gql(CANCEL_REQUEST, { id: requestId }, otherStaff))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(CANCEL_REQUEST, { id: requestId }, providerB))).toEqual(['FORBIDDEN']);
    const requests = await stack.gql(CLINIC_REQUESTS, { id: clinicId }, providerB);
    expect(codes(requests)).toEqual(['FORBIDDEN']);
    expect(requests.data.clinic.requests).toBeNull();
    expect(codes(await stack.gql(CLINIC_REQUESTS, { id: clinicId }))).toEqual(['UNAUTHENTICATED']);
    // Still REQUESTED: nothing above changed it.
    expect((await stack.gql(CLINIC_REQUEST, { id: requestId }, sendco)).data.clinicRequest.status).toBe('REQUESTED');
  });

  it('lets the delivering school confirm with a message: the attendee gets an invitation, the requester a copy', async () => {
    const decided = await stack.gql(DECIDE, { id: requestId, decision: 'CONFIRM', message: 'Parking is behind the hall.' }, providerA);
    expect(decided.data.decideClinicRequest).toEqual({ id: requestId, status: 'CONFIRMED' });
    const mail = await mailTo('asha@swale.example.org', 1, /^Clinic place confirmed: EHCP support/);
    expect(mail.text).toContain('Parking is behind the hall.');
    expect(mail.html).toContain('Kennet Sensory Room');
    expect(mail.calendars).toHaveLength(1);
    expect(mail.calendars[0]).toContain('METHOD:REQUEST');
    expect(mail.calendars[0]).toContain(`UID:clinic-request-${requestId}@sendco-hub`);
    const copy = await mailTo(SENDCO_EMAIL, 1, /^Clinic place confirmed: EHCP support/);
    expect(copy.text).toContain('your copy');
    expect(copy.calendars).toEqual([]);
    // The same decision again changes nothing; the other is a CONFLICT.
    expect((await stack.gql(DECIDE, { id: requestId, decision: 'CONFIRM' }, providerA)).data.decideClinicRequest.status).toBe('CONFIRMED');
    expect(codes(await stack.gql(DECIDE, { id: requestId, decision: 'DECLINE' }, providerA))).toEqual(['CONFLICT']);
  });

  it('gives the provider the attendee list with answers, and the school its request', async () => {
    const list = (await stack.gql(CLINIC_REQUESTS, { id: clinicId, status: 'CONFIRMED' }, providerA)).data.clinic.requests;
    expect(list).toEqual([
      {
        id: requestId,
        status: 'CONFIRMED',
        attendee: { name: 'Attendee asha', email: 'asha@swale.example.org', role: 'Teacher' },
        answers: [
          { key: 'role', label: 'Your role', value: 'SENDCO' },
          { key: 'phase', label: 'Phase', value: 'Primary' },
          { key: 'before', label: 'Been to a clinic before?', value: 'no' },
        ],
        school: { urn: SCHOOL, name: 'Swale Primary School' },
      },
    ]);
    const own = (await stack.gql(CLINIC_REQUEST, { id: requestId }, sendco)).data.clinicRequest;
    expect(own).toMatchObject({ status: 'CONFIRMED', decisionMessage: 'Parking is behind the hall.', joiningUrl: null, clinic: { id: clinicId, theme: 'EHCP support' } });
    expect(own.history.map((h: { action: string }) => h.action)).toEqual(['clinic_request.requested', 'clinic_request.confirmed']);
    expect((await stack.gql(CLINIC_REQUEST, { id: requestId }, council)).data.clinicRequest.id).toBe(requestId);
  });

  it('lets the school cancel: the invitation is withdrawn (same UID, higher SEQUENCE), the provider told, the place freed', async () => {
    const cancelled = await stack.gql(CANCEL_REQUEST, { id: requestId, reason: 'Staff illness' }, sendco);
    expect(cancelled.data.cancelClinicRequest).toEqual({ id: requestId, status: 'CANCELLED', cancelledReason: 'Staff illness' });
    const mail = await mailTo('asha@swale.example.org', 2, /^Clinic place cancelled: EHCP support/);
    expect(mail.text).toContain('Your school has cancelled the place');
    expect(mail.calendars[0]).toContain('METHOD:CANCEL');
    expect(mail.calendars[0]).toContain(`UID:clinic-request-${requestId}@sendco-hub`);
    expect(mail.calendars[0]).toContain('SEQUENCE:1');
    const toProvider = await mailTo(CONTACT_A, 2, /^Clinic place cancelled: EHCP support/);
    expect(toProvider.text).toContain('The place is free again');
    expect(await placesLeft(clinicId)).toBe(3);
    expect((await stack.gql(CANCEL_REQUEST, { id: requestId }, sendco)).data.cancelClinicRequest.status).toBe('CANCELLED');
  });

  it('lets the delivering school decline: an email without invitation, the place freed', async () => {
    const id = await requestPlace(clinicId, 'cara@swale.example.org');
    expect(await placesLeft(clinicId)).toBe(2);
    expect((await stack.gql(DECIDE, { id, decision: 'DECLINE', message: 'This one is for special schools.' }, providerA)).data.decideClinicRequest.status).toBe('DECLINED');
    const mail = await mailTo('cara@swale.example.org', 1, /^Clinic request declined: EHCP support/);
    expect(mail.text).toContain('This one is for special schools.');
    expect(mail.calendars).toEqual([]);
    expect(await placesLeft(clinicId)).toBe(3);
    expect(codes(await stack.gql(CANCEL_REQUEST, { id }, sendco))).toEqual(['CONFLICT']);
  });

  it('gives the joining link of an online clinic to confirmed attendees only', async () => {
    const onlineId = await createClinic({ theme: 'SEMH strategies', mode: 'ONLINE', location: null, joiningUrl: 'https://meet.example.org/semh-e2e' });
    const id = await requestPlace(onlineId, 'dev@swale.example.org');
    const contact = await mailTo(CONTACT_A, 4, /^Place request: SEMH strategies/);
    expect(contact.text).toContain('https://meet.example.org/semh-e2e'); // the delivering school's own link
    expect((await stack.gql(CLINIC_REQUEST, { id }, sendco)).data.clinicRequest.joiningUrl).toBeNull();
    await stack.gql(DECIDE, { id, decision: 'CONFIRM' }, providerA);
    expect((await stack.gql(CLINIC_REQUEST, { id }, sendco)).data.clinicRequest.joiningUrl).toBe('https://meet.example.org/semh-e2e');
    const mail = await mailTo('dev@swale.example.org', 1, /^Clinic place confirmed: SEMH strategies/);
    expect(mail.text).toContain('https://meet.example.org/semh-e2e');
    expect(mail.calendars[0]).toContain('meet.example.org/semh-e2e');
    const copy = await mailTo(SENDCO_EMAIL, 3, /^Clinic place confirmed: SEMH strategies/);
    expect(copy.text).toContain('https://meet.example.org/semh-e2e');
  });

  it('answers BOOKING_CLOSED for a clinic that has taken place', async () => {
    // A clinic starting a few seconds from now; the test waits until it has started rather than fake the clock.
    const startsAt = Date.now() + 4000;
    const pastId = await createClinic({ theme: 'EHCP support', startsAt: new Date(startsAt).toISOString(), endsAt: inDays(1, 23) });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startsAt - Date.now() + 500)));
    expect(codes(await stack.gql(REQUEST_PLACE, requestInput(pastId, 'late@swale.example.org'), sendco))).toEqual(['BOOKING_CLOSED']);
    expect((await stack.gql(CLINICS, { filter: { deliveringSchoolUrn: SPECIAL_A } })).data.clinics.map((c: { id: string }) => c.id)).not.toContain(pastId);
    expect(codes(await stack.gql(CANCEL_CLINIC, { id: pastId }, providerA))).toEqual(['CONFLICT']);
  });
});

describe('School.clinicBookings', () => {
  it("shows a school's requests to its staff and council roles only", async () => {
    const own = await stack.gql(SCHOOL_CLINIC_BOOKINGS, { urn: SCHOOL }, sendco);
    expect(own.errors).toBeUndefined();
    expect(own.data.school.clinicBookings.length).toBeGreaterThanOrEqual(3);
    expect(own.data.school.clinicBookings[0]).toEqual({ id: expect.any(String), status: expect.any(String), clinic: { id: expect.any(String), theme: expect.any(String) } });
    expect((await stack.gql(SCHOOL_CLINIC_BOOKINGS, { urn: SCHOOL }, council)).data.school.clinicBookings).toHaveLength(own.data.school.clinicBookings.length);

    for (const token of [otherStaff, providerA]) {
      const refused = await stack.gql(SCHOOL_CLINIC_BOOKINGS, { urn: SCHOOL }, token);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data.school).toEqual({ urn: SCHOOL, name: 'Swale Primary School', clinicBookings: null });
    }
    expect(codes(await stack.gql(SCHOOL_CLINIC_BOOKINGS, { urn: SCHOOL }))).toEqual(['UNAUTHENTICATED']);
  });

  it('resolves School entities in the clinics subgraph (_entities)', async () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on School { urn clinicBookings { id status } } } }`;
    const ask = async (token: string) => {
      const response = await fetch(stack.subgraphUrls.clinics, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables: { representations: [{ __typename: 'School', urn: SCHOOL }, { __typename: 'School', urn: OTHER_SCHOOL }] } }),
      });
      return (await response.json()) as GraphQLResponse;
    };
    const asSendco = await ask(sendco);
    expect(asSendco.data._entities[0].urn).toBe(SCHOOL);
    expect(asSendco.data._entities[0].clinicBookings.length).toBeGreaterThanOrEqual(3);
    expect(asSendco.data._entities[1]).toEqual({ urn: OTHER_SCHOOL, clinicBookings: null });
    expect(codes(asSendco)).toEqual(['FORBIDDEN']);
    const asCouncil = await ask(council);
    expect(asCouncil.errors).toBeUndefined();
    expect(asCouncil.data._entities[1]).toEqual({ urn: OTHER_SCHOOL, clinicBookings: [] });
  });
});

describe('capacity under concurrency', () => {
  it('holds exactly 10 places when 100 requests arrive at once for a 10-place clinic', async () => {
    const clinicId = await createClinic({ theme: 'SEMH strategies', capacity: 10, startsAt: inDays(30), endsAt: inDays(30, 17) });
    const attempts = await Promise.all(Array.from({ length: 100 }, (_, i) => stack.gql(REQUEST_PLACE, requestInput(clinicId, `rush${i}@swale.example.org`), sendco)));
    const held = attempts.filter((r) => r.data?.requestClinicPlace?.status === 'REQUESTED');
    expect(held).toHaveLength(10);
    expect(attempts.filter((r) => codes(r)[0] === 'CONFLICT')).toHaveLength(90);
    expect(await placesLeft(clinicId)).toBe(0);
    expect((await stack.gql(CLINIC_REQUESTS, { id: clinicId }, providerA)).data.clinic.requests).toHaveLength(10);

    // A freed place can be taken again, and only once.
    await stack.gql(CANCEL_REQUEST, { id: held[0].data.requestClinicPlace.id }, providerA);
    const again = await Promise.all(['late1', 'late2'].map((name) => stack.gql(REQUEST_PLACE, requestInput(clinicId, `${name}@swale.example.org`), sendco)));
    expect(again.map((r) => r.data?.requestClinicPlace?.status ?? codes(r)[0]).sort()).toEqual(['CONFLICT', 'REQUESTED']);
  });
});

describe('editing and cancelling a clinic', () => {
  it('emails every active attendee when details change (an updated invitation to the confirmed), then cancels them all', async () => {
    const clinicId = await createClinic({ theme: 'Sensory processing', capacity: 4, startsAt: inDays(50), endsAt: inDays(50, 17) });
    const confirmedId = await requestPlace(clinicId, 'erin@swale.example.org');
    const waitingId = await requestPlace(clinicId, 'finn@swale.example.org');
    await stack.gql(DECIDE, { id: confirmedId, decision: 'CONFIRM' }, providerA);
    await mailTo('erin@swale.example.org', 1, /^Clinic place confirmed/);

    expect(codes(await stack.gql(UPDATE_CLINIC, { id: clinicId, input: { capacity: 5 } }, providerB))).toEqual(['FORBIDDEN']);
    expect(fieldsOf(await stack.gql(UPDATE_CLINIC, { id: clinicId, input: { capacity: 1 } }, providerA))).toEqual(['capacity']);
    // Capacity alone is not news for attendees.
    expect((await stack.gql(UPDATE_CLINIC, { id: clinicId, input: { capacity: 6 } }, providerA)).data.updateClinic.capacity).toBe(6);

    const moved = await stack.gql(UPDATE_CLINIC, { id: clinicId, input: { startsAt: inDays(51), endsAt: inDays(51, 17), location: { name: 'Kennet Hall' } } }, providerA);
    expect(moved.data.updateClinic.location).toEqual({ name: 'Kennet Hall' });
    const erinChange = await mailTo('erin@swale.example.org', 2, /^Clinic details changed: Sensory processing/);
    expect(erinChange.text).toContain('Kennet Hall');
    expect(erinChange.calendars[0]).toContain('METHOD:REQUEST');
    expect(erinChange.calendars[0]).toContain(`UID:clinic-request-${confirmedId}@sendco-hub`);
    expect(erinChange.calendars[0]).toContain('SEQUENCE:1');
    const finnChange = await mailTo('finn@swale.example.org', 1, /^Clinic details changed: Sensory processing/);
    expect(finnChange.text).toContain('still waiting');
    expect(finnChange.calendars).toEqual([]);

    const cancelled = await stack.gql(CANCEL_CLINIC, { id: clinicId, reason: 'Building works' }, providerA);
    expect(cancelled.data.cancelClinic).toEqual({ id: clinicId, status: 'CANCELLED', cancelledReason: 'Building works' });
    const erinCancel = await mailTo('erin@swale.example.org', 3, /^Clinic cancelled: Sensory processing/);
    expect(erinCancel.text).toContain('Building works');
    expect(erinCancel.calendars[0]).toContain('METHOD:CANCEL');
    expect(erinCancel.calendars[0]).toContain('SEQUENCE:2');
    const finnCancel = await mailTo('finn@swale.example.org', 2, /^Clinic cancelled: Sensory processing/);
    expect(finnCancel.calendars).toEqual([]);

    expect((await stack.gql(CLINIC_REQUEST, { id: waitingId }, sendco)).data.clinicRequest.status).toBe('CANCELLED');
    expect((await stack.gql(CLINICS, { filter: { theme: 'Sensory processing' } })).data.clinics.map((c: { id: string }) => c.id)).not.toContain(clinicId);
    expect(codes(await stack.gql(REQUEST_PLACE, requestInput(clinicId, 'gus@swale.example.org'), sendco))).toEqual(['BOOKING_CLOSED']);
    expect(codes(await stack.gql(UPDATE_CLINIC, { id: clinicId, input: { capacity: 8 } }, providerA))).toEqual(['CONFLICT']);
    expect((await stack.gql(PROVIDER_CLINICS, {}, providerA)).data.providerClinics).toContainEqual({ id: clinicId, status: 'CANCELLED' });

    const history = (await stack.gql(CLINIC_HISTORY, { id: clinicId }, providerA)).data.clinic.history.map((h: { action: string }) => h.action);
    expect(history).toEqual(['clinic.created', 'clinic.updated', 'clinic.updated', 'clinic.cancelled']);
    expect(codes(await stack.gql(CLINIC_HISTORY, { id: clinicId }, sendco))).toEqual(['FORBIDDEN']);
  });
});

describe('NUMBER and DATE questions (the shared form engine)', () => {
  const TYPED_FORM = [
    { key: 'pupils', label: 'Pupils you support', required: true, type: 'NUMBER', min: 1, max: 30, integer: true },
    { key: 'hours', label: 'Hours a week', required: false, type: 'NUMBER', min: 0.5 },
    { key: 'from', label: 'Available from', required: true, type: 'DATE', minDate: '2026-01-01', maxDate: '2030-12-31' },
  ];
  const TYPED_FIELDS = `id bookingQuestions { key type min max integer minDate maxDate choices }`;

  it('stores the limits, refuses limits that contradict each other, and checks answers against them', async () => {
    const created = await stack.gql(`mutation($input: CreateClinicInput!) { createClinic(input: $input) { ${TYPED_FIELDS} } }`, { input: clinicInput({ bookingQuestions: TYPED_FORM }) }, providerA);
    expect(created.errors).toBeUndefined();
    expect(created.data.createClinic.bookingQuestions).toEqual([
      { key: 'pupils', type: 'NUMBER', min: 1, max: 30, integer: true, minDate: null, maxDate: null, choices: null },
      { key: 'hours', type: 'NUMBER', min: 0.5, max: null, integer: null, minDate: null, maxDate: null, choices: null },
      { key: 'from', type: 'DATE', min: null, max: null, integer: null, minDate: '2026-01-01', maxDate: '2030-12-31', choices: null },
    ]);
    const clinicId = created.data.createClinic.id;

    const contradictory = await stack.gql(
      CREATE_CLINIC_FULL,
      { input: clinicInput({ bookingQuestions: [{ ...TYPED_FORM[0], min: 5, max: 4 }, { ...TYPED_FORM[2], minDate: '2026-02-30' }] }) },
      providerA,
    );
    expect(codes(contradictory)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(contradictory)).toEqual(['bookingQuestions.0.max', 'bookingQuestions.1.minDate']);
    // As with choices on a question that is not a CHOICE, a setting of another type is not stored.
    const misplaced = await stack.gql(`mutation($input: CreateClinicInput!) { createClinic(input: $input) { ${TYPED_FIELDS} } }`, { input: clinicInput({ bookingQuestions: [{ key: 'note', label: 'Note', max: 3, minDate: '2026-01-01' }] }) }, providerA);
    expect(misplaced.data.createClinic.bookingQuestions).toEqual([{ key: 'note', type: 'SHORT_TEXT', min: null, max: null, integer: null, minDate: null, maxDate: null, choices: null }]);

    const wrong = await stack.gql(
      REQUEST_PLACE,
      requestInput(clinicId, 'nina@swale.example.org', [{ key: 'pupils', value: '2.5' }, { key: 'hours', value: '0.25' }, { key: 'from', value: '31/01/2027' }]),
      sendco,
    );
    expect(codes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(wrong)).toEqual(['answers.from', 'answers.hours', 'answers.pupils']);

    const good = await stack.gql(REQUEST_PLACE, requestInput(clinicId, 'nina@swale.example.org', [{ key: 'pupils', value: '012' }, { key: 'from', value: '2027-01-31' }]), sendco);
    expect(good.errors).toBeUndefined();
    const answers = (await stack.gql(CLINIC_REQUEST, { id: good.data.requestClinicPlace.id }, sendco)).data.clinicRequest.answers;
    expect(answers).toEqual([
      { key: 'pupils', value: '12' },
      { key: 'from', value: '2027-01-31' },
    ]);
  });
});
