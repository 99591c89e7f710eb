/**
 * A delivering school's booking form: the questions a clinic asks, and the rule that answers
 * must fit them. Pure (no database, no GraphQL), so every edge case is unit-tested; the service
 * calls checkBookingQuestions when a clinic is created or edited and checkAnswers when a school asks for a place.
 */
import type { FieldProblem } from '@sendco/errors';
import { BookingQuestionType } from './clinic.enums';

export interface BookingQuestionDefinition {
  key: string;
  label: string;
  required: boolean;
  type: BookingQuestionType;
  /** The allowed answers of a CHOICE question (and only of one). */
  choices?: string[];
}

export interface Answer {
  key: string;
  value: string;
}

/** An answer as stored and emailed: normalised, with the question's label as it was asked. */
export interface RecordedAnswer extends Answer {
  label: string;
}

export const MAX_QUESTIONS = 30;
export const MAX_CHOICES = 30;
export const MAX_LENGTH: Record<BookingQuestionType.SHORT_TEXT | BookingQuestionType.LONG_TEXT, number> = {
  [BookingQuestionType.SHORT_TEXT]: 200,
  [BookingQuestionType.LONG_TEXT]: 5000,
};
/** Keys name fields in errors (`answers.<key>`), so they are kept to simple identifiers. */
export const QUESTION_KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;

/** Problems with a form as a provider wrote it: keys unique and simple, choices where (and only where) they belong. */
export function checkBookingQuestions(questions: readonly BookingQuestionDefinition[], field = 'bookingQuestions'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (questions.length > MAX_QUESTIONS) problems.push({ field, message: `at most ${MAX_QUESTIONS} questions` });
  const seen = new Set<string>();
  questions.forEach((question, i) => {
    const at = `${field}.${i}`;
    if (!QUESTION_KEY.test(question.key)) problems.push({ field: `${at}.key`, message: 'must start with a letter and use only letters, digits and _ (at most 40)' });
    else if (seen.has(question.key.toLowerCase())) problems.push({ field: `${at}.key`, message: `"${question.key}" is used by an earlier question` });
    seen.add(question.key.toLowerCase());
    if (!question.label.trim()) problems.push({ field: `${at}.label`, message: 'must not be blank' });
    const choices = question.choices ?? [];
    if (question.type === BookingQuestionType.CHOICE) {
      const distinct = new Set(choices.map((c) => c.trim().toLowerCase()));
      if (choices.length < 2 || choices.length > MAX_CHOICES) problems.push({ field: `${at}.choices`, message: `a CHOICE question needs 2 to ${MAX_CHOICES} choices` });
      else if (distinct.size !== choices.length || distinct.has('')) problems.push({ field: `${at}.choices`, message: 'must be different from each other and not blank' });
    } else if (choices.length) {
      problems.push({ field: `${at}.choices`, message: 'only a CHOICE question has choices' });
    }
  });
  return problems;
}

/** The form as stored: labels and choices trimmed, choices only on CHOICE questions. */
export function normaliseQuestions(questions: readonly BookingQuestionDefinition[]): BookingQuestionDefinition[] {
  return questions.map((q) => ({
    key: q.key,
    label: q.label.trim(),
    required: q.required,
    type: q.type,
    ...(q.type === BookingQuestionType.CHOICE ? { choices: (q.choices ?? []).map((c) => c.trim()) } : {}),
  }));
}

/**
 * Checks a school's answers against the form. Every problem is named `answers.<key>`: unknown
 * and repeated keys, each required question left unanswered (a blank answer is no answer), and
 * answers of the wrong type. Returns the answers normalised (yes/no in lower case, a choice as
 * the form spells it), in the form's order, unanswered optional questions left out.
 */
export function checkAnswers(questions: readonly BookingQuestionDefinition[], answers: readonly Answer[]): { problems: FieldProblem[]; recorded: RecordedAnswer[] } {
  const problems: FieldProblem[] = [];
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const given = new Map<string, string>();
  for (const answer of answers) {
    const field = `answers.${answer.key}`;
    if (!byKey.has(answer.key)) problems.push({ field, message: 'is not a question on this booking form' });
    else if (given.has(answer.key)) problems.push({ field, message: 'is answered more than once' });
    else given.set(answer.key, answer.value);
  }
  const recorded: RecordedAnswer[] = [];
  for (const question of questions) {
    const field = `answers.${question.key}`;
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

function checkAnswerValue(question: BookingQuestionDefinition, value: string): { value: string } | { problem: string } {
  switch (question.type) {
    case BookingQuestionType.SHORT_TEXT:
    case BookingQuestionType.LONG_TEXT: {
      const max = MAX_LENGTH[question.type];
      if (value.length > max) return { problem: `must be at most ${max} characters` };
      if (question.type === BookingQuestionType.SHORT_TEXT && /[\r\n]/.test(value)) return { problem: 'must be one line' };
      return { value };
    }
    case BookingQuestionType.YES_NO: {
      const lower = value.toLowerCase();
      return lower === 'yes' || lower === 'no' ? { value: lower } : { problem: 'must be "yes" or "no"' };
    }
    case BookingQuestionType.CHOICE: {
      const choice = (question.choices ?? []).find((c) => c.toLowerCase() === value.toLowerCase());
      return choice ? { value: choice } : { problem: `must be one of: ${(question.choices ?? []).join(', ')}` };
    }
  }
}
