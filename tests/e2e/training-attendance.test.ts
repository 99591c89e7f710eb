/**
 * Attendance, CPD certificates and the register export through the gateway, as the front ends
 * send them, against the real processes, a real database and queue, and a real SMTP listener:
 * attendance is refused before the event starts, recorded after it, emailed as certificates
 * (a PDF each, once ever, however often the register is corrected), and exported as CSV.
 */
import { Client } from 'pg';
import type { ReceivedMail } from '../support/mailbox';
import { codes, contractOperation, startTestStack, type TestStack } from '../support/stack';
import { at, createPublishedEvent as publishEvent, DAY, HOUR } from '../support/training';

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const RECORD_ATTENDANCE = contractOperation('training.graphql', 'RecordAttendance');
const EVENT_REGISTER = contractOperation('training.graphql', 'EventRegister');
const REGISTER_CSV = `query RegisterCsv($id: ID!) { event(id: $id) { id registerCsv } }`;


const SCHOOL_A = '920001';
const SCHOOL_B = '920002';
// A job title as a malicious or careless booker might type it: it must reach the CSV as text.
const FORMULA_JOB_TITLE = '=HYPERLINK("http://evil.example","Click")';

type Place = { id: string; delegateName: string; delegateEmail: string; status: string };

let stack: TestStack;
let db: Client;
let trainingAdmin: string;
let sendco: string;
let eventId: string;
/** Places on the event by delegate's first name. */
const places: Record<string, Place> = {};
let references: Record<string, string>;

const isCertificate = (m: ReceivedMail) => m.parsed!.attachments.some((a) => a.contentType === 'application/pdf');
const certificatesTo = (email: string) => stack.mailbox.to(email).filter(isCertificate);
const statusesOf = (result: Place[]) => Object.fromEntries(result.map((p) => [p.delegateName, p.status]));

async function createPublishedEvent(overrides: Record<string, unknown> = {}) {
  const { id, workshops } = await publishEvent(stack, trainingAdmin, {
    title: 'SEND Live: phase transfer',
    category: 'CONFERENCE',
    startsAt: at(30 * DAY),
    endsAt: at(30 * DAY + 6 * HOUR),
    format: 'IN_PERSON',
    venue: { name: 'County Hall', address: 'New Road, Oxford', postcode: 'OX1 1ND' },
    capacity: 4,
    cpdHours: 2.5,
    workshops: [
      { title: 'Primary phase', phase: 'PRIMARY', capacity: 2 },
      { title: 'Secondary phase', phase: 'SECONDARY', capacity: 2 },
    ],
    ...overrides,
  });
  return { id, workshops: Object.fromEntries(workshops.map((w) => [w.title, w.id])) };
}

async function book(schoolUrn: string, token: string, delegates: Record<string, unknown>[]) {
  const booked = await stack.gql(BOOK_EVENT, { input: { eventId, schoolUrn, delegates } }, token);
  expect(booked.errors).toBeUndefined();
  for (const place of booked.data.bookEvent.places as Place[]) places[place.delegateName.split(' ')[0]] = place;
  return booked.data.bookEvent.reference as string;
}

const recordAttendance = (attended: string[], token = trainingAdmin) => stack.gql(RECORD_ATTENDANCE, { eventId, attendedPlaceIds: attended.map((name) => places[name].id) }, token);

