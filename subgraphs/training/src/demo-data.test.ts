import { addDays, day, easterHolidays, isoDate, isSchoolDay } from './demo-calendar';
import { BRIEFING_YEAR, comingProgrammeYear, demoProgramme, PROGRAMME, runDay } from './demo-data';
import { EventStatus } from './events/event.enums';

const TITLES = [
  'Preparation for Adulthood (PFA)',
  'School-age Phase Transfer',
  'SEND Live',
  'Post-16 Phase Transfer',
  'SENDCO Essentials: Preparing for Ofsted',
  'SENDCO Essentials: Preparing for Ofsted part 2 – workshopping questions',
];
const titleOf = (title: string) => title.replace(/ \d{4}$/, '');
const london = (instant: Date) => instant.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'short' });

describe('demoProgramme', () => {
  it("is the briefing's programme on the briefing's dates when started before it ran", () => {
    const events = demoProgramme(day('2026-02-12'));
    expect(events.map((e) => [titleOf(e.title), london(e.startsAt), london(e.endsAt), e.status])).toEqual([
      ['Preparation for Adulthood (PFA)', '16/03/2026, 09:30', '16/03/2026, 12:30', 'PUBLISHED'],
      ['School-age Phase Transfer', '20/04/2026, 09:30', '20/04/2026, 12:30', 'PUBLISHED'],
      ['SEND Live', '29/04/2026, 09:00', '29/04/2026, 16:00', 'PUBLISHED'],
      ['Post-16 Phase Transfer', '11/05/2026, 09:30', '11/05/2026, 12:30', 'PUBLISHED'],
      ['SENDCO Essentials: Preparing for Ofsted', '18/05/2026, 09:30', '18/05/2026, 12:30', 'PUBLISHED'],
      ['SENDCO Essentials: Preparing for Ofsted part 2 – workshopping questions', '08/06/2026, 09:30', '08/06/2026, 12:30', 'PUBLISHED'],
    ]);
    const sendLive = events.find((e) => e.title === 'SEND Live 2026')!;
    expect(sendLive.workshops!.map((w) => w.phase)).toEqual(['PRIMARY', 'SECONDARY', 'SPECIAL']);
  });

  it('rolls the whole programme forward to the coming school year, keeping the past runs as history', () => {
    const today = new Date('2026-11-26T10:00:00Z');
    const events = demoProgramme(today);
    const published = events.filter((e) => e.status === EventStatus.PUBLISHED);
    expect(published.map((e) => titleOf(e.title)).sort()).toEqual([...TITLES].sort());
    expect(published.every((e) => e.startsAt.getUTCFullYear() === 2027)).toBe(true);
    expect(published.find((e) => e.title.startsWith('SEND Live'))!.title).toBe('SEND Live 2027');
    const history = events.filter((e) => e.status === EventStatus.COMPLETED);
    expect(history.map((e) => isoDate(e.startsAt))).toEqual(['2026-03-16', '2026-04-20', '2026-04-29', '2026-05-11', '2026-05-18', '2026-06-08']);
    // 2027: Easter holidays 22 March to 2 April; the early May bank holiday (3 May) moves Post-16 to
    // the Tuesday, and the May half-term (31 May) moves part 2 to the Monday after.
    expect(published.map((e) => [titleOf(e.title), isoDate(e.startsAt)])).toEqual([
      ['Preparation for Adulthood (PFA)', '2027-03-08'],
      ['School-age Phase Transfer', '2027-04-12'],
      ['SEND Live', '2027-04-21'],
      ['Post-16 Phase Transfer', '2027-05-04'],
      ['SENDCO Essentials: Preparing for Ofsted', '2027-05-10'],
      ['SENDCO Essentials: Preparing for Ofsted part 2 – workshopping questions', '2027-06-07'],
    ]);
  });

  it('moves to the next year as soon as any session of this one has started', () => {
    expect(comingProgrammeYear(new Date('2027-03-08T09:29:00Z'))).toBe(2027);
    expect(comingProgrammeYear(new Date('2027-03-08T09:30:00Z'))).toBe(2028);
    // Runs of 2027 still ahead then stay bookable, alongside the whole of 2028.
    const events = demoProgramme(new Date('2027-04-01T12:00:00Z'));
    expect(events.filter((e) => e.status === EventStatus.PUBLISHED && e.startsAt.getUTCFullYear() === 2027)).toHaveLength(5);
    expect(events.filter((e) => e.startsAt.getUTCFullYear() === 2028).every((e) => e.status === EventStatus.PUBLISHED)).toBe(true);
  });

  it('always offers the whole programme ahead, with every earlier run as history, whatever the day (weekly, 2026 to 2030)', () => {
    const problems: string[] = [];
    for (let today = day('2026-01-01'); today < day('2031-01-01'); today = addDays(today, 7)) {
      const events = demoProgramme(today);
      const coming = comingProgrammeYear(today);
      const comingRuns = events.filter((e) => e.startsAt.getUTCFullYear() === coming);
      const on = `on ${isoDate(today)}`;
      if (comingRuns.map((e) => titleOf(e.title)).sort().join('|') !== [...TITLES].sort().join('|')) problems.push(`${on}: ${coming} is not the whole programme`);
      if (!comingRuns.every((e) => e.startsAt > today)) problems.push(`${on}: part of ${coming} is not ahead`);
      if (events.length !== PROGRAMME.length * (coming - BRIEFING_YEAR + 1)) problems.push(`${on}: a year of history is missing`);
      for (const e of events) {
        if (e.status !== (e.endsAt <= today ? EventStatus.COMPLETED : EventStatus.PUBLISHED)) problems.push(`${on}: ${e.title} ${isoDate(e.startsAt)} is ${e.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('puts every run on a school day in its term, whatever Easter does (2026 to 2075)', () => {
    const problems: string[] = [];
    for (let year = BRIEFING_YEAR; year <= 2075; year += 1) {
      const holidays = easterHolidays(year);
      for (const item of PROGRAMME) {
        const date = runDay(item, year);
        const spring = item.briefingDate < isoDate(easterHolidays(BRIEFING_YEAR).first);
        if (date.getUTCFullYear() !== year || !isSchoolDay(date)) problems.push(`${item.briefingDate} in ${year}: ${isoDate(date)}, not a school day`);
        if (spring ? date >= holidays.first : date <= holidays.last) problems.push(`${item.briefingDate} in ${year}: ${isoDate(date)}, in the wrong term`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is a function of the day alone', () => {
    const today = new Date('2031-07-01T00:00:00Z');
    expect(demoProgramme(today)).toEqual(demoProgramme(new Date(today)));
    expect(PROGRAMME).toHaveLength(TITLES.length);
  });
});
