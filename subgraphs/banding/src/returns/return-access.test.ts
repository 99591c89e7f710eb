import { ANONYMOUS, type Principal, type Role } from '@sendco/auth';
import { canReadReturn, requireCouncilOfficer, requireReadReturn, requireSendcoOf, takesPartInBanding } from './return-access';

const who = (role: Role, schoolUrn?: string): Principal => ({ sub: `${role}-${schoolUrn ?? 'council'}`, roles: [role], schoolUrn });

describe('who may read a school banding return', () => {
  it.each<[string, Principal, boolean]>([
    ["the school's SENDCO", who('SENDCO', '900001'), true],
    ["the school's other staff", who('SCHOOL_STAFF', '900001'), true],
    ['a council officer', who('COUNCIL_OFFICER'), true],
    ['an admin', who('ADMIN'), true],
    ["another school's SENDCO", who('SENDCO', '900002'), false],
    ['the training team', who('TRAINING_ADMIN'), false],
    ['a clinic provider, even one attached to the school', who('CLINIC_PROVIDER', '900001'), false],
    ['a bulletin editor', who('BULLETIN_EDITOR'), false],
  ])('%s: %p', (_label, principal, allowed) => {
    expect(canReadReturn(principal, '900001')).toBe(allowed);
  });

  it('answers UNAUTHENTICATED to anonymous and FORBIDDEN to the signed-in who may not', () => {
    expect(() => requireReadReturn(ANONYMOUS, '900001')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => requireReadReturn(who('TRAINING_ADMIN'), '900001')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});

describe('who may change it', () => {
  it("is the school's SENDCO only", () => {
    expect(() => requireSendcoOf(who('SENDCO', '900001'), '900001')).not.toThrow();
    for (const principal of [who('SCHOOL_STAFF', '900001'), who('SENDCO', '900002'), who('COUNCIL_OFFICER'), who('ADMIN')]) {
      expect(() => requireSendcoOf(principal, '900001')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
  });

  it('is quality-assured by council officers only', () => {
    expect(() => requireCouncilOfficer(who('COUNCIL_OFFICER'))).not.toThrow();
    expect(() => requireCouncilOfficer(who('SENDCO', '900001'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => requireCouncilOfficer(who('TRAINING_ADMIN'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});

describe('which schools take part', () => {
  it('is every phase but special schools', () => {
    expect(['PRIMARY', 'SECONDARY', 'ALL_THROUGH', 'POST_16'].every(takesPartInBanding)).toBe(true);
    expect(takesPartInBanding('SPECIAL')).toBe(false);
  });
});
