import { applyClinicUpdate, assertBookable, changesForAttendees, checkClinicDetails, placesLeft, type ClinicDetails } from './clinic-rules';
import { ClinicMode, ClinicStatus } from './clinic.enums';

const now = new Date('2026-03-01T09:00:00Z');
const faceToFace: ClinicDetails = {
  theme: 'Sensory processing',
  description: 'A clinic',
  mode: ClinicMode.FACE_TO_FACE,
  location: { name: 'Sensory Room', address: null, postcode: 'OX1 1AA' },
  joiningUrl: null,
  startsAt: new Date('2026-03-10T15:00:00Z'),
  endsAt: new Date('2026-03-10T16:30:00Z'),
  capacity: 10,
  contactEmail: 'clinics@special.example.org',
  bookingQuestions: [],
};
const online: ClinicDetails = { ...faceToFace, mode: ClinicMode.ONLINE, location: null, joiningUrl: 'https://meet.example.org/x' };
const fields = (details: ClinicDetails) => checkClinicDetails(details, now).map((p) => p.field);

describe('checkClinicDetails', () => {
  it('accepts a face-to-face clinic with a location and an online one with a link', () => {
    expect(fields(faceToFace)).toEqual([]);
    expect(fields(online)).toEqual([]);
  });

  it('refuses a clinic in the past, or one that ends before it starts', () => {
    expect(fields({ ...faceToFace, startsAt: new Date('2026-02-28T09:00:00Z'), endsAt: new Date('2026-02-28T10:00:00Z') })).toEqual(['startsAt']);
    expect(fields({ ...faceToFace, startsAt: now, endsAt: new Date('2026-03-01T10:00:00Z') })).toEqual(['startsAt']);
    expect(fields({ ...faceToFace, endsAt: faceToFace.startsAt })).toEqual(['endsAt']);
  });

  it('wants the location or the link that the mode needs, and not the other', () => {
    expect(fields({ ...faceToFace, location: null })).toEqual(['location']);
    expect(fields({ ...faceToFace, joiningUrl: 'https://meet.example.org/x' })).toEqual(['joiningUrl']);
    expect(fields({ ...online, joiningUrl: null })).toEqual(['joiningUrl']);
    expect(fields({ ...online, location: faceToFace.location })).toEqual(['location']);
  });

  it('checks the booking form too', () => {
    expect(fields({ ...online, bookingQuestions: [{ key: 'bad key', label: 'x', required: true, type: 'SHORT_TEXT' as never }] })).toEqual(['bookingQuestions.0.key']);
  });
});

describe('applyClinicUpdate', () => {
  it('keeps what the edit does not name', () => {
    expect(applyClinicUpdate(faceToFace, {})).toEqual(faceToFace);
    expect(applyClinicUpdate(faceToFace, { capacity: 20 })).toEqual({ ...faceToFace, capacity: 20 });
  });

  it('drops the old location when a clinic moves online, and the old link when it moves to a room', () => {
    expect(applyClinicUpdate(faceToFace, { mode: ClinicMode.ONLINE, joiningUrl: 'https://meet.example.org/y' })).toMatchObject({ location: null, joiningUrl: 'https://meet.example.org/y' });
    expect(applyClinicUpdate(online, { mode: ClinicMode.FACE_TO_FACE, location: { name: ' Hall ', postcode: 'ox2 2bb' } })).toMatchObject({
      joiningUrl: null,
      location: { name: 'Hall', address: null, postcode: 'OX2 2BB' },
    });
    // Naming the same mode again changes nothing else.
    expect(applyClinicUpdate(online, { mode: ClinicMode.ONLINE })).toEqual(online);
  });
});

describe('changesForAttendees', () => {
  it('is true for when, where and what, false for capacity and the form', () => {
    expect(changesForAttendees(faceToFace, { ...faceToFace, startsAt: new Date('2026-03-11T15:00:00Z') })).toBe(true);
    expect(changesForAttendees(faceToFace, { ...faceToFace, location: { name: 'Hall', address: null, postcode: null } })).toBe(true);
    expect(changesForAttendees(online, { ...online, joiningUrl: 'https://meet.example.org/new' })).toBe(true);
    expect(changesForAttendees(faceToFace, { ...faceToFace, capacity: 30 })).toBe(false);
    expect(changesForAttendees(faceToFace, { ...faceToFace, bookingQuestions: [{ key: 'a', label: 'A', required: false, type: 'YES_NO' as never }] })).toBe(false);
  });
});

describe('capacity and booking', () => {
  it('never shows fewer than 0 places left', () => {
    expect(placesLeft(10, 3)).toBe(7);
    expect(placesLeft(10, 10)).toBe(0);
    expect(placesLeft(5, 8)).toBe(0);
  });

  it('closes booking for a cancelled clinic and once a clinic has started', () => {
    const clinic = { status: ClinicStatus.SCHEDULED, startsAt: faceToFace.startsAt };
    expect(() => assertBookable(clinic, now)).not.toThrow();
    expect(() => assertBookable({ ...clinic, status: ClinicStatus.CANCELLED }, now)).toThrow(expect.objectContaining({ code: 'BOOKING_CLOSED' }));
    expect(() => assertBookable(clinic, faceToFace.startsAt)).toThrow(/already taken place/);
  });
});
