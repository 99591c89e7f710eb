import type { BulletinItem, UpcomingEntry } from '../bulletins/bulletin.entity';
import { digestTitle, planDigest } from './digest-rules';

const item: BulletinItem = { heading: 'Panel dates', body: 'x', bodyHtml: '<p>x</p>', bodyText: 'x', topic: null, link: null };
const event = (key: string): UpcomingEntry => ({ key, kind: 'training', title: key, startsAt: '2026-12-01T09:00:00Z', placesLeft: 3 });

describe('planDigest', () => {
  it('skips a week with no bulletin and nothing new coming up', () => {
    expect(planDigest([], [event('training:a')], ['training:a'])).toEqual({ send: false });
    expect(planDigest([], [], [])).toEqual({ send: false });
  });

  it('sends when a bulletin went out, with its items marked by where they came from', () => {
    const plan = planDigest([{ title: 'Autumn news', items: [item] }], [], []);
    expect(plan).toEqual({ send: true, items: [{ ...item, heading: 'Panel dates (from “Autumn news”)' }] });
  });

  it('sends for a newly listed event even without a bulletin', () => {
    expect(planDigest([], [event('training:a'), event('clinic:b')], ['training:a'])).toEqual({ send: true, items: [] });
  });
});

describe('digestTitle', () => {
  it('names the week in UK time', () => expect(digestTitle(new Date('2026-11-30T07:00:00Z'))).toBe('SENDCO bulletin: the week to 30 November 2026'));
});
