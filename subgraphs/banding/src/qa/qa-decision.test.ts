import { QaVerdict } from '../pupils/pupil.entity';
import { decideQa, type QaPupil } from './qa-decision';

const pupil = (id: string, band: number, verdict: QaVerdict | null = null): QaPupil => ({ id, pupilRef: `P${id}`, band, verdict, agreedBand: verdict ? band : null, reason: null });
const pupils = [pupil('1', 2), pupil('2', 3), pupil('3', 4)];
const BANDS = [1, 2, 3, 4, 5];
const fields = (decision: ReturnType<typeof decideQa>) => decision.problems.map((p) => p.field);

describe('decideQa', () => {
  it('approves with a verdict on every pupil, keeping the adjusted band and reason beside the suggested one', () => {
    const decision = decideQa(
      {
        outcome: 'APPROVED',
        pupils: [
          { pupilId: '1', verdict: QaVerdict.AGREED },
          { pupilId: '2', verdict: QaVerdict.ADJUSTED, band: 4, reason: ' EP report shows more need ' },
          { pupilId: '3', verdict: QaVerdict.AGREED, band: 4, reason: 'Fits the evidence' },
        ],
      },
      pupils,
      BANDS,
    );
    expect(decision.problems).toEqual([]);
    expect(decision.verdicts.get('1')).toEqual({ verdict: 'AGREED', agreedBand: 2, reason: null });
    expect(decision.verdicts.get('2')).toEqual({ verdict: 'ADJUSTED', agreedBand: 4, reason: 'EP report shows more need' });
    expect(decision.verdicts.get('3')).toEqual({ verdict: 'AGREED', agreedBand: 4, reason: 'Fits the evidence' });
  });

  it('refuses approval while a pupil has no verdict, naming the pupil', () => {
    const decision = decideQa({ outcome: 'APPROVED', pupils: [{ pupilId: '1', verdict: QaVerdict.AGREED }] }, pupils, BANDS);
    expect(decision.problems).toEqual([{ field: 'input.pupils', message: 'need a verdict on every pupil before approval; missing P2, P3' }]);
  });

  it('counts verdicts kept from an earlier round on pupils the school did not change', () => {
    const earlier = [pupil('1', 2, QaVerdict.AGREED), pupil('2', 3, QaVerdict.AGREED), pupil('3', 4)];
    expect(decideQa({ outcome: 'APPROVED', pupils: [{ pupilId: '3', verdict: QaVerdict.AGREED }] }, earlier, BANDS).problems).toEqual([]);
  });

  it('needs comments to return a return, and allows verdicts on some pupils only', () => {
    expect(fields(decideQa({ outcome: 'RETURNED', comments: '  ', pupils: [] }, pupils, BANDS))).toEqual(['input.comments']);
    const decision = decideQa({ outcome: 'RETURNED', comments: 'Check P3 evidence.', pupils: [{ pupilId: '1', verdict: QaVerdict.AGREED }] }, pupils, BANDS);
    expect(decision.problems).toEqual([]);
    expect(decision.comments).toBe('Check P3 evidence.');
  });

  it.each([
    [{ pupilId: '9', verdict: QaVerdict.AGREED }, ['input.pupils.0.pupilId']],
    [{ pupilId: '1', verdict: QaVerdict.ADJUSTED, reason: 'x' }, ['input.pupils.0.band']],
    [{ pupilId: '1', verdict: QaVerdict.ADJUSTED, band: 6, reason: 'x' }, ['input.pupils.0.band']],
    [{ pupilId: '1', verdict: QaVerdict.ADJUSTED, band: 2, reason: 'x' }, ['input.pupils.0.band']],
    [{ pupilId: '1', verdict: QaVerdict.ADJUSTED, band: 3, reason: ' ' }, ['input.pupils.0.reason']],
    [{ pupilId: '1', verdict: QaVerdict.AGREED, band: 3 }, ['input.pupils.0.band']],
  ])('refuses the verdict %j', (verdict, expected) => {
    expect(fields(decideQa({ outcome: 'RETURNED', comments: 'See notes.', pupils: [verdict] }, pupils, BANDS))).toEqual(expected);
  });

  it('refuses two verdicts on one pupil', () => {
    const twice = [
      { pupilId: '1', verdict: QaVerdict.AGREED },
      { pupilId: '1', verdict: QaVerdict.ADJUSTED, band: 3, reason: 'x' },
    ];
    expect(fields(decideQa({ outcome: 'RETURNED', comments: 'c', pupils: twice }, pupils, BANDS))).toEqual(['input.pupils.1.pupilId']);
  });
});
