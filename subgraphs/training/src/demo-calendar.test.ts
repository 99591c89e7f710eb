import { day, easterHolidays, easterSunday, isoDate, isSchoolDay, londonTime, nextSchoolDay } from './demo-calendar';

describe('the demo school calendar', () => {
  it('knows Easter', () => {
    expect(['2026', '2027', '2030', '2038', '2285'].map((y) => isoDate(easterSunday(Number(y))))).toEqual(['2026-04-05', '2027-03-28', '2030-04-21', '2038-04-25', '2285-03-22']);
  });

  it('closes for the Easter fortnight, the half-terms, the early May bank holiday and the summer', () => {
    // 2026: Easter holidays 30 March to 10 April, as the county's calendar has them.
    expect(easterHolidays(2026)).toEqual({ first: day('2026-03-30'), last: day('2026-04-10') });
    const open = ['2026-03-27', '2026-04-13', '2026-05-05', '2026-05-22', '2026-06-01', '2026-07-21', '2026-02-13', '2026-02-23'];
    const closed = ['2026-03-30', '2026-04-06', '2026-04-10', '2026-05-04', '2026-05-25', '2026-05-29', '2026-07-22', '2026-08-31', '2026-02-16', '2026-02-20', '2026-03-28', '2026-03-29'];
    expect(open.filter((d) => !isSchoolDay(day(d)))).toEqual([]);
    expect(closed.filter((d) => isSchoolDay(day(d)))).toEqual([]);
  });

  it('moves a closed day to the next school day', () => {
    expect(isoDate(nextSchoolDay(day('2026-05-25')))).toBe('2026-06-01');
    expect(isoDate(nextSchoolDay(day('2026-05-04')))).toBe('2026-05-05');
    expect(isoDate(nextSchoolDay(day('2026-06-08')))).toBe('2026-06-08');
  });

  it('turns London wall-clock times into instants in GMT and BST', () => {
    expect(londonTime(day('2026-03-16'), '09:30').toISOString()).toBe('2026-03-16T09:30:00.000Z');
    expect(londonTime(day('2026-04-20'), '09:30').toISOString()).toBe('2026-04-20T08:30:00.000Z');
    expect(londonTime(day('2026-10-26'), '16:00').toISOString()).toBe('2026-10-26T16:00:00.000Z');
    expect(() => londonTime(day('2026-03-29'), '01:30')).toThrow(/does not exist/);
  });
});
