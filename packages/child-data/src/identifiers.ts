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

const DAY = '(0?[1-9]|[12]\\d|3[01])';
const MONTH = '(0?[1-9]|1[0-2])';
const YEAR4 = '(19\\d\\d|20\\d\\d)';
const SEP = '[-/.]';
/** A month by name or its usual abbreviation (Sept too). */
const MONTH_NAME = `(?:${MONTHS.map((m) => (m === 'May' ? 'May' : `${m.slice(0, 3)}(?:${m.slice(3)})?`)).join('|')}|Sept)\\.?`;

/** Numeric full dates: dd/mm/yyyy, mm/dd/yyyy, dd-mm-yy, d.m.yyyy, yyyy-mm-dd, yyyy/mm/dd. */
const NUMERIC_DATES = [
  new RegExp(`(?<!\\d)${DAY}(${SEP})${DAY}\\2(\\d{4}|\\d{2})(?!\\d)`),
  new RegExp(`(?<!\\d)${YEAR4}(${SEP})${MONTH}\\2${DAY}(?!\\d)`),
];
/** Eight digits in a row that read as ddmmyyyy or yyyymmdd. */
const COMPACT_DATES = [new RegExp(`(?<!\\d)(0[1-9]|[12]\\d|3[01])(0[1-9]|1[0-2])${YEAR4}(?!\\d)`), new RegExp(`(?<!\\d)${YEAR4}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(?!\\d)`)];
/** Dates in words: "12 March 2015", "12th of Mar 2015", "March 12, 2015", "12-Mar-2015". */
const WORDED_DATES = [
  new RegExp(`(?<![\\p{L}\\d])${DAY}(?:st|nd|rd|th)?[\\s-]+(?:of\\s+)?${MONTH_NAME},?[\\s-]+(\\d{4}|'?\\d{2})(?![\\p{L}\\d])`, 'iu'),
  new RegExp(`(?<![\\p{L}\\d])${MONTH_NAME}\\s+${DAY}(?:st|nd|rd|th)?,?\\s+(\\d{4})(?![\\p{L}\\d])`, 'iu'),
];
/** Words that announce a date of birth even without the date. */
const BIRTH_WORDS = /(?<![\p{L}])(d\.?o\.?b\b\.?|date of birth|birth ?date|birthday|born (on|in))/iu;

const UPN = /(?<![\p{L}\d])[A-Z]\d{11}[A-Z\d](?![\p{L}\d])/iu;
const NHS_NUMBER = /(?<![\d])[1-9]\d{2}[ -]?\d{3}[ -]?\d{4}(?!\d)/;

/** True when `text` holds a full date (day, month and year) in any common way of writing one. */
export function hasFullDate(text: string): boolean {
  return [...NUMERIC_DATES, ...COMPACT_DATES, ...WORDED_DATES].some((pattern) => pattern.test(text));
}

export function mentionsBirth(text: string): boolean {
  return BIRTH_WORDS.test(text);
}

/** True when `text` holds something in the shape of a UPN (with or without a temporary final letter). */
export function hasUpn(text: string): boolean {
  return UPN.test(text);
}

export function hasNhsNumber(text: string): boolean {
  return NHS_NUMBER.test(text);
}

export const WHY = {
  date: 'a date of birth identifies a child (give the year group; write other dates as a month and year, "March 2025")',
  upn: "a UPN (a letter and 12 digits) identifies a child nationally and must not leave the school's MIS",
  nhs: 'an NHS number identifies a child nationally',
} as const;
