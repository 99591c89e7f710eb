/**
 * The one form engine: the questions a form asks, and the rule that answers must fit them. Pure
 * (no database, no GraphQL), so every edge case is unit-tested. A service calls
 * formDefinitionProblems when a form is written or edited, normaliseQuestions before storing it,
 * and checkAnswers (or answerProblems) when someone answers it. Used by the clinics booking form
 * and the Enhanced Pathways application and cohort forms.
 */
import type { FieldProblem } from '@sendco/errors';

/** The kinds of answer a question takes. Answers are strings; NUMBER and DATE are parsed and normalised. */
export enum FormQuestionType {
  SHORT_TEXT = 'SHORT_TEXT',
  LONG_TEXT = 'LONG_TEXT',
  YES_NO = 'YES_NO',
  CHOICE = 'CHOICE',
  NUMBER = 'NUMBER',
  DATE = 'DATE',
}

export const FORM_QUESTION_TYPE_DESCRIPTION =
  'SHORT_TEXT (up to 200 characters), LONG_TEXT (up to 5000), YES_NO (answer "yes" or "no"), CHOICE (one of the question\'s choices), ' +
  'NUMBER (a decimal number such as 12 or 2.5; optional min, max and integer), DATE (yyyy-mm-dd; optional minDate, maxDate).';

export interface FormQuestionDefinition {
  key: string;
  label: string;
  required: boolean;
  type: FormQuestionType;
  /** The allowed answers of a CHOICE question (and only of one). */
  choices?: string[] | null;
  /** NUMBER only: the smallest and largest allowed answer, and whether it must be a whole number. */
  min?: number | null;
  max?: number | null;
  integer?: boolean | null;
  /** DATE only: the earliest and latest allowed answer, yyyy-mm-dd. */
  minDate?: string | null;
  maxDate?: string | null;
}

export interface FormAnswerValue {
  key: string;
  value: string;
}

/** An answer as stored and emailed: normalised, with the question's label as it was asked. */
export interface RecordedFormAnswer extends FormAnswerValue {
  label: string;
}

