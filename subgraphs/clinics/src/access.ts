/**
 * Who may do what in SEND Clinics and Outreach, in one place. Roles (contract README):
 * CLINIC_PROVIDER acts for the special school in its token's schoolUrn; SENDCO and SCHOOL_STAFF
 * for their own school; COUNCIL_OFFICER (and the other council roles) read any school's requests
 * and referrals; ADMIN may do everything. Pure functions of the principal, unit-tested.
 */
import { canReadSchoolPrivate, COUNCIL_ROLES, hasRole, isStaffOf, requireSignedIn, type Principal } from '@sendco/auth';
import { forbidden } from '@sendco/errors';

/** A clinic provider of that (delivering) school. */
export function isProviderOf(principal: Principal, schoolUrn: string | null | undefined): boolean {
  return Boolean(schoolUrn) && principal.schoolUrn === schoolUrn && principal.roles.includes('CLINIC_PROVIDER');
}

/** May create, edit and cancel that school's clinics and decide its requests: its provider, or ADMIN. */
export function mayRunClinicsOf(principal: Principal, deliveringSchoolUrn: string): boolean {
  return isProviderOf(principal, deliveringSchoolUrn) || hasRole(principal, 'ADMIN');
}

export function requireMayRunClinicsOf(principal: Principal, deliveringSchoolUrn: string): void {
  requireSignedIn(principal);
  if (!mayRunClinicsOf(principal, deliveringSchoolUrn)) throw forbidden("Only the delivering school's clinic providers can do that.");
}

/** May ask for places for that school: its SENDCO or staff, or ADMIN. */
export function mayRequestFor(principal: Principal, schoolUrn: string): boolean {
  return isStaffOf(principal, schoolUrn) || hasRole(principal, 'ADMIN');
}

/** May read a request (its answers, its attendee): the requesting school and council roles, and the delivering school. */
export function maySeeRequest(principal: Principal, request: { schoolUrn: string }, clinic: { deliveringSchoolUrn: string }): boolean {
  return canReadSchoolPrivate(principal, request.schoolUrn) || mayRunClinicsOf(principal, clinic.deliveringSchoolUrn);
}

/** May cancel a request: either side (the requesting school's staff, the delivering school's provider), or ADMIN. */
export function mayCancelRequest(principal: Principal, request: { schoolUrn: string }, clinic: { deliveringSchoolUrn: string }): boolean {
  return mayRequestFor(principal, request.schoolUrn) || mayRunClinicsOf(principal, clinic.deliveringSchoolUrn);
}

/** May refer a school to Outreach: its SENDCO (the contract's rule), or ADMIN. */
export function mayReferToOutreach(principal: Principal, schoolUrn: string): boolean {
  return (principal.schoolUrn === schoolUrn && principal.roles.includes('SENDCO')) || hasRole(principal, 'ADMIN');
}

/** May read a referral: the referring school and council roles, and the special school it is allocated to. */
export function maySeeReferral(principal: Principal, referral: { schoolUrn: string; allocatedSchoolUrn?: string | null }): boolean {
  return canReadSchoolPrivate(principal, referral.schoolUrn) || isProviderOf(principal, referral.allocatedSchoolUrn);
}

/** May see the Outreach figures across all schools. */
export function mayCountReferrals(principal: Principal): boolean {
  return hasRole(principal, 'COUNCIL_OFFICER');
}

/**
 * Which referrals a list shows the caller: every one for council roles; otherwise their own
 * school's (staff) and those allocated to their school (provider). The same rule as maySeeReferral.
 */
export function referralScope(principal: Principal): { everything: true } | { referredBy?: string; allocatedTo?: string } {
  if (hasRole(principal, ...COUNCIL_ROLES)) return { everything: true };
  const urn = principal.schoolUrn;
  return {
    referredBy: urn && isStaffOf(principal, urn) ? urn : undefined,
    allocatedTo: urn && isProviderOf(principal, urn) ? urn : undefined,
  };
}
