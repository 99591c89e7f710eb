import type { BulletinItem, UpcomingEntry } from '../bulletins/bulletin.entity';
import { audienceOf, digestSlot, digestTitle, planDigests } from './digest-rules';

const item = (heading: string, topic: string | null = null): BulletinItem => ({ heading, body: 'x', bodyHtml: '<p>x</p>', bodyText: 'x', topic, link: null });
const event = (key: string): UpcomingEntry => ({ key, kind: 'training', title: key, startsAt: '2026-12-01T09:00:00Z', placesLeft: 3 });
const headings = (editions: ReturnType<typeof planDigests>) => Object.fromEntries(editions.map((e) => [e.audience.join('+') || '(all)', e.items.map((i) => i.heading)]));

describe('planDigests', () => {
  it('skips a week with no bulletin and nothing new coming up', () => {
    expect(planDigests([], [event('training:a')], ['training:a'], [[]])).toEqual([]);
    expect(planDigests([], [], [], [[], ['a']])).toEqual([]);
  });

  it('sends when a bulletin went out, with its items marked by where they came from', () => {
    const editions = planDigests([{ title: 'Autumn news', topics: [], items: [item('Panel dates')] }], [], [], [[]]);
    expect(editions).toEqual([{ audience: [], items: [{ ...item('Panel dates'), heading: 'Panel dates (from “Autumn news”)' }], issueCount: 1 }]);
  });

  it('sends for a newly listed event even without a bulletin, to every reader', () => {
    expect(planDigests([], [event('training:a'), event('clinic:b')], ['training:a'], [['a'], []])).toEqual([
      { audience: ['a'], items: [], issueCount: 0 },
      { audience: [], items: [], issueCount: 0 },
    ]);
  });

  it("gives each reader only the items of their topics (the item's own, else its bulletin's), and skips readers with none", () => {
    const issues = [
      { title: 'Mixed', topics: [], items: [item('A news', 'a'), item('B news', 'b'), item('For all')] },
      { title: 'Only C', topics: ['c'], items: [item('C news')] },
    ];
    const editions = planDigests(issues, [], [], [['b', 'a'], ['a', 'b'], ['a'], ['c'], [], ['d']]);
    expect(headings(editions)).toEqual({
      'a+b': ['A news (from “Mixed”)', 'B news (from “Mixed”)', 'For all (from “Mixed”)'],
      a: ['A news (from “Mixed”)', 'For all (from “Mixed”)'],
      c: ['For all (from “Mixed”)', 'C news (from “Only C”)'],
      d: ['For all (from “Mixed”)'],
      '(all)': ['A news (from “Mixed”)', 'B news (from “Mixed”)', 'For all (from “Mixed”)', 'C news (from “Only C”)'],
    });
    // Without the item for everyone, 'd' has nothing that week: no digest for them.
    expect(planDigests(issues.slice(1), [], [], [['d'], ['c']]).map((e) => e.audience)).toEqual([['c']]);
    expect(editions.find((e) => e.audience.join() === 'c')!.issueCount).toBe(2);
  });

  it('treats a reader’s topics as a set', () => expect(audienceOf(['b', 'a', 'b'])).toEqual(['a', 'b']));
});

describe('digestSlot', () => {
  it("is the scheduler's planned time when the job carries it", () => {
    expect(digestSlot('0 7 * * 1', new Date('2026-11-30T07:00:02Z'), Date.parse('2026-11-30T07:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
  });

  it('is otherwise the latest time the cron names at or before now, in UK time', () => {
    // Monday 30 November 2026, 07:00 GMT; on Thursday 3 December the latest slot is still that Monday.
    expect(digestSlot('0 7 * * 1', new Date('2026-12-03T10:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(digestSlot('0 7 * * 1', new Date('2026-11-30T07:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    // British Summer Time: 07:00 in London is 06:00 UTC.
    expect(digestSlot('0 7 * * 1', new Date('2026-06-10T12:00:00Z')).toISOString()).toBe('2026-06-08T06:00:00.000Z');
  });
});

describe('digestTitle', () => {
  it('names the week in UK time', () => expect(digestTitle(new Date('2026-11-30T07:00:00Z'))).toBe('SENDCO bulletin: the week to 30 November 2026'));
});
