/**
 * An application's forms checked, pure and unit-tested: the application form's answers (the form
 * engine), and the cohort form, one row per pupil, keyed by the school's own pupil reference and
 * screened like banding (@sendco/child-data) so that no name, date of birth or UPN is kept.
 */
import { normalisePupilReference, pupilReferenceProblem, freeTextProblem } from '@sendco/child-data';
import type { FieldProblem } from '@sendco/errors';
import { checkAnswers, FormQuestionType, type FormAnswerValue, type FormQuestionDefinition, type RecordedFormAnswer } from '@sendco/forms';

export const MAX_COHORT_ROWS = 200;

export interface CohortRowValue {
  pupilRef: string;
  answers: FormAnswerValue[];
}

export interface RecordedCohortRow {
  pupilRef: string;
  answers: RecordedFormAnswer[];
}

const FREE_TEXT = new Set([FormQuestionType.SHORT_TEXT, FormQuestionType.LONG_TEXT]);

/** Free-text answers screened for what may not be written about a child. */
function screenedAnswers(questions: readonly FormQuestionDefinition[], recorded: readonly RecordedFormAnswer[], prefix: string, now: Date): FieldProblem[] {
  const types = new Map(questions.map((q) => [q.key, q.type]));
  return recorded.flatMap((answer) => {
    if (!FREE_TEXT.has(types.get(answer.key)!)) return [];
    const problem = freeTextProblem(answer.value, now);
    return problem ? [{ field: `${prefix}.${answer.key}`, message: problem }] : [];
  });
}

/** The application form's answers: the form's own rules, then the child-data screening of free text. */
export function checkApplicationAnswers(questions: readonly FormQuestionDefinition[], answers: readonly FormAnswerValue[], now: Date): { problems: FieldProblem[]; recorded: RecordedFormAnswer[] } {
  const { problems, recorded } = checkAnswers(questions, answers, 'answers');
  return { problems: [...problems, ...screenedAnswers(questions, recorded, 'answers', now)], recorded };
}

/** The cohort form: each row's pupil reference (unique in the cohort) and answers, named `cohort.<i>.…`. */
export function checkCohort(questions: readonly FormQuestionDefinition[], rows: readonly CohortRowValue[], now: Date): { problems: FieldProblem[]; recorded: RecordedCohortRow[] } {
  const problems: FieldProblem[] = [];
  if (rows.length > MAX_COHORT_ROWS) problems.push({ field: 'cohort', message: `at most ${MAX_COHORT_ROWS} pupils` });
  const seen = new Set<string>();
  const recorded = rows.map((row, i) => {
    const refProblem = pupilReferenceProblem(row.pupilRef);
    const pupilRef = normalisePupilReference(row.pupilRef);
    if (refProblem) problems.push({ field: `cohort.${i}.pupilRef`, message: refProblem });
    else if (seen.has(pupilRef)) problems.push({ field: `cohort.${i}.pupilRef`, message: 'is in the cohort twice' });
    seen.add(pupilRef);
    const checked = checkAnswers(questions, row.answers, `cohort.${i}.answers`);
    problems.push(...checked.problems, ...screenedAnswers(questions, checked.recorded, `cohort.${i}.answers`, now));
    return { pupilRef, answers: checked.recorded };
  });
  return { problems, recorded };
}

/**
 * A draft may be incomplete; submitting needs every required answer and at least one pupil. The
 * stored answers are checked again against the forms at submission (they cannot have changed:
 * forms are frozen once the round opens), so this only adds the completeness rules.
 */
export function submissionProblems(applicationQuestions: readonly FormQuestionDefinition[], answers: readonly FormAnswerValue[], cohortRows: number): FieldProblem[] {
  const missing = applicationQuestions
    .filter((q) => q.required && !answers.some((a) => a.key === q.key && a.value.trim()))
    .map((q) => ({ field: `answers.${q.key}`, message: `is required ("${q.label}")` }));
  return [...missing, ...(cohortRows === 0 ? [{ field: 'cohort', message: 'name at least one pupil (by reference) in the proposed cohort' }] : [])];
}

/** A draft keeps what it can: the checks without "required" (a school saves as it goes). */
export function draftQuestions(questions: readonly FormQuestionDefinition[]): FormQuestionDefinition[] {
  return questions.map((q) => ({ ...q, required: false }));
}
