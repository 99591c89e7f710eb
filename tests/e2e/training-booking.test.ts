/**
 * Booking through the gateway as the front ends do (the contract's own operations), against the
 * real processes, a real database and queue, and a real SMTP listener.
 */
import { codes, contractOperation, startTestStack, type TestStack } from '../support/stack';

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const CREATE_EVENT = contractOperation('training.graphql', 'CreateEvent');
const PUBLISH_EVENT = contractOperation('training.graphql', 'PublishEvent');
const EVENTS = contractOperation('training.graphql', 'Events');
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const EVENT_REGISTER = contractOperation('training.graphql', 'EventRegister');
const SCHOOL_PUBLIC_AND_BOOKINGS = `query SchoolBookings($urn: ID!) { school(urn: $urn) { urn name phase bookings { id reference event { id title startsAt } places { id delegateName status } } } }`;

const DAY = 24 * 3600 * 1000;
const inDays = (days: number, hour = 9) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, 30, 0, 0);
  return d.toISOString();
};

let stack: TestStack;
let admin: string;
let trainingAdmin: string;

const SCHOOLS = Array.from({ length: 32 }, (_, i) => ({
  urn: String(910000 + i),
  name: `Test School ${i}`,
  phase: i % 2 ? 'PRIMARY' : 'SECONDARY',
  ehcpCount: i,
}));

async function createPublishedEvent(overrides: Record<string, unknown> = {}): Promise<string> {
  const input = {
    title: 'Preparing for Ofsted',
    category: 'PREPARING_FOR_OFSTED',
    summary: 'What inspectors look for.',
    startsAt: inDays(30),
    endsAt: inDays(30, 12),
    format: 'IN_PERSON',
    venue: { name: 'County Hall', address: 'New Road, Oxford', postcode: 'OX1 1ND' },
    capacity: 10,
    cpdHours: 3,
    audience: ['PRIMARY', 'SECONDARY'],
    ...overrides,
  };
  const created = await stack.gql(CREATE_EVENT, { input }, trainingAdmin);
  expect(created.errors).toBeUndefined();
  const id = created.data.createEvent.id;
  const published = await stack.gql(PUBLISH_EVENT, { id }, trainingAdmin);
  expect(published.data.publishEvent).toEqual({ id, status: 'PUBLISHED' });
  return id;
}

function bookingInput(eventId: string, schoolUrn: string, delegates: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return { input: { eventId, schoolUrn, delegates, ...extra } };
}

beforeAll(async () => {
  stack = await startTestStack('booking');
  admin = await stack.token('ADMIN');
  trainingAdmin = await stack.token('TRAINING_ADMIN', { email: 'training.team@example.org' });
  const upserted = await stack.gql(UPSERT_SCHOOLS, { schools: SCHOOLS }, admin);
  expect(upserted.errors).toBeUndefined();
  expect(upserted.data.upsertSchools).toHaveLength(SCHOOLS.length);
});

afterAll(async () => {
  await stack?.stop();
});

