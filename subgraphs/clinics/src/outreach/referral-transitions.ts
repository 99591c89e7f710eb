/**
 * The life of an Outreach referral, pure so every transition is unit-tested:
 *   RECEIVED → ALLOCATED (ADMIN, to a special school; ADMIN may reallocate before work starts)
 *   ALLOCATED → IN_PROGRESS (ADMIN or the allocated school's provider)
 *   any open status → CLOSED, with a note (ADMIN, or the allocated school's provider once allocated)
 * Anything else is a CONFLICT; who may ask is checked first (FORBIDDEN).
 */
import { hasRole, type Principal } from '@sendco/auth';
import { badUserInput, conflict, forbidden, type FieldProblem } from '@sendco/errors';
import { isProviderOf } from '../access';
import { OutreachReferralStatus as Status } from './referral.enums';

const NEXT: Record<Status, readonly Status[]> = {
  [Status.RECEIVED]: [Status.ALLOCATED, Status.CLOSED],
  [Status.ALLOCATED]: [Status.ALLOCATED, Status.IN_PROGRESS, Status.CLOSED],
  [Status.IN_PROGRESS]: [Status.CLOSED],
  [Status.CLOSED]: [],
};

export interface ReferralChange {
  status: Status;
  allocatedSchoolUrn?: string | null;
  note?: string | null;
}

export interface ReferralState {
  status: Status;
  allocatedSchoolUrn?: string | null;
}

/** Who may make this change: ADMIN anything; the allocated school's provider only moves its own referral on (never allocates). */
export function checkMayChangeReferral(principal: Principal, referral: ReferralState, change: ReferralChange): void {
  if (hasRole(principal, 'ADMIN')) return;
  if (!isProviderOf(principal, referral.allocatedSchoolUrn)) throw forbidden('Only ADMIN or the special school it is allocated to can change this referral.');
  if (change.status === Status.ALLOCATED) throw forbidden('Only ADMIN allocates referrals.');
}

/** Whether the step is allowed from where the referral is, and has what it needs. */
export function checkReferralTransition(referral: ReferralState, change: ReferralChange): void {
  if (!NEXT[referral.status].includes(change.status)) {
    throw conflict(`A referral that is ${referral.status.toLowerCase().replace('_', ' ')} cannot become ${change.status.toLowerCase().replace('_', ' ')}.`);
  }
  const problems: FieldProblem[] = [];
  if (change.status === Status.ALLOCATED) {
    if (!change.allocatedSchoolUrn) problems.push({ field: 'allocatedSchoolUrn', message: 'is required to allocate a referral' });
    else if (change.allocatedSchoolUrn === referral.allocatedSchoolUrn) throw conflict('The referral is already allocated to that school.');
  } else if (change.allocatedSchoolUrn) {
    problems.push({ field: 'allocatedSchoolUrn', message: 'is only given when allocating' });
  }
  if (change.status === Status.CLOSED && !change.note?.trim()) problems.push({ field: 'note', message: 'is required to close a referral (what was done, or why it closed)' });
  if (problems.length) throw badUserInput(problems);
}
