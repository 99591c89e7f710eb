/**
 * Who may do what in Enhanced Pathways, in one place. Roles (contract README plus this domain's
 * two): PATHWAYS_ADMIN runs the rounds and chairs the board (ADMIN passes); BOARD_MEMBER scores,
 * but only on the boards of rounds that list them; the school's SENDCO or SCHOOL_STAFF (a head
 * teacher signs in as school staff) apply for their own school; council roles read any school's
 * applications; other schools never see one. Pure functions of the principal, unit-tested.
 */
import { canReadSchoolPrivate, hasRole, isStaffOf, requireSignedIn, type Principal } from '@sendco/auth';
import { forbidden } from '@sendco/errors';

/** Runs rounds, manages boards, decides and publishes (the chair). */
export function mayManageRounds(principal: Principal): boolean {
  return hasRole(principal, 'PATHWAYS_ADMIN');
}

export function requireMayManageRounds(principal: Principal): void {
  requireSignedIn(principal);
  if (!mayManageRounds(principal)) throw forbidden('Only the Enhanced Pathways team can do that.');
}

/** Drafts, saves, submits and withdraws that school's application: its SENDCO or staff (or ADMIN). */
export function mayApplyFor(principal: Principal, schoolUrn: string): boolean {
  return isStaffOf(principal, schoolUrn) || hasRole(principal, 'ADMIN');
}

export function requireMayApplyFor(principal: Principal, schoolUrn: string): void {
  requireSignedIn(principal);
  if (!mayApplyFor(principal, schoolUrn)) throw forbidden("Only the school's own SENDCO or staff can apply for it.");
}

/** A BOARD_MEMBER whom the round's board lists (ADMIN is never a scorer: the board is people). */
export function isBoardMemberOf(principal: Principal, memberSubs: ReadonlySet<string>): boolean {
  return principal.roles.includes('BOARD_MEMBER') && memberSubs.has(principal.sub);
}

/** Reads an application: the school's own staff, council roles, the Pathways team, and the round's board once it is submitted. */
export function maySeeApplication(principal: Principal, application: { schoolUrn: string; submitted: boolean }, onBoard: boolean): boolean {
  return canReadSchoolPrivate(principal, application.schoolUrn) || mayManageRounds(principal) || (onBoard && application.submitted);
}

/** The round's figures and CSV: the Pathways team and council roles. */
export function mayReport(principal: Principal): boolean {
  return mayManageRounds(principal) || hasRole(principal, 'COUNCIL_OFFICER');
}