/** Certificate emails recorded in the training outbox so far: what the worker was asked to send. */
async function certificateJobsRecorded(): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM training.outbox WHERE job_name = 'cpd-certificate'`);
  return rows[0].n;
}

beforeAll(async () => {
  stack = await startTestStack('attendance');
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  trainingAdmin = await stack.token('TRAINING_ADMIN', { email: 'training.team@example.org' });
  sendco = await stack.token('SENDCO', { schoolUrn: SCHOOL_A, email: 'sendco@school-a.example.org' });
  const schools = [
    { urn: SCHOOL_A, name: 'Oakfield Primary', phase: 'PRIMARY' },
    { urn: SCHOOL_B, name: 'Riverside Academy', phase: 'SECONDARY' },
  ];
  expect((await stack.gql(UPSERT_SCHOOLS, { schools }, await stack.token('ADMIN'))).errors).toBeUndefined();

  const event = await createPublishedEvent();
  eventId = event.id;
  const referenceA = await book(SCHOOL_A, sendco, [
    { name: 'Asha Patel', email: 'asha@school-a.example.org', jobTitle: 'SENDCO', dietaryRequirements: 'Vegetarian', workshopId: event.workshops['Primary phase'] },
    { name: 'Ben Okafor', email: 'ben@school-a.example.org', workshopId: event.workshops['Secondary phase'] },
    { name: 'Łucja Wiśniewska', email: 'lucja@school-a.example.org', jobTitle: FORMULA_JOB_TITLE, accessRequirements: 'Step-free access', workshopId: event.workshops['Primary phase'] },
  ]);
  const sendcoB = await stack.token('SENDCO', { schoolUrn: SCHOOL_B, email: 'sendco@school-b.example.org' });
  const referenceB = await book(SCHOOL_B, sendcoB, [
    { name: 'Dev Sharma', email: 'dev@school-b.example.org', workshopId: event.workshops['Secondary phase'] },
    { name: 'Eve Jones', email: 'eve@school-b.example.org', workshopId: event.workshops['Primary phase'] },
  ]);
  references = { Asha: referenceA, Ben: referenceA, Łucja: referenceA, Dev: referenceB, Eve: referenceB };
  expect(Object.fromEntries(Object.entries(places).map(([name, p]) => [name, p.status]))).toEqual({
    Asha: 'CONFIRMED',
    Ben: 'CONFIRMED',
    Łucja: 'CONFIRMED',
    Dev: 'CONFIRMED',
    Eve: 'WAITLISTED', // the primary workshop is full
  });
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

describe('before the event', () => {
  it('refuses to record attendance until the event has started, naming eventId', async () => {
    const early = await recordAttendance(['Asha']);
    expect(codes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.errors![0].extensions!.fields).toEqual([expect.objectContaining({ field: 'eventId', message: expect.stringMatching(/has not started/) })]);
  });

  it('lets only the training team record attendance', async () => {
    expect(codes(await recordAttendance(['Asha'], sendco))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(RECORD_ATTENDANCE, { eventId, attendedPlaceIds: [places.Asha.id] }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('after the event has started', () => {
  beforeAll(async () => {
    // Bookings close when an event starts, so the event was booked while it was still to come.
    // Now it "takes place": the test moves its start and end into the past in this test file's own
    // database (a fresh one per file), as the passing of time would. Nothing else is changed.
    const moved = await db.query(`UPDATE training.event SET starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour' WHERE id = $1`, [eventId]);
    expect(moved.rowCount).toBe(1);
  });

  it('refuses a list naming a place that is not a confirmed place of this event, and changes nothing', async () => {
    const other = await createPublishedEvent({ title: 'Another session', workshops: [] });
    const elsewhere = await stack.gql(BOOK_EVENT, { input: { eventId: other.id, schoolUrn: SCHOOL_A, delegates: [{ name: 'Asha Patel', email: 'asha@school-a.example.org' }] } }, sendco);
    const cases = [
      [places.Asha.id, places.Eve.id], // on the waiting list
      [places.Asha.id, elsewhere.data.bookEvent.places[0].id], // another event's place
      [places.Asha.id, '00000000-0000-4000-8000-000000000000'], // no such place
      [places.Asha.id, 'not-a-place'],
    ];
    for (const attendedPlaceIds of cases) {
      const refused = await stack.gql(RECORD_ATTENDANCE, { eventId, attendedPlaceIds }, trainingAdmin);
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0].extensions!.fields).toEqual([{ field: 'attendedPlaceIds', message: expect.stringMatching(/^item 2 /) }]);
    }
    const register = await stack.gql(EVENT_REGISTER, { id: eventId }, trainingAdmin);
    expect(statusesOf(register.data.event.places)).toEqual({
      'Asha Patel': 'CONFIRMED',
      'Ben Okafor': 'CONFIRMED',
      'Łucja Wiśniewska': 'CONFIRMED',
      'Dev Sharma': 'CONFIRMED',
      'Eve Jones': 'WAITLISTED',
    });
    expect(await certificateJobsRecorded()).toBe(0);
  });

  it('answers NOT_FOUND for an unknown event', async () => {
    const unknown = await stack.gql(RECORD_ATTENDANCE, { eventId: '00000000-0000-4000-8000-000000000000', attendedPlaceIds: [] }, trainingAdmin);
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('marks the listed places ATTENDED and the other confirmed places NO_SHOW, leaving the waiting list alone', async () => {
    const recorded = await recordAttendance(['Asha', 'Łucja']);
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data.recordAttendance).toEqual([
      { id: places.Asha.id, status: 'ATTENDED' },
      { id: places.Ben.id, status: 'NO_SHOW' },
      { id: places.Łucja.id, status: 'ATTENDED' },
      { id: places.Dev.id, status: 'NO_SHOW' },
    ]);
    const register = await stack.gql(EVENT_REGISTER, { id: eventId }, trainingAdmin);
    expect(statusesOf(register.data.event.places)).toEqual({
      'Asha Patel': 'ATTENDED',
      'Ben Okafor': 'NO_SHOW',
      'Łucja Wiśniewska': 'ATTENDED',
      'Dev Sharma': 'NO_SHOW',
      'Eve Jones': 'WAITLISTED',
    });
    // The register is taken, so the event is over: COMPLETED, and no longer offered for booking.
    const after = await stack.gql(`query($id: ID!) { event(id: $id) { status bookingOpen } }`, { id: eventId }, trainingAdmin);
    expect(after.data.event).toEqual({ status: 'COMPLETED', bookingOpen: false });
  });

  it('emails each attendee a CPD certificate as a PDF, with text and HTML parts, and nobody else', async () => {
    for (const [name, email] of [
      ['Asha Patel', 'asha@school-a.example.org'],
      ['Łucja Wiśniewska', 'lucja@school-a.example.org'],
    ]) {
      await stack.mailbox.waitFor(() => certificatesTo(email).length >= 1, `the certificate to ${email}`);
      const [mail] = certificatesTo(email);
      expect(mail.envelopeTo).toEqual([email]);
      expect(mail.subject).toMatch(/^Your CPD certificate: SEND Live: phase transfer on \w+,? \d{1,2} \w+ \d{4}$/);
      for (const body of [mail.text, mail.html]) {
        expect(body).toContain(name);
        expect(body).toContain('2.5 hours');
        expect(body).toContain('Primary phase');
        expect(body).toMatch(/CPD-\d{6}/);
      }
      const pdfs = mail.parsed!.attachments.filter((a) => a.contentType === 'application/pdf');
      expect(pdfs).toHaveLength(1);
      expect(pdfs[0].filename).toMatch(/^cpd-certificate-CPD-\d{6}\.pdf$/);
      expect(pdfs[0].content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfs[0].filename).toContain(/CPD-\d{6}/.exec(mail.text)![0]);
    }
    expect(await certificateJobsRecorded()).toBe(2);
    expect(certificatesTo('ben@school-a.example.org')).toEqual([]);
    expect(certificatesTo('dev@school-b.example.org')).toEqual([]);
    expect(certificatesTo('eve@school-b.example.org')).toEqual([]);
  });

  it('changes nothing and sends no second certificate when the same register is sent again', async () => {
    const again = await recordAttendance(['Asha', 'Łucja', 'Asha']);
    expect(again.errors).toBeUndefined();
    expect(again.data.recordAttendance).toEqual([
      { id: places.Asha.id, status: 'ATTENDED' },
      { id: places.Ben.id, status: 'NO_SHOW' },
      { id: places.Łucja.id, status: 'ATTENDED' },
      { id: places.Dev.id, status: 'NO_SHOW' },
    ]);
    expect(await certificateJobsRecorded()).toBe(2);
  });

  it('corrects attendance either way, certifying a new attendee once and nobody twice', async () => {
    // Ben did come after all, Łucja did not.
    const corrected = await recordAttendance(['Asha', 'Ben']);
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.recordAttendance).toEqual(expect.arrayContaining([{ id: places.Ben.id, status: 'ATTENDED' }, { id: places.Łucja.id, status: 'NO_SHOW' }]));
    await stack.mailbox.waitFor(() => certificatesTo('ben@school-a.example.org').length >= 1, "Ben's certificate");

    // …and Łucja did after all: back to ATTENDED, but she already has her certificate.
    const back = await recordAttendance(['Asha', 'Ben', 'Łucja']);
    expect(back.data.recordAttendance).toEqual(expect.arrayContaining([{ id: places.Łucja.id, status: 'ATTENDED' }]));
    expect(await certificateJobsRecorded()).toBe(3);

    // The outbox says no more were asked for; give the worker a moment to prove none went anyway.
    await new Promise((r) => setTimeout(r, 2000));
    expect(certificatesTo('asha@school-a.example.org')).toHaveLength(1);
    expect(certificatesTo('ben@school-a.example.org')).toHaveLength(1);
    expect(certificatesTo('lucja@school-a.example.org')).toHaveLength(1);
    expect(certificatesTo('dev@school-b.example.org')).toHaveLength(0);
  });

  it('records every change in the audit log, by whom', async () => {
    const { rows } = await db.query(`SELECT action, actor FROM training.audit_log WHERE subject_type = 'place' AND subject_id = $1`, [places.Łucja.id]);
    expect(rows.map((r) => r.action).sort()).toEqual(['place.attended', 'place.attended', 'place.certificate_issued', 'place.confirmed', 'place.no_show'].sort());
    expect(rows.filter((r) => r.action !== 'place.confirmed').every((r) => r.actor === 'training_admin-council')).toBe(true);
    const events = await db.query(`SELECT count(*)::int AS n FROM training.audit_log WHERE subject_id = $1 AND action = 'event.attendance_recorded'`, [eventId]);
    expect(events.rows[0].n).toBe(3); // the first register and two corrections; the repeat changed nothing
    const completed = await db.query(`SELECT count(*)::int AS n FROM training.audit_log WHERE subject_id = $1 AND action = 'event.completed'`, [eventId]);
    expect(completed.rows[0].n).toBe(1);
  });
});

