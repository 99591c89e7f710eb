/**
 * The school calendar the demo programme is laid out on: a model of an English county's
 * spring and summer terms, enough to keep the demo's sessions on school days. Easter holidays
 * are modelled as the fortnight of Holy Week and Easter week, the February and May half-terms
 * as the weeks of the third Monday of February and of the spring bank holiday (the last Monday
 * of May), the early May bank holiday as a day off, and the summer holiday as 22 July to
 * 31 August. (Autumn term is not modelled: the programme runs from March to July.)
 *
 * Dates here are calendar days ("2027-04-12"), handled as UTC midnights so no time zone can
 * shift them; `londonTime` turns a day and a wall-clock time into the instant it is in London.
 */

const DAY_MS = 24 * 3600 * 1000;

/** A calendar day as a UTC midnight. */
export function day(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: Date, b: Date): number {
  return Math.round((b.getTime() - a.getTime()) / DAY_MS);
}

/** The Monday of the week `date` is in. */
export function mondayOf(date: Date): Date {
  return addDays(date, -((date.getUTCDay() + 6) % 7));
}

/** Easter Sunday (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, dayOfMonth));
}

/** The Easter holidays: Monday of Holy Week to the Friday after Easter Monday. */
export function easterHolidays(year: number): { first: Date; last: Date } {
  const easter = easterSunday(year);
  return { first: addDays(easter, -6), last: addDays(easter, 5) };
}

/** The `n`th Monday (1-based) of a month, or with n = -1 the last. */
function nthMonday(year: number, monthIndex: number, n: number): Date {
  if (n === -1) {
    const last = new Date(Date.UTC(year, monthIndex + 1, 0));
    return mondayOf(last);
  }
  const first = new Date(Date.UTC(year, monthIndex, 1));
  const firstMonday = addDays(first, (8 - first.getUTCDay()) % 7);
  return addDays(firstMonday, 7 * (n - 1));
}

function within(date: Date, first: Date, last: Date): boolean {
  return date.getTime() >= first.getTime() && date.getTime() <= last.getTime();
}

/** A weekday in term time (see the model above). */
export function isSchoolDay(date: Date): boolean {
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const year = date.getUTCFullYear();
  const februaryHalfTerm = nthMonday(year, 1, 3);
  const mayHalfTerm = nthMonday(year, 4, -1);
  const easter = easterHolidays(year);
  const closed: [Date, Date][] = [
    [februaryHalfTerm, addDays(februaryHalfTerm, 4)],
    [easter.first, easter.last],
    [nthMonday(year, 4, 1), nthMonday(year, 4, 1)],
    [mayHalfTerm, addDays(mayHalfTerm, 4)],
    [new Date(Date.UTC(year, 6, 22)), new Date(Date.UTC(year, 7, 31))],
  ];
  return !closed.some(([first, last]) => within(date, first, last));
}

/** `date` if it is a school day, else the next one. */
export function nextSchoolDay(date: Date): Date {
  let candidate = date;
  while (!isSchoolDay(candidate)) candidate = addDays(candidate, 1);
  return candidate;
}

const LONDON_WALL_CLOCK = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The instant a London wall-clock time ("09:30") falls on a calendar day, in GMT or BST. */
export function londonTime(date: Date, time: string): Date {
  const wall = `${isoDate(date)} ${time}`;
  const format = LONDON_WALL_CLOCK;
  for (const offset of ['+01:00', '+00:00']) {
    const candidate = new Date(`${isoDate(date)}T${time}:00${offset}`);
    if (format.format(candidate).replace(',', '') === wall) return candidate;
  }
  throw new Error(`${wall} does not exist in London`);
}
