import type { Principal, Role } from '@sendco/auth';
import { mayCancelRequest, mayCountReferrals, mayReferToOutreach, mayRequestFor, mayRunClinicsOf, maySeeReferral, maySeeRequest, referralScope } from './access';

const who = (role: Role, schoolUrn?: string): Principal => ({ sub: `${role}-${schoolUrn ?? 'council'}`, roles: [role], schoolUrn });
const SPECIAL = '900004';
const OTHER_SPECIAL = '900007';
const SCHOOL = '900001';
const OTHER_SCHOOL = '900002';
const clinic = { deliveringSchoolUrn: SPECIAL };
const request = { schoolUrn: SCHOOL };

describe('clinics: who may do what', () => {
  it('lets only the delivering school\'s provider, or ADMIN, run its clinics', () => {
    expect(mayRunClinicsOf(who('CLINIC_PROVIDER', SPECIAL), SPECIAL)).toBe(true);
    expect(mayRunClinicsOf(who('ADMIN'), SPECIAL)).toBe(true);
    expect(mayRunClinicsOf(who('CLINIC_PROVIDER', OTHER_SPECIAL), SPECIAL)).toBe(false);
    expect(mayRunClinicsOf(who('SENDCO', SPECIAL), SPECIAL)).toBe(false); // a special school's SENDCO is not its clinic provider
    expect(mayRunClinicsOf(who('COUNCIL_OFFICER'), SPECIAL)).toBe(false);
    expect(mayRunClinicsOf({ sub: 'anonymous', roles: [] }, SPECIAL)).toBe(false);
  });

  it('lets a school ask for places only for itself', () => {
    expect(mayRequestFor(who('SENDCO', SCHOOL), SCHOOL)).toBe(true);
    expect(mayRequestFor(who('SCHOOL_STAFF', SCHOOL), SCHOOL)).toBe(true);
    expect(mayRequestFor(who('SCHOOL_STAFF', OTHER_SCHOOL), SCHOOL)).toBe(false);
    expect(mayRequestFor(who('CLINIC_PROVIDER', SCHOOL), SCHOOL)).toBe(false);
  });

  it('shows a request to the requesting school, council roles and the delivering school only', () => {
    expect(maySeeRequest(who('SCHOOL_STAFF', SCHOOL), request, clinic)).toBe(true);
    expect(maySeeRequest(who('COUNCIL_OFFICER'), request, clinic)).toBe(true);
    expect(maySeeRequest(who('CLINIC_PROVIDER', SPECIAL), request, clinic)).toBe(true);
    expect(maySeeRequest(who('SENDCO', OTHER_SCHOOL), request, clinic)).toBe(false);
    expect(maySeeRequest(who('CLINIC_PROVIDER', OTHER_SPECIAL), request, clinic)).toBe(false);
    expect(maySeeRequest(who('BULLETIN_EDITOR'), request, clinic)).toBe(false);
  });

  it('lets either side cancel, nobody else', () => {
    expect(mayCancelRequest(who('SENDCO', SCHOOL), request, clinic)).toBe(true);
    expect(mayCancelRequest(who('CLINIC_PROVIDER', SPECIAL), request, clinic)).toBe(true);
    expect(mayCancelRequest(who('COUNCIL_OFFICER'), request, clinic)).toBe(false);
    expect(mayCancelRequest(who('CLINIC_PROVIDER', OTHER_SPECIAL), request, clinic)).toBe(false);
  });
});

describe('outreach: who may do what', () => {
  const referral = { schoolUrn: SCHOOL, allocatedSchoolUrn: SPECIAL };

  it('lets only the school\'s SENDCO refer it', () => {
    expect(mayReferToOutreach(who('SENDCO', SCHOOL), SCHOOL)).toBe(true);
    expect(mayReferToOutreach(who('SCHOOL_STAFF', SCHOOL), SCHOOL)).toBe(false);
    expect(mayReferToOutreach(who('SENDCO', OTHER_SCHOOL), SCHOOL)).toBe(false);
    expect(mayReferToOutreach(who('ADMIN'), SCHOOL)).toBe(true);
  });

  it('shows a referral to its school, council roles and the allocated special school', () => {
    expect(maySeeReferral(who('SCHOOL_STAFF', SCHOOL), referral)).toBe(true);
    expect(maySeeReferral(who('COUNCIL_OFFICER'), referral)).toBe(true);
    expect(maySeeReferral(who('CLINIC_PROVIDER', SPECIAL), referral)).toBe(true);
    expect(maySeeReferral(who('CLINIC_PROVIDER', OTHER_SPECIAL), referral)).toBe(false);
    expect(maySeeReferral(who('CLINIC_PROVIDER', SPECIAL), { schoolUrn: SCHOOL, allocatedSchoolUrn: null })).toBe(false);
    expect(maySeeReferral(who('SENDCO', OTHER_SCHOOL), referral)).toBe(false);
  });

  it('scopes lists the same way', () => {
    expect(referralScope(who('COUNCIL_OFFICER'))).toEqual({ everything: true });
    expect(referralScope(who('SENDCO', SCHOOL))).toEqual({ referredBy: SCHOOL, allocatedTo: undefined });
    expect(referralScope(who('CLINIC_PROVIDER', SPECIAL))).toEqual({ referredBy: undefined, allocatedTo: SPECIAL });
    expect(referralScope(who('BULLETIN_EDITOR'))).toEqual({ referredBy: undefined, allocatedTo: undefined });
  });

  it('gives the figures to council officers and ADMIN', () => {
    expect(mayCountReferrals(who('COUNCIL_OFFICER'))).toBe(true);
    expect(mayCountReferrals(who('ADMIN'))).toBe(true);
    expect(mayCountReferrals(who('SENDCO', SCHOOL))).toBe(false);
    expect(mayCountReferrals(who('CLINIC_PROVIDER', SPECIAL))).toBe(false);
  });
});
