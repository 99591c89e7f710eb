import type { Principal } from '@sendco/auth';
import { checkMayChangePlace, checkPlaceChange } from './place-changes.service';
import { PlaceStatus } from './place-status';

const now = new Date('2027-01-10T12:00:00Z');
const event = { startsAt: new Date('2027-01-20T09:30:00Z'), cancellationDeadline: new Date('2027-01-13T17:00:00Z') };
const place = { schoolUrn: '900001', status: PlaceStatus.CONFIRMED };
const sendco: Principal = { sub: 's', roles: ['SENDCO'], schoolUrn: '900001' };
const otherSchool: Principal = { sub: 'o', roles: ['SENDCO'], schoolUrn: '900002' };
const trainingTeam: Principal = { sub: 't', roles: ['TRAINING_ADMIN'] };
const officer: Principal = { sub: 'c', roles: ['COUNCIL_OFFICER'] };
const afterDeadline = new Date('2027-01-14T09:00:00Z');
const afterStart = new Date('2027-01-20T10:00:00Z');

describe('checkPlaceChange', () => {
  it("lets the school's staff cancel or swap before the deadline", () => {
    expect(() => checkPlaceChange(sendco, place, event, 'cancel', now)).not.toThrow();
    expect(() => checkPlaceChange({ ...sendco, roles: ['SCHOOL_STAFF'] }, place, event, 'swap', now)).not.toThrow();
  });

  it("refuses another school's staff and council roles other than the training team", () => {
    expect(() => checkMayChangePlace(otherSchool, place)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => checkMayChangePlace(officer, place)).toThrow(/own school/);
    expect(() => checkMayChangePlace(sendco, place)).not.toThrow();
    expect(() => checkMayChangePlace(trainingTeam, place)).not.toThrow();
  });

  it('after the cancellation deadline only the training team may cancel; the school may still swap', () => {
    expect(() => checkPlaceChange(sendco, place, event, 'cancel', afterDeadline)).toThrow(/deadline has passed/);
    expect(() => checkPlaceChange(sendco, place, event, 'cancel', event.cancellationDeadline)).toThrow(/deadline has passed/); // at the deadline itself
    expect(() => checkPlaceChange(trainingTeam, place, event, 'cancel', afterDeadline)).not.toThrow();
    expect(() => checkPlaceChange(sendco, place, event, 'swap', afterDeadline)).not.toThrow();
  });

  it('without a deadline the school may cancel until the event starts', () => {
    const noDeadline = { ...event, cancellationDeadline: null };
    expect(() => checkPlaceChange(sendco, place, noDeadline, 'cancel', new Date('2027-01-20T09:29:00Z'))).not.toThrow();
    expect(() => checkPlaceChange(sendco, place, noDeadline, 'cancel', afterStart)).toThrow(/has started/);
    expect(() => checkPlaceChange(sendco, place, noDeadline, 'swap', afterStart)).toThrow(/has started/);
  });

  it('changes only active places (confirmed or waiting), for everyone', () => {
    expect(() => checkPlaceChange(sendco, { ...place, status: PlaceStatus.WAITLISTED }, event, 'cancel', now)).not.toThrow();
    for (const status of [PlaceStatus.ATTENDED, PlaceStatus.NO_SHOW, PlaceStatus.CANCELLED]) {
      expect(() => checkPlaceChange(trainingTeam, { ...place, status }, event, 'cancel', now)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    }
  });
});
