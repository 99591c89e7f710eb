import { checkAnswers, checkBookingQuestions, normaliseQuestions, type BookingQuestionDefinition } from './booking-form';
import { BookingQuestionType as T } from './clinic.enums';

const form: BookingQuestionDefinition[] = [
  { key: 'role', label: 'Your role', required: true, type: T.SHORT_TEXT },
  { key: 'hopes', label: 'What would you like to take away?', required: true, type: T.LONG_TEXT },
  { key: 'before', label: 'Been before?', required: false, type: T.YES_NO },
  { key: 'phase', label: 'Phase', required: true, type: T.CHOICE, choices: ['Primary', 'Secondary'] },
];
const complete = [
  { key: 'role', value: 'SENDCO' },
  { key: 'hopes', value: 'Ideas for the sensory room.\nAnd for lunchtimes.' },
  { key: 'phase', value: 'primary' },
];
const fields = (answers: { key: string; value: string }[]) => checkAnswers(form, answers).problems.map((p) => p.field);

describe('checkAnswers', () => {
  it('accepts a complete form and records answers normalised, with labels, in the form order', () => {
    const { problems, recorded } = checkAnswers(form, [{ key: 'before', value: ' YES ' }, ...complete]);
    expect(problems).toEqual([]);
    expect(recorded).toEqual([
      { key: 'role', label: 'Your role', value: 'SENDCO' },
      { key: 'hopes', label: 'What would you like to take away?', value: 'Ideas for the sensory room.\nAnd for lunchtimes.' },
      { key: 'before', label: 'Been before?', value: 'yes' },
      { key: 'phase', label: 'Phase', value: 'Primary' },
    ]);
  });

  it('names every missing required answer, and counts a blank answer as missing', () => {
    const result = checkAnswers(form, [{ key: 'role', value: '   ' }]);
    expect(result.problems).toEqual([
      { field: 'answers.role', message: 'is required ("Your role")' },
      { field: 'answers.hopes', message: 'is required ("What would you like to take away?")' },
      { field: 'answers.phase', message: 'is required ("Phase")' },
    ]);
  });

  it('leaves unanswered optional questions out', () => {
    expect(checkAnswers(form, complete).recorded.map((a) => a.key)).toEqual(['role', 'hopes', 'phase']);
  });

  it('checks each answer against its type', () => {
    expect(fields([...complete.slice(0, 2), { key: 'phase', value: 'Nursery' }])).toEqual(['answers.phase']);
    expect(fields([...complete, { key: 'before', value: 'maybe' }])).toEqual(['answers.before']);
    expect(fields([...complete, { key: 'before', value: 'true' }])).toEqual(['answers.before']);
    expect(fields([{ key: 'role', value: 'x'.repeat(201) }, ...complete.slice(1)])).toEqual(['answers.role']);
    expect(fields([{ key: 'role', value: 'two\nlines' }, ...complete.slice(1)])).toEqual(['answers.role']);
    expect(fields([complete[0], { key: 'hopes', value: 'y'.repeat(5001) }, complete[2]])).toEqual(['answers.hopes']);
    expect(fields([complete[0], { key: 'hopes', value: 'y'.repeat(5000) }, complete[2]])).toEqual([]);
  });

  it('says which choices a CHOICE question allows', () => {
    const { problems } = checkAnswers(form, [...complete.slice(0, 2), { key: 'phase', value: 'Nursery' }]);
    expect(problems[0].message).toBe('must be one of: Primary, Secondary');
  });

  it('refuses unknown and repeated keys', () => {
    expect(fields([...complete, { key: 'pupilName', value: 'x' }])).toEqual(['answers.pupilName']);
    expect(fields([...complete, { key: 'role', value: 'Teacher' }])).toEqual(['answers.role']);
  });

  it('accepts no answers for a form without questions, and refuses any given', () => {
    expect(checkAnswers([], [])).toEqual({ problems: [], recorded: [] });
    expect(checkAnswers([], [{ key: 'x', value: 'y' }]).problems).toHaveLength(1);
  });
});

describe('checkBookingQuestions', () => {
  const q = (overrides: Partial<BookingQuestionDefinition>): BookingQuestionDefinition => ({ key: 'k', label: 'L', required: false, type: T.SHORT_TEXT, ...overrides });

  it('accepts the form above', () => {
    expect(checkBookingQuestions(form)).toEqual([]);
  });

  it('wants simple, unique keys (whatever their case) and labels', () => {
    expect(checkBookingQuestions([q({ key: '1st' }), q({ key: 'has space' }), q({ key: 'ok', label: ' ' })]).map((p) => p.field)).toEqual([
      'bookingQuestions.0.key',
      'bookingQuestions.1.key',
      'bookingQuestions.2.label',
    ]);
    expect(checkBookingQuestions([q({ key: 'role' }), q({ key: 'Role' })])).toEqual([{ field: 'bookingQuestions.1.key', message: '"Role" is used by an earlier question' }]);
  });

  it('wants 2 or more distinct choices on a CHOICE question, and none elsewhere', () => {
    expect(checkBookingQuestions([q({ type: T.CHOICE, choices: ['Only'] })]).map((p) => p.field)).toEqual(['bookingQuestions.0.choices']);
    expect(checkBookingQuestions([q({ type: T.CHOICE })]).map((p) => p.field)).toEqual(['bookingQuestions.0.choices']);
    expect(checkBookingQuestions([q({ type: T.CHOICE, choices: ['A', 'a '] })]).map((p) => p.field)).toEqual(['bookingQuestions.0.choices']);
    expect(checkBookingQuestions([q({ type: T.YES_NO, choices: ['A', 'B'] })]).map((p) => p.field)).toEqual(['bookingQuestions.0.choices']);
  });

  it('allows at most 30 questions', () => {
    const many = Array.from({ length: 31 }, (_, i) => q({ key: `q${i}` }));
    expect(checkBookingQuestions(many)).toEqual([{ field: 'bookingQuestions', message: 'at most 30 questions' }]);
  });

  it('stores labels and choices trimmed, choices only on CHOICE questions', () => {
    expect(normaliseQuestions([q({ label: ' Role ', choices: undefined }), q({ key: 'c', type: T.CHOICE, choices: [' A', 'B '] })])).toEqual([
      { key: 'k', label: 'Role', required: false, type: T.SHORT_TEXT },
      { key: 'c', label: 'L', required: false, type: T.CHOICE, choices: ['A', 'B'] },
    ]);
  });
});
