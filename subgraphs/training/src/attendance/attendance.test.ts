import { AppError } from '@sendco/errors';
import { PlaceStatus } from '../bookings/place-status';
import { EventStatus } from '../events/event.enums';
import { checkAttendanceOpen, decideAttendance, MAX_ATTENDEES } from './attendance';

const { CONFIRMED, WAITLISTED, CANCELLED, ATTENDED, NO_SHOW } = PlaceStatus;
const place = (id: string, status: PlaceStatus) => ({ id, status });
const none = new Set<string>();

describe('decideAttendance', () => {
  it('marks listed confirmed places ATTENDED and the other confirmed places NO_SHOW, with a certificate for each attendee', () => {
    const places = [place('a', CONFIRMED), place('b', CONFIRMED), place('c', CONFIRMED)];
    expect(decideAttendance(places, ['a', 'c'], none)).toEqual({
      changes: [
        { placeId: 'a', from: CONFIRMED, to: ATTENDED },
        { placeId: 'b', from: CONFIRMED, to: NO_SHOW },
        { placeId: 'c', from: CONFIRMED, to: ATTENDED },
      ],
      certify: ['a', 'c'],
      problems: [],
    });
  });

  it('changes nothing and certifies no one when the same list is sent again', () => {
    const places = [place('a', ATTENDED), place('b', NO_SHOW)];
    expect(decideAttendance(places, ['a'], new Set(['a']))).toEqual({ changes: [], certify: [], problems: [] });
  });

  it('corrects an attendee to NO_SHOW without a certificate, and back again without a second one', () => {
    const certified = new Set(['a']);
    expect(decideAttendance([place('a', ATTENDED)], [], certified)).toEqual({ changes: [{ placeId: 'a', from: ATTENDED, to: NO_SHOW }], certify: [], problems: [] });
    expect(decideAttendance([place('a', NO_SHOW)], ['a'], certified)).toEqual({ changes: [{ placeId: 'a', from: NO_SHOW, to: ATTENDED }], certify: [], problems: [] });
  });

  it('certifies a NO_SHOW corrected to ATTENDED who never had a certificate', () => {
    expect(decideAttendance([place('b', NO_SHOW)], ['b'], none).certify).toEqual(['b']);
  });

  it('certifies an attendee who somehow has no certificate yet, without changing their status', () => {
    expect(decideAttendance([place('a', ATTENDED)], ['a'], none)).toEqual({ changes: [], certify: ['a'], problems: [] });
  });

  it('leaves waiting-list and cancelled places alone', () => {
    const places = [place('a', CONFIRMED), place('w', WAITLISTED), place('x', CANCELLED)];
    expect(decideAttendance(places, [], none)).toEqual({ changes: [{ placeId: 'a', from: CONFIRMED, to: NO_SHOW }], certify: [], problems: [] });
  });

  it('marks everyone NO_SHOW for an empty list (nobody came)', () => {
    const decision = decideAttendance([place('a', CONFIRMED), place('b', CONFIRMED)], [], none);
    expect(decision.changes.map((c) => c.to)).toEqual([NO_SHOW, NO_SHOW]);
  });

  it('counts an id listed twice once', () => {
    expect(decideAttendance([place('a', CONFIRMED)], ['a', 'a'], none)).toEqual({ changes: [{ placeId: 'a', from: CONFIRMED, to: ATTENDED }], certify: ['a'], problems: [] });
  });

  it('refuses the whole list, naming attendedPlaceIds, when an item is not a confirmed place of this event', () => {
    const places = [place('a', CONFIRMED), place('w', WAITLISTED), place('x', CANCELLED)];
    const decision = decideAttendance(places, ['a', 'elsewhere', 'w', 'x'], none);
    expect(decision.changes).toEqual([]);
    expect(decision.certify).toEqual([]);
    expect(decision.problems).toEqual([
      { field: 'attendedPlaceIds', message: 'item 2 is not a place on this event' },
      { field: 'attendedPlaceIds', message: 'item 3 is a waiting-list place: only confirmed places can be marked as attended' },
      { field: 'attendedPlaceIds', message: 'item 4 is a cancelled place: only confirmed places can be marked as attended' },
    ]);
  });

  it('refuses a list longer than any event', () => {
    const ids = Array.from({ length: MAX_ATTENDEES + 1 }, (_, i) => `p${i}`);
    expect(decideAttendance([], ids, none).problems).toEqual([{ field: 'attendedPlaceIds', message: `must list at most ${MAX_ATTENDEES} places` }]);
  });
});

describe('checkAttendanceOpen', () => {
  const startsAt = new Date('2026-03-16T09:30:00Z');
  const codeOf = (fn: () => void) => {
    try {
      fn();
      return undefined;
    } catch (error) {
      return error instanceof AppError ? { code: error.code, details: error.details } : error;
    }
  };

  it('allows recording from the moment the event starts, and long after', () => {
    expect(codeOf(() => checkAttendanceOpen({ status: EventStatus.PUBLISHED, startsAt }, startsAt))).toBeUndefined();
    expect(codeOf(() => checkAttendanceOpen({ status: EventStatus.COMPLETED, startsAt }, new Date('2026-06-01T00:00:00Z')))).toBeUndefined();
  });

  it('refuses before the event starts, naming eventId', () => {
    expect(codeOf(() => checkAttendanceOpen({ status: EventStatus.PUBLISHED, startsAt }, new Date('2026-03-16T09:29:59Z')))).toEqual({
      code: 'BAD_USER_INPUT',
      details: { fields: [{ field: 'eventId', message: 'has not started yet: attendance can be recorded from 2026-03-16T09:30:00.000Z' }] },
    });
  });

  it('refuses a cancelled or never-published event as a CONFLICT', () => {
    const later = new Date('2026-04-01T00:00:00Z');
    expect(codeOf(() => checkAttendanceOpen({ status: EventStatus.CANCELLED, startsAt }, later))).toMatchObject({ code: 'CONFLICT' });
    expect(codeOf(() => checkAttendanceOpen({ status: EventStatus.DRAFT, startsAt }, later))).toMatchObject({ code: 'CONFLICT' });
  });
});