export const MAX_QUESTIONS = 30;
export const MAX_CHOICES = 30;
export const MAX_LENGTH: Record<FormQuestionType.SHORT_TEXT | FormQuestionType.LONG_TEXT, number> = {
  [FormQuestionType.SHORT_TEXT]: 200,
  [FormQuestionType.LONG_TEXT]: 5000,
};
/** Keys name fields in errors (`answers.<key>`), so they are kept to simple identifiers. */
export const QUESTION_KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
/** Numbers are kept within what a double holds exactly as a decimal: 15 significant digits. */
export const MAX_NUMBER = 1e15;

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;
const INTEGER_TEXT = /^-?\d+$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date written yyyy-mm-dd (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const match = DATE_TEXT.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/**
 * Problems with a form as its author wrote it, each named `<fieldPrefix>.<index>.<field>`: keys
 * unique (whatever their case) and simple, labels not blank, choices where (and only where) they
 * belong, number limits only on a NUMBER question and date limits only on a DATE question, each
 * in order.
 */
export function formDefinitionProblems(questions: readonly FormQuestionDefinition[], fieldPrefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (questions.length > MAX_QUESTIONS) problems.push({ field: fieldPrefix, message: `at most ${MAX_QUESTIONS} questions` });
  const seen = new Set<string>();
  questions.forEach((question, i) => {
    const at = `${fieldPrefix}.${i}`;
    const problem = (field: string, message: string) => problems.push({ field: `${at}.${field}`, message });
    if (!QUESTION_KEY.test(question.key)) problem('key', 'must start with a letter and use only letters, digits and _ (at most 40)');
    else if (seen.has(question.key.toLowerCase())) problem('key', `"${question.key}" is used by an earlier question`);
    seen.add(question.key.toLowerCase());
    if (!question.label.trim()) problem('label', 'must not be blank');

    const choices = question.choices ?? [];
    if (question.type === FormQuestionType.CHOICE) {
      const distinct = new Set(choices.map((c) => c.trim().toLowerCase()));
      if (choices.length < 2 || choices.length > MAX_CHOICES) problem('choices', `a CHOICE question needs 2 to ${MAX_CHOICES} choices`);
      else if (distinct.size !== choices.length || distinct.has('')) problem('choices', 'must be different from each other and not blank');
    } else if (choices.length) {
      problem('choices', 'only a CHOICE question has choices');
    }

    if (question.type === FormQuestionType.NUMBER) {
      for (const limit of ['min', 'max'] as const) {
        const value = question[limit];
        if (!present(value)) continue;
        if (!Number.isFinite(value) || Math.abs(value) >= MAX_NUMBER) problem(limit, `must be a number between -${MAX_NUMBER} and ${MAX_NUMBER}`);
        else if (question.integer && !Number.isInteger(value)) problem(limit, 'must be a whole number on a whole-number question');
      }
      if (present(question.min) && present(question.max) && question.min > question.max) problem('max', 'must not be less than min');
    } else {
      for (const limit of ['min', 'max', 'integer'] as const) {
        if (present(question[limit])) problem(limit, 'only a NUMBER question has it');
      }
    }

    if (question.type === FormQuestionType.DATE) {
      for (const limit of ['minDate', 'maxDate'] as const) {
        const value = question[limit];
        if (present(value) && !isIsoDate(value)) problem(limit, 'must be a date as yyyy-mm-dd');
      }
      if (present(question.minDate) && present(question.maxDate) && isIsoDate(question.minDate) && isIsoDate(question.maxDate) && question.minDate > question.maxDate) {
        problem('maxDate', 'must not be before minDate');
      }
    } else {
      for (const limit of ['minDate', 'maxDate'] as const) {
        if (present(question[limit])) problem(limit, 'only a DATE question has it');
      }
    }
  });
  return problems;
}

/** The form as stored: labels and choices trimmed, each type's own settings only on its type, nothing unset. */
export function normaliseQuestions(questions: readonly FormQuestionDefinition[]): FormQuestionDefinition[] {
  return questions.map((q) => ({
    key: q.key,
    label: q.label.trim(),
    required: q.required,
    type: q.type,
    ...(q.type === FormQuestionType.CHOICE ? { choices: (q.choices ?? []).map((c) => c.trim()) } : {}),
    ...(q.type === FormQuestionType.NUMBER && present(q.min) ? { min: q.min } : {}),
    ...(q.type === FormQuestionType.NUMBER && present(q.max) ? { max: q.max } : {}),
    ...(q.type === FormQuestionType.NUMBER && q.integer ? { integer: true } : {}),
    ...(q.type === FormQuestionType.DATE && present(q.minDate) ? { minDate: q.minDate } : {}),
    ...(q.type === FormQuestionType.DATE && present(q.maxDate) ? { maxDate: q.maxDate } : {}),
  }));
}

/**
 * Checks answers against the form. Every problem is named `<fieldPrefix>.<key>`: unknown and
 * repeated keys, each required question left unanswered (a blank answer is no answer), and
 * answers of the wrong type or out of the question's range. Returns the answers normalised
 * (yes/no in lower case, a choice as the form spells it, a number in its shortest form), in the
 * form's order, unanswered optional questions left out.
 */
export function checkAnswers(
  questions: readonly FormQuestionDefinition[],
  answers: readonly FormAnswerValue[],
  fieldPrefix = 'answers',
): { problems: FieldProblem[]; recorded: RecordedFormAnswer[] } {
  const problems: FieldProblem[] = [];
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const given = new Map<string, string>();
  for (const answer of answers) {
    const field = `${fieldPrefix}.${answer.key}`;
    if (!byKey.has(answer.key)) problems.push({ field, message: 'is not a question on this form' });
    else if (given.has(answer.key)) problems.push({ field, message: 'is answered more than once' });
    else given.set(answer.key, answer.value);
  }
  const recorded: RecordedFormAnswer[] = [];
  for (const question of questions) {
    const field = `${fieldPrefix}.${question.key}`;
    const value = given.get(question.key)?.trim() ?? '';
    if (!value) {
      if (question.required) problems.push({ field, message: `is required ("${question.label}")` });
      continue;
    }
    const checked = checkAnswerValue(question, value);
    if ('problem' in checked) problems.push({ field, message: checked.problem });
    else recorded.push({ key: question.key, label: question.label, value: checked.value });
  }
  return { problems, recorded };
}

/** Only the problems of checkAnswers, in the style of BAD_USER_INPUT's `extensions.fields`. */
export function answerProblems(questions: readonly FormQuestionDefinition[], answers: readonly FormAnswerValue[], fieldPrefix: string): FieldProblem[] {
  return checkAnswers(questions, answers, fieldPrefix).problems;
}

function checkAnswerValue(question: FormQuestionDefinition, value: string): { value: string } | { problem: string } {
  switch (question.type) {
    case FormQuestionType.SHORT_TEXT:
    case FormQuestionType.LONG_TEXT: {
      const max = MAX_LENGTH[question.type];
      if (value.length > max) return { problem: `must be at most ${max} characters` };
      if (question.type === FormQuestionType.SHORT_TEXT && /[\r\n]/.test(value)) return { problem: 'must be one line' };
      return { value };
    }
    case FormQuestionType.YES_NO: {
      const lower = value.toLowerCase();
      return lower === 'yes' || lower === 'no' ? { value: lower } : { problem: 'must be "yes" or "no"' };
    }
    case FormQuestionType.CHOICE: {
      const choice = (question.choices ?? []).find((c) => c.toLowerCase() === value.toLowerCase());
      return choice ? { value: choice } : { problem: `must be one of: ${(question.choices ?? []).join(', ')}` };
    }
    case FormQuestionType.NUMBER: {
      if (question.integer && !INTEGER_TEXT.test(value)) return { problem: 'must be a whole number' };
      if (!NUMBER_TEXT.test(value)) return { problem: 'must be a number, such as 12 or 2.5' };
      const number = Number(value);
      if (Math.abs(number) >= MAX_NUMBER) return { problem: `must be between -${MAX_NUMBER} and ${MAX_NUMBER}` };
      if (present(question.min) && number < question.min) return { problem: `must be at least ${question.min}` };
      if (present(question.max) && number > question.max) return { problem: `must be at most ${question.max}` };
      return { value: String(number === 0 ? 0 : number) };
    }
    case FormQuestionType.DATE: {
      if (!isIsoDate(value)) return { problem: 'must be a date as yyyy-mm-dd' };
      if (present(question.minDate) && value < question.minDate) return { problem: `must be on or after ${question.minDate}` };
      if (present(question.maxDate) && value > question.maxDate) return { problem: `must be on or before ${question.maxDate}` };
      return { value };
    }
  }
}