describe('schools', () => {
  it('lets only ADMIN upsert schools, and names bad fields', async () => {
    const sendco = await stack.token('SENDCO', { schoolUrn: SCHOOLS[0].urn });
    expect(codes(await stack.gql(UPSERT_SCHOOLS, { schools: [SCHOOLS[0]] }, sendco))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(UPSERT_SCHOOLS, { schools: [SCHOOLS[0]] }))).toEqual(['UNAUTHENTICATED']);
    const bad = await stack.gql(UPSERT_SCHOOLS, { schools: [{ ...SCHOOLS[0], urn: '12345' }] }, admin);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.fields).toEqual([expect.objectContaining({ field: 'schools.0.urn' })]);
  });

  it('updates an existing school by URN', async () => {
    const renamed = await stack.gql(UPSERT_SCHOOLS, { schools: [{ ...SCHOOLS[31], name: 'Renamed School', ehcpCount: 40 }] }, admin);
    expect(renamed.data.upsertSchools).toEqual([{ urn: SCHOOLS[31].urn, name: 'Renamed School', phase: SCHOOLS[31].phase, ehcpCount: 40 }]);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await stack.gql(EVENTS, {}, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiQURNSU4iXX0.c2lnbmF0dXJl');
    expect(codes(forged)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('events', () => {
  it('keeps drafts out of the public list until published, and filters', async () => {
    const created = await stack.gql(CREATE_EVENT, {
      input: { title: 'Draft session on sensory processing', category: 'OTHER', startsAt: inDays(40), endsAt: inDays(40, 11), format: 'ONLINE', joiningUrl: 'https://meet.example.org/x', capacity: 5 },
    }, trainingAdmin);
    expect(created.data.createEvent.status).toBe('DRAFT');
    const search = () => stack.gql(EVENTS, { filter: { text: 'sensory processing' } });
    expect((await search()).data.events.totalCount).toBe(0);
    await stack.gql(PUBLISH_EVENT, { id: created.data.createEvent.id }, trainingAdmin);
    const found = (await search()).data.events;
    expect(found.totalCount).toBe(1);
    expect(found.edges[0].node).toMatchObject({ title: 'Draft session on sensory processing', format: 'ONLINE', capacity: 5, placesLeft: 5, waitlistLength: 0, bookingOpen: true, venue: null });
    expect(JSON.stringify(found)).not.toMatch(/meet\.example\.org/);
    expect((await stack.gql(EVENTS, { filter: { text: 'sensory processing', category: 'CONFERENCE' } })).data.events.totalCount).toBe(0);
  });

  it('lets only the training team create events, and says which fields are wrong', async () => {
    const sendco = await stack.token('SENDCO', { schoolUrn: SCHOOLS[0].urn });
    const input = { title: 'x', category: 'OTHER', startsAt: inDays(5), endsAt: inDays(4), format: 'IN_PERSON', capacity: -1 };
    expect(codes(await stack.gql(CREATE_EVENT, { input }, sendco))).toEqual(['FORBIDDEN']);
    const bad = await stack.gql(CREATE_EVENT, { input }, trainingAdmin);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.fields!.map((f) => f.field).sort()).toEqual(['capacity', 'title']);
    const crossField = await stack.gql(CREATE_EVENT, { input: { ...input, title: 'Valid title', capacity: 5 } }, trainingAdmin);
    expect(crossField.errors![0].extensions!.fields!.map((f) => f.field).sort()).toEqual(['endsAt', 'venue']);
  });

  it('pages with stable cursors', async () => {
    await createPublishedEvent({ title: 'Paging one' });
    await createPublishedEvent({ title: 'Paging two' });
    const first = (await stack.gql(EVENTS, { first: 1 })).data.events;
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await stack.gql(EVENTS, { first: 1, after: first.pageInfo.endCursor })).data.events;
    expect(second.edges[0].node.id).not.toBe(first.edges[0].node.id);
    expect(codes(await stack.gql(EVENTS, { first: 1, after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('booking', () => {
  it('confirms delegates, emails each an invitation and the booker a summary', async () => {
    const eventId = await createPublishedEvent({ title: 'Preparation for Adulthood', capacity: 10 });
    const school = SCHOOLS[1];
    const sendco = await stack.token('SENDCO', { schoolUrn: school.urn, email: 'sendco@school1.example.org', name: 'Sam Sendco' });
    const delegates = [
      { name: 'Asha Patel', email: 'asha@school1.example.org', jobTitle: 'SENDCO', dietaryRequirements: 'Vegetarian' },
      { name: 'Ben Okafor', email: 'ben@school1.example.org' },
    ];
    const booked = await stack.gql(BOOK_EVENT, bookingInput(eventId, school.urn, delegates, { idempotencyKey: 'booking-one-key' }), sendco);
    expect(booked.errors).toBeUndefined();
    const booking = booked.data.bookEvent;
    expect(booking.reference).toMatch(/^TRN-[0-9A-Z]{8}$/);
    expect(booking.places.map((p: { status: string }) => p.status)).toEqual(['CONFIRMED', 'CONFIRMED']);

    const [asha] = await stack.mailbox.waitForCount('asha@school1.example.org', 1);
    expect(asha.subject).toMatch(/Preparation for Adulthood/);
    expect(asha.text).toContain('Asha Patel');
    expect(asha.text).toContain(booking.reference);
    expect(asha.html).toContain('County Hall');
    expect(asha.calendars.length).toBeGreaterThan(0);
    expect(asha.calendars[0]).toContain('METHOD:REQUEST');
    expect(asha.calendars[0]).toContain(`UID:place-${booking.places[0].id}@sendco-hub`);
    await stack.mailbox.waitForCount('ben@school1.example.org', 1);
    const [summary] = await stack.mailbox.waitForCount('sendco@school1.example.org', 1);
    expect(summary.text).toContain('Asha Patel');
    expect(summary.text).toContain('Ben Okafor');
    expect(summary.calendars).toEqual([]);

    // The same idempotency key gives the same booking, not a second one.
    const again = await stack.gql(BOOK_EVENT, bookingInput(eventId, school.urn, delegates, { idempotencyKey: 'booking-one-key' }), sendco);
    expect(again.data.bookEvent.id).toBe(booking.id);
    const events = (await stack.gql(EVENTS, { filter: { text: 'Preparation for Adulthood' } })).data.events;
    expect(events.edges[0].node.placesLeft).toBe(8);

    // The same delegate cannot hold two places on one event.
    const twice = await stack.gql(BOOK_EVENT, bookingInput(eventId, school.urn, [delegates[0]]), sendco);
    expect(codes(twice)).toEqual(['CONFLICT']);
  });

  it('lets a school book only for itself and names invalid delegates', async () => {
    const eventId = await createPublishedEvent({ title: 'Phase Transfer', capacity: 5 });
    const staff = await stack.token('SCHOOL_STAFF', { schoolUrn: SCHOOLS[2].urn });
    const otherSchool = await stack.gql(BOOK_EVENT, bookingInput(eventId, SCHOOLS[3].urn, [{ name: 'X', email: 'x@example.org' }]), staff);
    expect(codes(otherSchool)).toEqual(['FORBIDDEN']);
    const anonymous = await stack.gql(BOOK_EVENT, bookingInput(eventId, SCHOOLS[2].urn, [{ name: 'X', email: 'x@example.org' }]));
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const bad = await stack.gql(BOOK_EVENT, bookingInput(eventId, SCHOOLS[2].urn, [{ name: 'Good', email: 'good@example.org' }, { name: 'Bad', email: 'not-an-email' }]), staff);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.fields).toEqual([expect.objectContaining({ field: 'delegates.1.email' })]);
    expect(JSON.stringify(bad)).not.toContain('good@example.org');
    // Nothing was booked by the refused requests.
    const events = (await stack.gql(EVENTS, { filter: { text: 'Phase Transfer' } })).data.events;
    expect(events.edges[0].node.placesLeft).toBe(5);
  });

  it('answers BOOKING_CLOSED for a closed or past event', async () => {
    const sendco = await stack.token('SENDCO', { schoolUrn: SCHOOLS[4].urn });
    const closed = await createPublishedEvent({ title: 'Closed booking', bookingClosesAt: inDays(-1) });
    expect(codes(await stack.gql(BOOK_EVENT, bookingInput(closed, SCHOOLS[4].urn, [{ name: 'A', email: 'a4@example.org' }]), sendco))).toEqual(['BOOKING_CLOSED']);
    const past = await createPublishedEvent({ title: 'Already happened', startsAt: inDays(-3), endsAt: inDays(-3, 12) });
    expect(codes(await stack.gql(BOOK_EVENT, bookingInput(past, SCHOOLS[4].urn, [{ name: 'A', email: 'a4@example.org' }]), sendco))).toEqual(['BOOKING_CLOSED']);
    const listed = (await stack.gql(EVENTS, { filter: { text: 'Already happened' } })).data.events.edges[0].node;
    expect(listed.bookingOpen).toBe(false);
  });

  it('never oversells: 30 concurrent single-place bookings on a 10-place event give 10 CONFIRMED and 20 WAITLISTED', async () => {
    const eventId = await createPublishedEvent({ title: 'Contended session', capacity: 10 });
    const attempts = await Promise.all(
      SCHOOLS.slice(0, 30).map(async (school, i) => {
        const token = await stack.token('SENDCO', { schoolUrn: school.urn, email: `booker${i}@example.org` });
        return stack.gql(BOOK_EVENT, bookingInput(eventId, school.urn, [{ name: `Delegate ${i}`, email: `delegate${i}@contended.example.org` }]), token);
      }),
    );
    expect(attempts.flatMap((a) => a.errors ?? [])).toEqual([]);
    const statuses = attempts.map((a) => a.data.bookEvent.places[0].status);
    expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(20);

    const node = (await stack.gql(EVENTS, { filter: { text: 'Contended session' } })).data.events.edges[0].node;
    expect(node).toMatchObject({ placesLeft: 0, waitlistLength: 20 });

    // The register agrees, in first-come-first-served order, with school names from the directory.
    const register = await stack.gql(EVENT_REGISTER, { id: eventId }, trainingAdmin);
    expect(register.errors).toBeUndefined();
    const places = register.data.event.places;
    expect(places).toHaveLength(30);
    expect(places.slice(0, 10).every((p: { status: string }) => p.status === 'CONFIRMED')).toBe(true);
    expect(places.slice(10).every((p: { status: string }) => p.status === 'WAITLISTED')).toBe(true);
    expect(places[0].school.name).toMatch(/^Test School \d+$/);

    // Each delegate is told the outcome: an invitation or a waiting-list notice.
    await stack.mailbox.waitFor((all) => all.filter((m) => m.envelopeTo.some((t) => t.endsWith('@contended.example.org'))).length >= 30, '30 delegate emails');
    const delegateMail = stack.mailbox.messages.filter((m) => m.envelopeTo.some((t) => t.endsWith('@contended.example.org')));
    expect(delegateMail.filter((m) => m.calendars.some((c) => c.includes('METHOD:REQUEST')))).toHaveLength(10);
    expect(delegateMail.filter((m) => /waiting list/i.test(m.subject))).toHaveLength(20);
  });

  it("shows a school its bookings, and refuses another school's staff", async () => {
    const school = SCHOOLS[1];
    const own = await stack.gql(SCHOOL_PUBLIC_AND_BOOKINGS, { urn: school.urn }, await stack.token('SENDCO', { schoolUrn: school.urn }));
    expect(own.errors).toBeUndefined();
    expect(own.data.school).toMatchObject({ urn: school.urn, name: school.name });
    const pfa = own.data.school.bookings.find((b: { event: { title: string } }) => b.event.title === 'Preparation for Adulthood');
    expect(pfa.places.map((p: { delegateName: string }) => p.delegateName)).toEqual(['Asha Patel', 'Ben Okafor']);

    const other = await stack.gql(SCHOOL_PUBLIC_AND_BOOKINGS, { urn: school.urn }, await stack.token('SENDCO', { schoolUrn: SCHOOLS[2].urn }));
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.data.school).toMatchObject({ urn: school.urn, name: school.name, bookings: null });

    const officer = await stack.gql(SCHOOL_PUBLIC_AND_BOOKINGS, { urn: school.urn }, await stack.token('COUNCIL_OFFICER'));
    expect(officer.data.school.bookings).toHaveLength(own.data.school.bookings.length);

    const register = await stack.gql(EVENT_REGISTER, { id: pfa.event.id }, await stack.token('SENDCO', { schoolUrn: school.urn }));
    expect(codes(register)).toEqual(['FORBIDDEN']);
  });
});
