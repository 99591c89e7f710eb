/**
 * The shapes that identify a child whatever field they are written in: a full date (a date of
 * birth is one), a Unique Pupil Number, an NHS number. Used by the pupil reference rule and by
 * the free-text screen, so both refuse the same things for the same reasons.
 *
 * UPN (DfE, "Unique Pupil Numbers" guidance): 13 characters, a check letter then 12 digits (LA
 * number 3, establishment number 4, year of allocation 2, serial 3); a temporary UPN ends with a
 * letter instead of the last digit. NHS numbers are 10 digits, usually written 3-3-4 (a run of 10
 * digits starting 0 is left alone: that is a UK telephone number).
 */

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

const DAY = '(?<d>0?[1-9]|[12]\\d|3[01])';
const DAY2 = '(?<d2>0?[1-9]|[12]\\d|3[01])';
const MONTH = '(?<m>0?[1-9]|1[0-2])';
const YEAR4 = '(?<y>19\\d\\d|20\\d\\d)';
const SEP = '(?<sep>[-/.])';
/** A month by name or its usual abbreviation (Sept too). */
const MONTH_NAME = `(?<mn>${MONTHS.map((m) => (m === 'May' ? 'May' : `${m.slice(0, 3)}(?:${m.slice(3)})?`)).join('|')}|Sept)\\.?`;

/** Full dates, each with its year in the group `y` (two or four digits). */
const FULL_DATES = [
  // dd/mm/yyyy, mm/dd/yyyy, dd-mm-yy, d.m.yyyy
  new RegExp(`(?<!\\d)${DAY}${SEP}${DAY2}\\k<sep>(?<y>\\d{4}|\\d{2})(?!\\d)`, 'g'),
  // yyyy-mm-dd, yyyy/m/d
  new RegExp(`(?<!\\d)${YEAR4}${SEP}${MONTH}\\k<sep>${DAY}(?!\\d)`, 'g'),
  // ddmmyyyy and yyyymmdd: eight digits in a row
  new RegExp(`(?<!\\d)(?<d>0[1-9]|[12]\\d|3[01])(?<m>0[1-9]|1[0-2])${YEAR4}(?!\\d)`, 'g'),
  new RegExp(`(?<!\\d)${YEAR4}(?<m>0[1-9]|1[0-2])(?<d>0[1-9]|[12]\\d|3[01])(?!\\d)`, 'g'),
  // "12 March 2015", "12th of Mar 2015", "12-Mar-15"
  new RegExp(`(?<![\\p{L}\\d])${DAY}(?:st|nd|rd|th)?[\\s-]+(?:of\\s+)?${MONTH_NAME},?[\\s-]+'?(?<y>\\d{4}|\\d{2})(?![\\p{L}\\d])`, 'giu'),
  // "March 12, 2015"
  new RegExp(`(?<![\\p{L}\\d])${MONTH_NAME}\\s+${DAY}(?:st|nd|rd|th)?,?\\s+${YEAR4}(?![\\p{L}\\d])`, 'giu'),
];
/** Words that announce a date of birth even without the date. */
const BIRTH_WORDS = /(?<![\p{L}])(d\.?o\.?b\b\.?|date of birth|birth ?date|birthday|born (on|in))/iu;

const UPN = /(?<![\p{L}\d])[A-Z]\d{11}[A-Z\d](?![\p{L}\d])/iu;
const NHS_NUMBER = /(?<![\d])[1-9]\d{2}[ -]?\d{3}[ -]?\d{4}(?!\d)/;

/** The years (four digits) of the full dates (day, month and year) in `text`, however written. */
export function yearsOfFullDates(text: string, now: Date = new Date()): number[] {
  const century = Math.floor(now.getUTCFullYear() / 100) * 100;
  const thisYear = now.getUTCFullYear() % 100;
  return FULL_DATES.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => {
      const y = Number(match.groups!.y);
      if (match.groups!.y.length === 4) return y;
      return y <= thisYear ? century + y : century - 100 + y;
    }),
  );
}

export function hasFullDate(text: string): boolean {
  return yearsOfFullDates(text).length > 0;
}

/** Children and young people with SEND are 0 to 25: a date in those years, but not in the last two, may be a date of birth. */
export const BIRTH_YEARS_BACK = { from: 3, to: 26 } as const;

/**
 * True when `text` has a full date in a year someone aged up to 25 could have been born in,
 * leaving out the last two years (the dates of recent reports and reviews), or words that
 * announce a date of birth ("DOB", "born on").
 */
export function mayGiveDateOfBirth(text: string, now: Date = new Date()): boolean {
  if (BIRTH_WORDS.test(text)) return true;
  const year = now.getUTCFullYear();
  return yearsOfFullDates(text, now).some((y) => y <= year - BIRTH_YEARS_BACK.from && y >= year - BIRTH_YEARS_BACK.to);
}

/** True when `text` holds something in the shape of a UPN (with or without a temporary final letter). */
export function hasUpn(text: string): boolean {
  return UPN.test(text);
}

export function hasNhsNumber(text: string): boolean {
  return NHS_NUMBER.test(text);
}

export const WHY = {
  date: 'a date of birth identifies a child (give the year group instead)',
  upn: "a UPN (a letter and 12 digits) identifies a child nationally and must not leave the school's MIS",
  nhs: 'an NHS number identifies a child nationally',
} as const;
