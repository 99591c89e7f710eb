/**
 * The booking lifecycle through the gateway: the 200-delegate rush on a conference with
 * workshops, cancellations that promote the waiting list in order, delegate swaps, capacity
 * raised by the training team, a cancelled event, reminders, and a delegate's own places.
 * Emails are asserted as received by a real SMTP listener.
 */
import { codes, contractOperation, startTestStack, type TestStack } from '../support/stack';
import type { ReceivedMail } from '../support/mailbox';
import { at, createPublishedEvent as publishEvent, DAY, HOUR } from '../support/training';

const EVENTS = contractOperation('training.graphql', 'Events');
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const CANCEL_PLACE = contractOperation('training.graphql', 'CancelPlace');
const CANCEL_EVENT = contractOperation('training.graphql', 'CancelEvent');
const EVENT_REGISTER = contractOperation('training.graphql', 'EventRegister');
const SWAP_DELEGATE = `mutation SwapDelegate($placeId: ID!, $delegate: DelegateInput!) { swapDelegate(placeId: $placeId, delegate: $delegate) { id delegateName delegateEmail status } }`;
const UPDATE_CAPACITY = `mutation UpdateEventCapacity($id: ID!, $capacity: Int, $workshops: [WorkshopCapacityInput!]) { updateEventCapacity(id: $id, capacity: $capacity, workshops: $workshops) { id capacity placesLeft waitlistLength } }`;
const MY_PLACES = `query MyPlaces { myPlaces { id status delegateEmail event { id title } } }`;


type Place = { id: string; delegateName: string; delegateEmail: string; status: string; workshop?: { id: string; title: string } | null };

let stack: TestStack;
let trainingAdmin: string;

