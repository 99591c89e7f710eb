/**
 * A pupil is identified by the school's own reference (an admission number, a code from the MIS),
 * never by name: returns hold special-category data about children. A reference that looks like
 * a name is refused with a message that says why and what to use instead.
 */

export const MAX_PUPIL_REF_LENGTH = 20;

const LOOKS_LIKE_A_NAME =
  "looks like a name: use the school's own pupil reference (letters and digits, for example P0123 or 2024-017), never a pupil's name";

/**
 * Why `ref` cannot be a pupil reference, or undefined when it can. References are 1–20 letters,
 * digits and - _ / . with at least one digit; spaces, apostrophes and runs of three or more
 * letters with a lower-case one among them ("Smith", "amelia") read as names.
 */
export function pupilRefProblem(ref: string): string | undefined {
  const value = ref.trim();
  if (!value) return 'is required';
  if (/[\s',]/.test(value)) return LOOKS_LIKE_A_NAME;
  if (value.length > MAX_PUPIL_REF_LENGTH) return `must be at most ${MAX_PUPIL_REF_LENGTH} characters`;
  if (!/^[A-Za-z0-9\-_/.]+$/.test(value)) return 'may contain only letters, digits and - _ / .';
  if (!/\d/.test(value)) return LOOKS_LIKE_A_NAME;
  if ((value.match(/[A-Za-z]+/g) ?? []).some((run) => run.length >= 3 && /[a-z]/.test(run))) return LOOKS_LIKE_A_NAME;
  return undefined;
}

/** The stored form: trimmed and upper-cased, so "p0123" and "P0123" are one pupil. */
export function normalisePupilRef(ref: string): string {
  return ref.trim().toUpperCase();
}
