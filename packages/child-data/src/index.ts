/**
 * What may be written about a child, in one place for every subgraph: the pupil references the
 * council issues, and the screen for free text (dates of birth, UPNs and NHS numbers, names).
 */
export { MAX_PUPIL_REFERENCE_LENGTH, normalisePupilReference, PUPIL_REFERENCE_PREFIXES, pupilReferenceProblem } from './pupil-reference';
export { DAYS, findNamePair, freeTextProblem, NON_NAME_WORDS } from './free-text';
export { BIRTH_YEARS_BACK, hasFullDate, hasNhsNumber, hasUpn, mayGiveDateOfBirth, MONTHS, yearsOfFullDates } from './identifiers';
