import { FormQuestionType } from '@sendco/forms';
import { checkApplicationAnswers, checkCohort, draftQuestions, submissionProblems } from './application-rules';

const now = new Date('2026-01-20T12:00:00Z');
const cohortForm = [
  { key: 'yearGroup', label: 'Year group', required: true, type: FormQuestionType.NUMBER, min: 0, max: 14, integer: true },
  { key: 'notes', label: 'Notes', required: false, type: FormQuestionType.LONG_TEXT },
];
const appForm = [{ key: 'summary', label: 'Summary', required: true, type: FormQuestionType.LONG_TEXT }];

describe('the cohort form', () => {
  it('keeps pupils by normalised reference with their checked answers', () => {
    const { problems, recorded } = checkCohort(cohortForm, [{ pupilRef: ' p0123 ', answers: [{ key: 'yearGroup', value: '5' }] }], now);
    expect(problems).toEqual([]);
    expect(recorded).toEqual([{ pupilRef: 'P0123', answers: [{ key: 'yearGroup', label: 'Year group', value: '5' }] }]);
  });

  it('refuses names for references, repeated pupils, wrong answers and identifying free text, naming each', () => {
    const { problems } = checkCohort(
      cohortForm,
      [
        { pupilRef: 'Jane Smith', answers: [{ key: 'yearGroup', value: '5' }] },
        { pupilRef: 'P0001', answers: [{ key: 'yearGroup', value: '15' }] },
        { pupilRef: 'p0001', answers: [{ key: 'yearGroup', value: '3' }, { key: 'notes', value: 'Born 03/04/2016, needs a quiet space.' }] },
      ],
      now,
    );
    expect(problems.map((p) => p.field)).toEqual(['cohort.0.pupilRef', 'cohort.1.answers.yearGroup', 'cohort.2.pupilRef', 'cohort.2.answers.notes']);
  });
});

describe('the application form', () => {
  it('screens free-text answers for what may not be written about a child', () => {
    expect(checkApplicationAnswers(appForm, [{ key: 'summary', value: 'A nurture group for Years 5 and 6.' }], now).problems).toEqual([]);
    expect(checkApplicationAnswers(appForm, [{ key: 'summary', value: 'Tom Jones in Year 5 was born on 4 May 2016.' }], now).problems.map((p) => p.field)).toEqual(['answers.summary']);
  });

  it('lets a draft leave required answers for later, but not a submission', () => {
    expect(checkApplicationAnswers(draftQuestions(appForm), [], now).problems).toEqual([]);
    expect(submissionProblems(appForm, [], 0).map((p) => p.field)).toEqual(['answers.summary', 'cohort']);
    expect(submissionProblems(appForm, [{ key: 'summary', value: 'x' }], 1)).toEqual([]);
  });
});
