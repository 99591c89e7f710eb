import { checkCancellation, checkDecision, checkNotStarted, hasRoom, statusAfterDecision } from './request-rules';
import { ClinicDecision as D, ClinicRequestStatus as S } from './request-status';

describe('checkDecision', () => {
  it('decides a REQUESTED request either way', () => {
    expect(checkDecision(S.REQUESTED, D.CONFIRM)).toBe('apply');
    expect(checkDecision(S.REQUESTED, D.DECLINE)).toBe('apply');
    expect(statusAfterDecision(D.CONFIRM)).toBe(S.CONFIRMED);
    expect(statusAfterDecision(D.DECLINE)).toBe(S.DECLINED);
  });

  it('treats the same decision again as no change', () => {
    expect(checkDecision(S.CONFIRMED, D.CONFIRM)).toBe('unchanged');
    expect(checkDecision(S.DECLINED, D.DECLINE)).toBe('unchanged');
  });

  it('refuses to reverse a decision or decide a cancelled request (CONFLICT)', () => {
    for (const [status, decision] of [[S.CONFIRMED, D.DECLINE], [S.DECLINED, D.CONFIRM], [S.CANCELLED, D.CONFIRM], [S.CANCELLED, D.DECLINE]] as const) {
      expect(() => checkDecision(status, decision)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    }
  });
});

describe('checkCancellation', () => {
  it('cancels a place that is held, requested or confirmed', () => {
    expect(checkCancellation(S.REQUESTED)).toBe('apply');
    expect(checkCancellation(S.CONFIRMED)).toBe('apply');
  });

  it('treats cancelling again as no change, and a declined request as having nothing to cancel', () => {
    expect(checkCancellation(S.CANCELLED)).toBe('unchanged');
    expect(() => checkCancellation(S.DECLINED)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});

describe('capacity', () => {
  it('has room while fewer requests hold a place than the capacity', () => {
    expect(hasRoom(10, 9)).toBe(true);
    expect(hasRoom(10, 10)).toBe(false);
    expect(hasRoom(1, 0)).toBe(true);
    expect(hasRoom(3, 5)).toBe(false);
  });

  it('allows no change once the clinic has started', () => {
    const startsAt = new Date('2026-03-10T15:00:00Z');
    expect(() => checkNotStarted({ startsAt }, new Date('2026-03-10T14:59:59Z'))).not.toThrow();
    expect(() => checkNotStarted({ startsAt }, startsAt)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});