describe('the register as CSV', () => {
  it('gives the training team every place in register order, RFC 4180, with formulas defused', async () => {
    const result = await stack.gql(REGISTER_CSV, { id: eventId }, trainingAdmin);
    expect(result.errors).toBeUndefined();
    const csv: string = result.data.event.registerCsv;
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.split('\r\n').slice(0, -1);
    expect(lines).toEqual([
      'Booking reference,Delegate name,Email,Job title,School URN,Workshop,Status,Access requirements,Dietary requirements',
      `${references.Asha},Asha Patel,asha@school-a.example.org,SENDCO,${SCHOOL_A},Primary phase,ATTENDED,,Vegetarian`,
      `${references.Ben},Ben Okafor,ben@school-a.example.org,,${SCHOOL_A},Secondary phase,ATTENDED,,`,
      `${references.Łucja},Łucja Wiśniewska,lucja@school-a.example.org,"'=HYPERLINK(""http://evil.example"",""Click"")",${SCHOOL_A},Primary phase,ATTENDED,Step-free access,`,
      `${references.Dev},Dev Sharma,dev@school-b.example.org,,${SCHOOL_B},Secondary phase,NO_SHOW,,`,
      `${references.Eve},Eve Jones,eve@school-b.example.org,,${SCHOOL_B},Primary phase,WAITLISTED,,`,
    ]);
  });

  it('is for the training team (and ADMIN) only', async () => {
    const admin = await stack.gql(REGISTER_CSV, { id: eventId }, await stack.token('ADMIN'));
    expect(admin.errors).toBeUndefined();
    const refused = await stack.gql(REGISTER_CSV, { id: eventId }, sendco);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(refused)).not.toContain('asha@school-a.example.org');
    expect(codes(await stack.gql(REGISTER_CSV, { id: eventId }))).toEqual(['UNAUTHENTICATED']);
  });
});
