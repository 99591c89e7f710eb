import type { Principal } from '@sendco/auth';
import { checkMayChangeReferral, checkReferralTransition } from './referral-transitions';
import { OutreachReferralStatus as S } from './referral.enums';

const admin: Principal = { sub: 'admin', roles: ['ADMIN'] };
const provider = (urn: string): Principal => ({ sub: `p-${urn}`, roles: ['CLINIC_PROVIDER'], schoolUrn: urn });
const code = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('checkReferralTransition', () => {
  const all = [S.RECEIVED, S.ALLOCATED, S.IN_PROGRESS, S.CLOSED];
  const change = (status: S) => ({ status, allocatedSchoolUrn: status === S.ALLOCATED ? '900004' : undefined, note: status === S.CLOSED ? 'Done' : undefined });
  const allowed: Record<S, S[]> = {
    [S.RECEIVED]: [S.ALLOCATED, S.CLOSED],
    [S.ALLOCATED]: [S.ALLOCATED, S.IN_PROGRESS, S.CLOSED],
    [S.IN_PROGRESS]: [S.CLOSED],
    [S.CLOSED]: [],
  };

  it.each(all)('from %s allows exactly the next steps; the rest are CONFLICT', (from) => {
    for (const to of all) {
      const result = code(() => checkReferralTransition({ status: from, allocatedSchoolUrn: from === S.RECEIVED ? null : '900007' }, change(to)));
      expect([to, result]).toEqual([to, allowed[from].includes(to) ? 'ok' : 'CONFLICT']);
    }
  });

  it('wants a school to allocate to, a different one to reallocate, and no school otherwise', () => {
    expect(code(() => checkReferralTransition({ status: S.RECEIVED }, { status: S.ALLOCATED }))).toBe('BAD_USER_INPUT');
    expect(code(() => checkReferralTransition({ status: S.ALLOCATED, allocatedSchoolUrn: '900004' }, { status: S.ALLOCATED, allocatedSchoolUrn: '900004' }))).toBe('CONFLICT');
    expect(code(() => checkReferralTransition({ status: S.ALLOCATED, allocatedSchoolUrn: '900004' }, { status: S.IN_PROGRESS, allocatedSchoolUrn: '900007' }))).toBe('BAD_USER_INPUT');
  });

  it('wants a note to close', () => {
    expect(code(() => checkReferralTransition({ status: S.IN_PROGRESS, allocatedSchoolUrn: '900004' }, { status: S.CLOSED, note: '  ' }))).toBe('BAD_USER_INPUT');
  });
});

describe('checkMayChangeReferral', () => {
  const allocated = { status: S.ALLOCATED, allocatedSchoolUrn: '900004' };

  it('lets ADMIN make any step', () => {
    expect(code(() => checkMayChangeReferral(admin, { status: S.RECEIVED }, { status: S.ALLOCATED, allocatedSchoolUrn: '900004' }))).toBe('ok');
  });

  it('lets the allocated school move it on and close it, but not allocate it', () => {
    expect(code(() => checkMayChangeReferral(provider('900004'), allocated, { status: S.IN_PROGRESS }))).toBe('ok');
    expect(code(() => checkMayChangeReferral(provider('900004'), allocated, { status: S.CLOSED, note: 'x' }))).toBe('ok');
    expect(code(() => checkMayChangeReferral(provider('900004'), allocated, { status: S.ALLOCATED, allocatedSchoolUrn: '900007' }))).toBe('FORBIDDEN');
  });

  it('refuses another special school, an unallocated referral, and the referring school', () => {
    expect(code(() => checkMayChangeReferral(provider('900007'), allocated, { status: S.IN_PROGRESS }))).toBe('FORBIDDEN');
    expect(code(() => checkMayChangeReferral(provider('900004'), { status: S.RECEIVED }, { status: S.CLOSED, note: 'x' }))).toBe('FORBIDDEN');
    expect(code(() => checkMayChangeReferral({ sub: 's', roles: ['SENDCO'], schoolUrn: '900001' }, allocated, { status: S.CLOSED, note: 'x' }))).toBe('FORBIDDEN');
  });
});
