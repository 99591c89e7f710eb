/**
 * The pupil reference the council asks schools to use: a school-local code, never a name, a date
 * of birth or a national number. Returns hold special-category data about children, so a value
 * that could identify a child outside the school is refused, saying why.
 *
 * The format:
 * - 1 to 20 characters: letters, digits and the separators - _ / . ; at least one digit;
 * - letters (ignoring separators) come in runs of at most two ("Y7", "AB12"), or a run is one of
 *   the prefixes below, in capitals ("EHCP-0042", "ADM/2023/44"): any other run of three or more
 *   letters ("JSMITH07", "SMITH1", "amelia2", "12MAR2015") reads as a name or a date;
 * - no full date (dd/mm/yyyy, dd-mm-yy, yyyy-mm-dd, ddmmyyyy, yyyymmdd, ...);
 * - no UPN (a letter and 12 digits, or 11 and a final letter) and no run of 10 or more digits
 *   (an NHS number is 10).
 */
import { hasFullDate, hasUpn, WHY } from './identifiers';

export const MAX_PUPIL_REFERENCE_LENGTH = 20;

/**
 * The only runs of three or more letters a reference may have: the prefixes schools' MIS and the
 * council's forms put before a number. None is a month abbreviation.
 */
export const PUPIL_REFERENCE_PREFIXES: readonly string[] = ['ADM', 'ADN', 'EHC', 'EHCP', 'MIS', 'PUP', 'REF', 'SEN', 'SEND'];

const EXAMPLES = 'letters and digits, for example P0123, 2024-017 or EHCP-0042';
const LOOKS_LIKE_A_NAME = `looks like a name: use the school's own pupil reference (${EXAMPLES}), never a pupil's name`;

/** Why `ref` cannot be a pupil reference, or undefined when it can. */
export function pupilReferenceProblem(ref: string): string | undefined {
  const value = ref.trim();
  if (!value) return 'is required';
  if (/[\s',’]/.test(value)) return LOOKS_LIKE_A_NAME;
  if (value.length > MAX_PUPIL_REFERENCE_LENGTH) return `must be at most ${MAX_PUPIL_REFERENCE_LENGTH} characters`;
  if (!/^[A-Za-z0-9\-_/.]+$/.test(value)) return 'may contain only letters, digits and - _ / .';
  if (hasFullDate(value)) return `looks like a date: ${WHY.date}; use the school's own pupil reference (${EXAMPLES})`;
  const compact = value.replace(/[-_/.]/g, '');
  if (hasUpn(compact)) return `looks like a UPN: ${WHY.upn}; use the school's own pupil reference (${EXAMPLES})`;
  if (/\d{10}/.test(compact)) return `has 10 or more digits in a row, the shape of a UPN or NHS number: use the school's own pupil reference (${EXAMPLES})`;
  if (!/\d/.test(value)) return LOOKS_LIKE_A_NAME;
  const runs = compact.match(/[A-Za-z]{3,}/g) ?? [];
  if (runs.some((run) => !PUPIL_REFERENCE_PREFIXES.includes(run))) {
    return `${LOOKS_LIKE_A_NAME} (three or more letters together are allowed only as the prefixes ${PUPIL_REFERENCE_PREFIXES.join(', ')})`;
  }
  return undefined;
}

/** The stored form: trimmed and upper-cased, so "p0123" and "P0123" are one pupil. */
export function normalisePupilReference(ref: string): string {
  return ref.trim().toUpperCase();
}