beforeAll(async () => {
  stack = await startTestStack('lifecycle');
  trainingAdmin = await stack.token('TRAINING_ADMIN', { email: 'training.team@example.org' });
  const urns = [...Array.from({ length: 200 }, (_, i) => 940000 + i), ...Array.from({ length: 10 }, (_, i) => 950000 + i)];
  const schools = urns.map((urn) => ({ urn: String(urn), name: `School ${urn}`, phase: 'PRIMARY' }));
  const upserted = await stack.gql(contractOperation('directory.graphql', 'UpsertSchools'), { schools }, await stack.token('ADMIN'));
  expect(upserted.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

function createPublishedEvent(overrides: Record<string, unknown> = {}) {
  return publishEvent(stack, trainingAdmin, {
    title: 'Preparing for Ofsted',
    category: 'PREPARING_FOR_OFSTED',
    summary: 'What inspectors look for.',
    startsAt: at(30 * DAY),
    endsAt: at(30 * DAY + 3 * HOUR),
    format: 'IN_PERSON',
    venue: { name: 'County Hall', address: 'New Road, Oxford', postcode: 'OX1 1ND' },
    capacity: 10,
    cpdHours: 3,
    ...overrides,
  });
}

function sendcoOf(urn: string) {
  return stack.token('SENDCO', { schoolUrn: urn, email: `sendco@${urn}.example.org` });
}

async function book(eventId: string, urn: string, delegates: Record<string, unknown>[]): Promise<Place[]> {
  const result = await stack.gql(BOOK_EVENT, { input: { eventId, schoolUrn: urn, delegates } }, await sendcoOf(urn));
  expect(result.errors).toBeUndefined();
  return result.data.bookEvent.places;
}

// The contract's register plus each place's workshop.
const REGISTER_WITH_WORKSHOPS = `query Register($id: ID!) { event(id: $id) { places { id delegateName delegateEmail status workshop { id title } school { urn name } } } }`;

async function register(eventId: string): Promise<Place[]> {
  const result = await stack.gql(REGISTER_WITH_WORKSHOPS, { id: eventId }, trainingAdmin);
  expect(result.errors).toBeUndefined();
  return result.data.event.places;
}

async function eventFigures(title: string) {
  const found = await stack.gql(EVENTS, { filter: { text: title } });
  return found.data.events.edges[0].node;
}

const mailTo = (address: string): ReceivedMail[] => stack.mailbox.messages.filter((m) => m.envelopeTo.includes(address));

describe('the SEND Live rush: 200 concurrent bookings on a 40-place conference with two 20-place workshops', () => {
  let eventId: string;
  let primary: string;
  let secondary: string;
  const delegateEmail = (i: number) => `delegate${i}@rush.example.org`;

  beforeAll(async () => {
    const event = await createPublishedEvent({
      title: 'SEND Live rush',
      category: 'CONFERENCE',
      capacity: 40,
      workshops: [
        { title: 'Primary workshop', phase: 'PRIMARY', capacity: 20 },
        { title: 'Secondary workshop', phase: 'SECONDARY', capacity: 20 },
      ],
    });
    eventId = event.id;
    [primary, secondary] = event.workshops.map((w) => w.id);
    const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => sendcoOf(String(940000 + i))));
    const results = await Promise.all(
      tokens.map((token, i) =>
        stack.gql(
          BOOK_EVENT,
          { input: { eventId, schoolUrn: String(940000 + i), delegates: [{ name: `Delegate ${i}`, email: delegateEmail(i), workshopId: i % 2 ? secondary : primary }] } },
          token,
        ),
      ),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
  });

  it('confirms exactly 40, 20 per workshop, and puts the other 160 on the waiting list', async () => {
    const places = await register(eventId);
    expect(places).toHaveLength(200);
    const count = (status: string, workshop?: string) => places.filter((p) => p.status === status && (!workshop || p.workshop?.id === workshop)).length;
    expect(count('CONFIRMED')).toBe(40);
    expect(count('CONFIRMED', primary)).toBe(20);
    expect(count('CONFIRMED', secondary)).toBe(20);
    expect(count('WAITLISTED')).toBe(160);
    expect(await eventFigures('SEND Live rush')).toMatchObject({ placesLeft: 0, waitlistLength: 160 });
    // Every delegate has been told where they stand.
    await stack.mailbox.waitFor((all) => all.filter((m) => m.envelopeTo.some((t) => t.endsWith('@rush.example.org'))).length >= 200, '200 delegate emails', 120_000);
    const subjects = stack.mailbox.messages.filter((m) => m.envelopeTo.some((t) => t.endsWith('@rush.example.org'))).map((m) => m.subject.split(':')[0]);
    expect(subjects.filter((s) => s === 'Place confirmed')).toHaveLength(40);
    expect(subjects.filter((s) => s === 'On the waiting list')).toHaveLength(160);
  });

  it('gives freed places to the longest-waiting delegates of the same workshop, in order, and emails them', async () => {
    const before = await register(eventId); // queue order
    const confirmedPrimary = before.filter((p) => p.status === 'CONFIRMED' && p.workshop?.id === primary);
    const waitingPrimary = before.filter((p) => p.status === 'WAITLISTED' && p.workshop?.id === primary);
    const toCancel = confirmedPrimary.slice(0, 3);

    // One by one, as schools would: each freed place goes to the next in the queue.
    for (const place of toCancel) {
      const urn = String(940000 + Number(place.delegateEmail.match(/delegate(\d+)@/)![1]));
      const cancelled = await stack.gql(CANCEL_PLACE, { id: place.id, reason: 'Staff illness' }, await sendcoOf(urn));
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data.cancelPlace.status).toBe('CANCELLED');
    }

    const after = new Map((await register(eventId)).map((p) => [p.id, p.status]));
    expect(waitingPrimary.slice(0, 3).map((p) => after.get(p.id))).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED']);
    expect(waitingPrimary.slice(3).every((p) => after.get(p.id) === 'WAITLISTED')).toBe(true);
    // Nobody from the other workshop moved: its places were all still taken.
    expect([...after.values()].filter((s) => s === 'CONFIRMED')).toHaveLength(40);
    expect(await eventFigures('SEND Live rush')).toMatchObject({ placesLeft: 0, waitlistLength: 157 });

    for (const promoted of waitingPrimary.slice(0, 3)) {
      const [mail] = await stack.mailbox.waitFor((all) => all.some((m) => m.envelopeTo.includes(promoted.delegateEmail) && /^Off the waiting list/.test(m.subject)), 'promotion email').then(() =>
        mailTo(promoted.delegateEmail).filter((m) => /^Off the waiting list/.test(m.subject)),
      );
      expect(mail.calendars[0]).toContain('METHOD:REQUEST');
      expect(mail.calendars[0]).toContain(`UID:place-${promoted.id}@sendco-hub`);
    }
    for (const cancelled of toCancel) {
      await stack.mailbox.waitFor((all) => all.some((m) => m.envelopeTo.includes(cancelled.delegateEmail) && /^Place cancelled/.test(m.subject)), 'cancellation email');
      const [mail] = mailTo(cancelled.delegateEmail).filter((m) => /^Place cancelled/.test(m.subject));
      expect(mail.text).toContain('Reason given: Staff illness');
      expect(mail.calendars[0]).toContain('METHOD:CANCEL');
      expect(mail.calendars[0]).toContain(`UID:place-${cancelled.id}@sendco-hub`);
      expect(mail.calendars[0]).toContain('SEQUENCE:1');
    }
  });

  it('lets the training team raise a workshop and the event, promoting the next in line', async () => {
    const waitingSecondary = (await register(eventId)).filter((p) => p.status === 'WAITLISTED' && p.workshop?.id === secondary);
    const raised = await stack.gql(UPDATE_CAPACITY, { id: eventId, capacity: 42, workshops: [{ workshopId: secondary, capacity: 22 }] }, trainingAdmin);
    expect(raised.errors).toBeUndefined();
    expect(raised.data.updateEventCapacity).toMatchObject({ capacity: 42, placesLeft: 0, waitlistLength: 155 });
    const after = new Map((await register(eventId)).map((p) => [p.id, p.status]));
    expect(waitingSecondary.slice(0, 3).map((p) => after.get(p.id))).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED']);
    const sendco = await sendcoOf('940001');
    expect(codes(await stack.gql(UPDATE_CAPACITY, { id: eventId, capacity: 100 }, sendco))).toEqual(['FORBIDDEN']);
  });
});

describe('changing a place', () => {
  it("refuses another school's staff, and the school after the cancellation deadline; the training team may still cancel", async () => {
    const { id } = await createPublishedEvent({ title: 'Deadline passed', cancellationDeadline: at(-HOUR) });
    const [place] = await book(id, '950001', [{ name: 'Dee Late', email: 'dee@950001.example.org' }]);
    expect(codes(await stack.gql(CANCEL_PLACE, { id: place.id }, await sendcoOf('950002')))).toEqual(['FORBIDDEN']);
    const late = await stack.gql(CANCEL_PLACE, { id: place.id }, await sendcoOf('950001'));
    expect(codes(late)).toEqual(['FORBIDDEN']);
    expect(late.errors![0].message).toMatch(/deadline has passed/);
    expect(codes(await stack.gql(CANCEL_PLACE, { id: place.id }))).toEqual(['UNAUTHENTICATED']);
    expect((await stack.gql(CANCEL_PLACE, { id: place.id, reason: 'Agreed by phone' }, trainingAdmin)).data.cancelPlace.status).toBe('CANCELLED');
    // Again: nothing more happens.
    expect((await stack.gql(CANCEL_PLACE, { id: place.id }, trainingAdmin)).data.cancelPlace.status).toBe('CANCELLED');
    await stack.mailbox.waitForCount('dee@950001.example.org', 2); // confirmation, then one cancellation
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Exactly these two. Emails are separate jobs sent concurrently, so their order is not
    // promised (calendars order by SEQUENCE, which the cancellation raises).
    expect(mailTo('dee@950001.example.org').map((m) => m.subject.split(':')[0]).sort()).toEqual(['Place cancelled', 'Place confirmed']);
    expect(codes(await stack.gql(CANCEL_PLACE, { id: '00000000-0000-4000-8000-000000000000' }, trainingAdmin))).toEqual(['NOT_FOUND']);
  });

  it('keeps a history of every change to a place, for the training team only', async () => {
    const { id } = await createPublishedEvent({ title: 'History session', capacity: 1 });
    const [first, second] = await book(id, '950007', [
      { name: 'Hana First', email: 'hana@950007.example.org' },
      { name: 'Ivo Second', email: 'ivo@950007.example.org' },
    ]);
    await stack.gql(CANCEL_PLACE, { id: first.id, reason: 'Clash with moderation' }, await sendcoOf('950007'));
    const HISTORY = `query History($id: ID!) { event(id: $id) { history { action } places { id history { action actor at details } } } }`;
    const seen = await stack.gql(HISTORY, { id }, trainingAdmin);
    expect(seen.errors).toBeUndefined();
    const byPlace = new Map(seen.data.event.places.map((p: { id: string; history: { action: string; actor: string; details: string }[] }) => [p.id, p.history]));
    const firstHistory = byPlace.get(first.id) as { action: string; actor: string; details: string }[];
    expect(firstHistory.map((h) => h.action)).toEqual(['place.confirmed', 'place.cancelled']);
    expect(firstHistory[1].actor).toBe('sendco-950007');
    expect(JSON.parse(firstHistory[1].details)).toMatchObject({ reason: 'Clash with moderation', wasConfirmed: true });
    expect((byPlace.get(second.id) as { action: string }[]).map((h) => h.action)).toEqual(['place.waitlisted', 'place.promoted']);
    expect(seen.data.event.history.map((h: { action: string }) => h.action)).toEqual(['event.created', 'event.published']);

    const SCHOOL_VIEW = `query($urn: ID!) { school(urn: $urn) { bookings { places { id history { action } } } } }`;
    expect(codes(await stack.gql(SCHOOL_VIEW, { urn: '950007' }, await sendcoOf('950007')))).toContain('FORBIDDEN');
  });

  it("copies the school's SENDCO on the summary when a colleague books", async () => {
    const { id } = await createPublishedEvent({ title: 'Summary copy session' });
    const staff = await stack.token('SCHOOL_STAFF', { schoolUrn: '950008', email: 'office@950008.example.org', name: 'School Office' });
    const booked = await stack.gql(
      BOOK_EVENT,
      { input: { eventId: id, schoolUrn: '950008', sendco: { name: 'Sara Sendco', email: 'sara@950008.example.org' }, delegates: [{ name: 'Tia Teacher', email: 'tia@950008.example.org' }] } },
      staff,
    );
    expect(booked.errors).toBeUndefined();
    const [own] = await stack.mailbox.waitForCount('office@950008.example.org', 1);
    const [copy] = await stack.mailbox.waitForCount('sara@950008.example.org', 1);
    expect(own.text).toContain('Thank you for booking places on Summary copy session');
    expect(copy.text).toContain('A colleague has booked places for your school on Summary copy session');
    expect(copy.text).toContain('Tia Teacher');
  });

  it('swaps a delegate: the new one gets the invitation, the old one a cancellation, one calendar UID', async () => {
    const { id } = await createPublishedEvent({ title: 'Swap session' });
    const [place] = await book(id, '950003', [{ name: 'Old Delegate', email: 'old@950003.example.org' }]);
    const swapped = await stack.gql(SWAP_DELEGATE, { placeId: place.id, delegate: { name: 'New Delegate', email: 'New@950003.example.org' } }, await sendcoOf('950003'));
    expect(swapped.errors).toBeUndefined();
    expect(swapped.data.swapDelegate).toMatchObject({ delegateName: 'New Delegate', delegateEmail: 'new@950003.example.org', status: 'CONFIRMED' });

    const [invite] = await stack.mailbox.waitForCount('new@950003.example.org', 1);
    expect(invite.subject).toMatch(/^Place confirmed: Swap session/);
    expect(invite.calendars[0]).toContain('METHOD:REQUEST');
    expect(invite.calendars[0]).toContain(`UID:place-${place.id}@sendco-hub`);
    expect(invite.calendars[0]).toContain('SEQUENCE:1');
    const oldMail = await stack.mailbox.waitForCount('old@950003.example.org', 2);
    const cancellation = oldMail.find((m) => /^Place cancelled/.test(m.subject))!;
    expect(cancellation.text).toContain('passed to a colleague');
    expect(cancellation.calendars[0]).toContain('METHOD:CANCEL');
    expect(cancellation.calendars[0]).toContain(`UID:place-${place.id}@sendco-hub`);

    // Someone already booked on the event cannot be swapped in twice.
    const [other] = await book(id, '950003', [{ name: 'Third', email: 'third@950003.example.org' }]);
    expect(codes(await stack.gql(SWAP_DELEGATE, { placeId: other.id, delegate: { name: 'New Delegate', email: 'new@950003.example.org' } }, trainingAdmin))).toEqual(['CONFLICT']);
  });

  it("shows delegates their own upcoming places, and nobody else's", async () => {
    const { id } = await createPublishedEvent({ title: 'My places session' });
    await book(id, '950004', [{ name: 'Mo Mine', email: 'mo@950004.example.org' }]);
    const mo = await stack.token('SCHOOL_STAFF', { schoolUrn: '950004', email: 'mo@950004.example.org' });
    const mine = await stack.gql(MY_PLACES, {}, mo);
    expect(mine.data.myPlaces).toEqual([expect.objectContaining({ status: 'CONFIRMED', delegateEmail: 'mo@950004.example.org', event: { id, title: 'My places session' } })]);
    const someoneElse = await stack.token('SCHOOL_STAFF', { schoolUrn: '950004', email: 'someone@950004.example.org' });
    expect((await stack.gql(MY_PLACES, {}, someoneElse)).data.myPlaces).toEqual([]);
    expect(codes(await stack.gql(MY_PLACES, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('cancelling an event', () => {
  it('cancels every active place, emails each delegate, and closes booking', async () => {
    const { id } = await createPublishedEvent({ title: 'Event to cancel', capacity: 1 });
    const [confirmed, waiting] = await book(id, '950005', [
      { name: 'Cat Confirmed', email: 'cat@950005.example.org' },
      { name: 'Wes Waiting', email: 'wes@950005.example.org' },
    ]);
    expect([confirmed.status, waiting.status]).toEqual(['CONFIRMED', 'WAITLISTED']);
    expect(codes(await stack.gql(CANCEL_EVENT, { id, reason: 'x' }, await sendcoOf('950005')))).toEqual(['FORBIDDEN']);
    const cancelled = await stack.gql(CANCEL_EVENT, { id, reason: 'Trainer unavailable' }, trainingAdmin);
    expect(cancelled.data.cancelEvent.status).toBe('CANCELLED');
    const contractRegister = await stack.gql(EVENT_REGISTER, { id }, trainingAdmin);
    expect(contractRegister.data.event.places.map((p: Place & { school: { name: string } }) => [p.status, p.school.name])).toEqual([
      ['CANCELLED', 'School 950005'],
      ['CANCELLED', 'School 950005'],
    ]);

    for (const [address, withCalendar] of [['cat@950005.example.org', true], ['wes@950005.example.org', false]] as const) {
      await stack.mailbox.waitFor((all) => all.some((m) => m.envelopeTo.includes(address) && /^Event cancelled/.test(m.subject)), 'event cancellation');
      const mail = mailTo(address).find((m) => /^Event cancelled/.test(m.subject))!;
      expect(mail.text).toContain('Trainer unavailable');
      expect(mail.calendars.some((c) => c.includes('METHOD:CANCEL'))).toBe(withCalendar);
    }
    const again = await stack.gql(BOOK_EVENT, { input: { eventId: id, schoolUrn: '950005', delegates: [{ name: 'Late', email: 'late@950005.example.org' }] } }, await sendcoOf('950005'));
    expect(codes(again)).toEqual(['BOOKING_CLOSED']);
  });
});

describe('moving an event', () => {
  it('sends confirmed delegates the new details with an updated invitation (same UID, next sequence)', async () => {
    const { id } = await createPublishedEvent({ title: 'Moving session', capacity: 1 });
    const [confirmed, waiting] = await book(id, '950009', [
      { name: 'Mia Moved', email: 'mia@950009.example.org' },
      { name: 'Noa Waiting', email: 'noa@950009.example.org' },
    ]);
    const RESCHEDULE = `mutation($id: ID!, $input: RescheduleEventInput!) { rescheduleEvent(id: $id, input: $input) { id startsAt venue { name } } }`;
    const newStart = new Date(Date.now() + 40 * DAY);
    newStart.setUTCHours(13, 0, 0, 0);
    const input = { startsAt: newStart.toISOString(), endsAt: new Date(newStart.getTime() + 2 * HOUR).toISOString(), venue: { name: 'Abingdon Library', postcode: 'OX14 3JE' } };
    expect(codes(await stack.gql(RESCHEDULE, { id, input }, await sendcoOf('950009')))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(RESCHEDULE, { id, input: { endsAt: at(-DAY) } }, trainingAdmin))).toEqual(['BAD_USER_INPUT']);
    const moved = await stack.gql(RESCHEDULE, { id, input }, trainingAdmin);
    expect(moved.errors).toBeUndefined();
    expect(moved.data.rescheduleEvent).toMatchObject({ startsAt: newStart.toISOString(), venue: { name: 'Abingdon Library' } });

    await stack.mailbox.waitFor((all) => all.some((m) => m.envelopeTo.includes('mia@950009.example.org') && /^Event details changed/.test(m.subject)), 'update email');
    const update = mailTo('mia@950009.example.org').find((m) => /^Event details changed/.test(m.subject))!;
    expect(update.text).toContain('Abingdon Library');
    expect(update.calendars[0]).toContain('METHOD:REQUEST');
    expect(update.calendars[0]).toContain(`UID:place-${confirmed.id}@sendco-hub`);
    expect(update.calendars[0]).toContain('SEQUENCE:1');
    // The waiting delegate has no invitation to update.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailTo('noa@950009.example.org').some((m) => /^Event details changed/.test(m.subject))).toBe(false);
    expect(waiting.status).toBe('WAITLISTED');
  });
});

describe('reminders', () => {
  it('reminds confirmed delegates when due, and not a cancelled place', async () => {
    // Due 5 seconds from now: the event starts 1 hour and 5 seconds ahead, reminders 1 hour before.
    const { id } = await createPublishedEvent({ title: 'Reminder session', startsAt: at(HOUR + 5000), endsAt: at(2 * HOUR), reminderHoursBefore: 1 });
    const [kept, dropped] = await book(id, '950006', [
      { name: 'Kim Kept', email: 'kim@950006.example.org' },
      { name: 'Dan Dropped', email: 'dan@950006.example.org' },
    ]);
    expect((await stack.gql(CANCEL_PLACE, { id: dropped.id }, await sendcoOf('950006'))).data.cancelPlace.status).toBe('CANCELLED');

    await stack.mailbox.waitFor((all) => all.some((m) => m.envelopeTo.includes('kim@950006.example.org') && /^Reminder:/.test(m.subject)), 'reminder', 60_000);
    const reminder = mailTo('kim@950006.example.org').find((m) => /^Reminder:/.test(m.subject))!;
    expect(reminder.text).toContain('Reminder session');
    expect(reminder.text).toContain('County Hall');
    // Both reminders fell due together; give the cancelled one time to (wrongly) arrive.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(mailTo('dan@950006.example.org').some((m) => /^Reminder:/.test(m.subject))).toBe(false);
    expect(mailTo('kim@950006.example.org').filter((m) => /^Reminder:/.test(m.subject))).toHaveLength(1);
    expect(kept.status).toBe('CONFIRMED');
  });
});
