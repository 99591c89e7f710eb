/**
 * Who may see and change a banding return: special-category data about children, so narrower
 * than other school data. Readers: the school's own SENDCO and SCHOOL_STAFF, and council officers
 * (ADMIN too, who may do what any role may in this product; every read is audited). Not the
 * training team, not clinic providers, not another school. Only the school's SENDCO changes it;
 * only council officers quality-assure it.
 */
import { hasRole, isStaffOf, requireRole, requireSignedIn, type Principal } from '@sendco/auth';
import { forbidden } from '@sendco/errors';

export function canReadReturn(principal: Principal, schoolUrn: string): boolean {
  return isStaffOf(principal, schoolUrn) || hasRole(principal, 'COUNCIL_OFFICER');
}

export function requireReadReturn(principal: Principal, schoolUrn: string): void {
  requireSignedIn(principal);
  if (!canReadReturn(principal, schoolUrn)) throw forbidden("Only the school's own staff and council officers can see a school's banding return.");
}

export function requireSendcoOf(principal: Principal, schoolUrn: string): void {
  requireSignedIn(principal);
  if (!(principal.roles.includes('SENDCO') && principal.schoolUrn === schoolUrn)) throw forbidden("Only the school's SENDCO can change its banding return.");
}

export function requireCouncilOfficer(principal: Principal): void {
  requireRole(principal, 'COUNCIL_OFFICER');
}

/** The banding matrix is applied to EHCPs in mainstream schools; special schools are funded differently. */
export function takesPartInBanding(phase: string): boolean {
  return phase !== 'SPECIAL';
}
