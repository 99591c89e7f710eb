import { answerProblems, checkAnswers, formDefinitionProblems, isIsoDate, normaliseQuestions, FormQuestionType as T, type FormQuestionDefinition } from './form';

const checkBookingQuestions = (questions: FormQuestionDefinition[]) => formDefinitionProblems(questions, 'bookingQuestions');

const form: FormQuestionDefinition[] = [
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

describe('formDefinitionProblems', () => {
  const q = (overrides: Partial<FormQuestionDefinition>): FormQuestionDefinition => ({ key: 'k', label: 'L', required: false, type: T.SHORT_TEXT, ...overrides });

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

describe('answer field names', () => {
  it('name each problem under the prefix given, so a form inside a list names its row', () => {
    expect(answerProblems(form, [{ key: 'nope', value: 'x' }], 'cohort.2')).toEqual([
      { field: 'cohort.2.nope', message: 'is not a question on this form' },
      { field: 'cohort.2.role', message: 'is required ("Your role")' },
      { field: 'cohort.2.hopes', message: 'is required ("What would you like to take away?")' },
      { field: 'cohort.2.phase', message: 'is required ("Phase")' },
    ]);
  });

  it('are answers.<key> by default (the clinics booking form)', () => {
    expect(checkAnswers(form, []).problems[0].field).toBe('answers.role');
  });
});

describe('NUMBER questions', () => {
  const q = (overrides: Partial<FormQuestionDefinition> = {}): FormQuestionDefinition => ({ key: 'pupils', label: 'Pupils', required: true, type: T.NUMBER, ...overrides });
  const check = (question: FormQuestionDefinition, value: string) => checkAnswers([question], [{ key: question.key, value }]);
  const message = (question: FormQuestionDefinition, value: string) => check(question, value).problems.map((p) => p.message);
  const recorded = (question: FormQuestionDefinition, value: string) => check(question, value).recorded.map((a) => a.value);

  it('accepts whole and decimal numbers, negative ones, and records them in their shortest form', () => {
    expect(recorded(q(), '12')).toEqual(['12']);
    expect(recorded(q(), ' 2.50 ')).toEqual(['2.5']);
    expect(recorded(q(), '007')).toEqual(['7']);
    expect(recorded(q(), '-3.25')).toEqual(['-3.25']);
    expect(recorded(q(), '-0')).toEqual(['0']);
  });

  it('refuses what is not a plain decimal number', () => {
    for (const value of ['twelve', '1e3', '0x10', '1,000', '.5', '5.', '+5', 'Infinity', 'NaN', '1 2', '--1']) {
      expect(message(q(), value)).toEqual(['must be a number, such as 12 or 2.5']);
    }
  });

  it('refuses numbers too large to keep exactly', () => {
    expect(message(q(), '1000000000000000')).toEqual(['must be between -1000000000000000 and 1000000000000000']);
    expect(message(q(), '999999999999999')).toEqual([]);
  });

  it('keeps to min and max, both inclusive', () => {
    const ranged = q({ min: 1, max: 30 });
    expect(message(ranged, '0')).toEqual(['must be at least 1']);
    expect(message(ranged, '1')).toEqual([]);
    expect(message(ranged, '30')).toEqual([]);
    expect(message(ranged, '30.01')).toEqual(['must be at most 30']);
    expect(message(q({ min: -2.5 }), '-2.6')).toEqual(['must be at least -2.5']);
    expect(message(q({ max: 0 }), '0')).toEqual([]);
  });

  it('wants a whole number on an integer question', () => {
    expect(message(q({ integer: true }), '2.5')).toEqual(['must be a whole number']);
    expect(message(q({ integer: true }), '2.0')).toEqual(['must be a whole number']);
    expect(message(q({ integer: true }), '-4')).toEqual([]);
  });

  it('counts a blank answer as missing, and leaves an unanswered optional one out', () => {
    expect(message(q(), '  ')).toEqual(['is required ("Pupils")']);
    expect(check(q({ required: false }), '')).toEqual({ problems: [], recorded: [] });
  });

  it('checks the limits a form author writes', () => {
    expect(formDefinitionProblems([q({ min: 1, max: 30, integer: true })], 'f')).toEqual([]);
    expect(formDefinitionProblems([q({ min: 5, max: 4 })], 'f')).toEqual([{ field: 'f.0.max', message: 'must not be less than min' }]);
    expect(formDefinitionProblems([q({ min: 3, max: 3 })], 'f')).toEqual([]);
    expect(formDefinitionProblems([q({ min: 0.5, integer: true })], 'f')).toEqual([{ field: 'f.0.min', message: 'must be a whole number on a whole-number question' }]);
    expect(formDefinitionProblems([q({ max: Number.NaN })], 'f').map((p) => p.field)).toEqual(['f.0.max']);
    expect(formDefinitionProblems([q({ min: -1e15 })], 'f').map((p) => p.field)).toEqual(['f.0.min']);
  });

  it('allows number limits only on a NUMBER question', () => {
    const text: FormQuestionDefinition = { key: 'k', label: 'L', required: false, type: T.SHORT_TEXT, min: 1, max: 2, integer: false };
    expect(formDefinitionProblems([text], 'f').map((p) => p.field)).toEqual(['f.0.min', 'f.0.max', 'f.0.integer']);
    expect(formDefinitionProblems([{ ...text, min: null, max: null, integer: null }], 'f')).toEqual([]);
  });

  it('stores its limits, and only its own', () => {
    expect(normaliseQuestions([q({ min: 0, max: 10, integer: true, minDate: '2026-01-01', choices: [] })])).toEqual([
      { key: 'pupils', label: 'Pupils', required: true, type: T.NUMBER, min: 0, max: 10, integer: true },
    ]);
    expect(normaliseQuestions([q({ min: null, integer: false })])).toEqual([{ key: 'pupils', label: 'Pupils', required: true, type: T.NUMBER }]);
  });
});

describe('DATE questions', () => {
  const q = (overrides: Partial<FormQuestionDefinition> = {}): FormQuestionDefinition => ({ key: 'starts', label: 'Start date', required: true, type: T.DATE, ...overrides });
  const message = (question: FormQuestionDefinition, value: string) => answerProblems([question], [{ key: question.key, value }], 'answers').map((p) => p.message);

  it('accepts a calendar date as yyyy-mm-dd and records it as given', () => {
    expect(checkAnswers([q()], [{ key: 'starts', value: ' 2026-09-01 ' }]).recorded).toEqual([{ key: 'starts', label: 'Start date', value: '2026-09-01' }]);
    expect(message(q(), '2028-02-29')).toEqual([]);
  });

  it('refuses other spellings and dates the calendar does not have', () => {
    for (const value of ['01/09/2026', '2026-9-1', '2026-09-01T00:00:00Z', '20260901', '2026-02-29', '2026-13-01', '2026-04-31', '2026-00-10', 'tomorrow']) {
      expect(message(q(), value)).toEqual(['must be a date as yyyy-mm-dd']);
    }
  });

  it('keeps to minDate and maxDate, both inclusive', () => {
    const ranged = q({ minDate: '2026-09-01', maxDate: '2027-07-31' });
    expect(message(ranged, '2026-08-31')).toEqual(['must be on or after 2026-09-01']);
    expect(message(ranged, '2026-09-01')).toEqual([]);
    expect(message(ranged, '2027-07-31')).toEqual([]);
    expect(message(ranged, '2027-08-01')).toEqual(['must be on or before 2027-07-31']);
  });

  it('checks the limits a form author writes, and allows them only on a DATE question', () => {
    expect(formDefinitionProblems([q({ minDate: '2026-09-01', maxDate: '2026-09-01' })], 'f')).toEqual([]);
    expect(formDefinitionProblems([q({ minDate: '2026-09-02', maxDate: '2026-09-01' })], 'f')).toEqual([{ field: 'f.0.maxDate', message: 'must not be before minDate' }]);
    expect(formDefinitionProblems([q({ minDate: '1/9/2026', maxDate: '2026-02-30' })], 'f').map((p) => p.field)).toEqual(['f.0.minDate', 'f.0.maxDate']);
    expect(formDefinitionProblems([q({ integer: true })], 'f')).toEqual([{ field: 'f.0.integer', message: 'only a NUMBER question has it' }]);
    expect(formDefinitionProblems([{ key: 'k', label: 'L', required: false, type: T.YES_NO, maxDate: '2026-01-01' }], 'f')).toEqual([
      { field: 'f.0.maxDate', message: 'only a DATE question has it' },
    ]);
  });

  it('stores its limits, and only its own', () => {
    expect(normaliseQuestions([q({ minDate: '2026-01-01', max: 3 })])).toEqual([{ key: 'starts', label: 'Start date', required: true, type: T.DATE, minDate: '2026-01-01' }]);
  });

  it('isIsoDate knows leap years', () => {
    expect([isIsoDate('2024-02-29'), isIsoDate('2100-02-29'), isIsoDate('2000-02-29')]).toEqual([true, false, true]);
  });
});
