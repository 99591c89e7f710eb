import { PlaceStatus } from '../bookings/place-status';
import { EventStatus } from '../events/event.enums';
import { reminderDecision } from './reminders';

const startsAt = new Date('2027-01-20T09:30:00Z');
const job = { placeId: 'p1', eventStartsAt: startsAt.toISOString() };
const place = { status: PlaceStatus.CONFIRMED, remindedAt: null };
const event = { status: EventStatus.PUBLISHED, startsAt };

describe('reminderDecision', () => {
  it('sends for a confirmed place on a running event at the time it was scheduled for', () => {
    expect(reminderDecision(place, event, job)).toBe('sent');
  });

  it('sends nothing for a cancelled, waiting or attended place', () => {
    for (const status of [PlaceStatus.CANCELLED, PlaceStatus.WAITLISTED, PlaceStatus.ATTENDED, PlaceStatus.NO_SHOW]) {
      expect(reminderDecision({ ...place, status }, event, job)).toBe('place-not-confirmed');
    }
  });

  it('sends nothing for a cancelled or completed event, even to places still marked confirmed', () => {
    expect(reminderDecision(place, { ...event, status: EventStatus.CANCELLED }, job)).toBe('event-not-running');
    expect(reminderDecision(place, { ...event, status: EventStatus.COMPLETED }, job)).toBe('event-not-running');
  });

  it('sends nothing when the event has moved since (its new time has its own reminder)', () => {
    expect(reminderDecision(place, { ...event, startsAt: new Date('2027-01-27T09:30:00Z') }, job)).toBe('event-moved');
  });

  it('sends once: a repeated job finds the place already reminded', () => {
    expect(reminderDecision({ ...place, remindedAt: new Date() }, event, job)).toBe('already-reminded');
  });

  it('sends nothing for a place that no longer exists', () => {
    expect(reminderDecision(null, event, job)).toBe('place-gone');
  });
});
