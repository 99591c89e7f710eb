/**
 * A return's life: DRAFT → SUBMITTED → (RETURNED → SUBMITTED)* → APPROVED. The school edits
 * while DRAFT or RETURNED; the council decides while SUBMITTED; APPROVED is final and read-only.
 * Which action each status allows is decided here and nowhere else.
 */
import { registerEnumType } from 'type-graphql';
import { conflict } from '@sendco/errors';

export enum ReturnStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  APPROVED = 'APPROVED',
}
registerEnumType(ReturnStatus, {
  name: 'BandingReturnStatus',
  description: 'DRAFT (the school is filling it in) → SUBMITTED (waiting for council QA) → RETURNED (back to the school with comments) or APPROVED (final, read-only).',
});

export type ReturnAction = 'updateCounts' | 'editPupils' | 'submit' | 'qualityAssure';

const ALLOWED: Record<ReturnAction, readonly ReturnStatus[]> = {
  updateCounts: [ReturnStatus.DRAFT, ReturnStatus.RETURNED],
  editPupils: [ReturnStatus.DRAFT, ReturnStatus.RETURNED],
  submit: [ReturnStatus.DRAFT, ReturnStatus.RETURNED],
  qualityAssure: [ReturnStatus.SUBMITTED],
};

const REFUSALS: Record<ReturnAction, Partial<Record<ReturnStatus, string>>> = {
  updateCounts: {
    [ReturnStatus.SUBMITTED]: 'This return has been submitted and is waiting for the council: its counts cannot change now.',
    [ReturnStatus.APPROVED]: 'This return has been approved and can no longer change.',
  },
  editPupils: {
    [ReturnStatus.SUBMITTED]: 'This return has been submitted and is waiting for the council: pupils cannot be changed unless it is returned to the school.',
    [ReturnStatus.APPROVED]: 'This return has been approved and can no longer change.',
  },
  submit: {
    [ReturnStatus.SUBMITTED]: 'This return has already been submitted.',
    [ReturnStatus.APPROVED]: 'This return has been approved and can no longer change.',
  },
  qualityAssure: {
    [ReturnStatus.DRAFT]: 'This return has not been submitted yet.',
    [ReturnStatus.RETURNED]: 'This return is back with the school; it can be quality-assured when they submit it again.',
    [ReturnStatus.APPROVED]: 'This return has already been approved and can no longer change.',
  },
};

export function canDo(status: ReturnStatus, action: ReturnAction): boolean {
  return ALLOWED[action].includes(status);
}

/** CONFLICT (with the return's status in extensions) when `status` does not allow `action`. */
export function assertCanDo(status: ReturnStatus, action: ReturnAction): void {
  if (!canDo(status, action)) throw conflict(REFUSALS[action][status] ?? `A ${status} return does not allow that.`, { status });
}

/** The status after a quality-assurance outcome. */
export function statusAfterQa(outcome: 'APPROVED' | 'RETURNED'): ReturnStatus {
  return outcome === 'APPROVED' ? ReturnStatus.APPROVED : ReturnStatus.RETURNED;
}
