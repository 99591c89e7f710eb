/**
 * The life of a clinic request, pure so every transition is unit-tested:
 *   REQUESTED → CONFIRMED | DECLINED (the delivering school decides)
 *   REQUESTED | CONFIRMED → CANCELLED (either side, or the clinic is cancelled)
 * REQUESTED and CONFIRMED hold a place; a clinic has room while fewer than its capacity do.
 * Repeating the step just taken (the same decision, a second cancellation) changes nothing, so a
 * double click is harmless; anything else from a finished state is a CONFLICT.
 */
import { conflict } from '@sendco/errors';
import { ClinicDecision, ClinicRequestStatus, HOLDS_PLACE } from './request-status';

export type Step = 'apply' | 'unchanged';

const DECIDED: Record<ClinicDecision, ClinicRequestStatus> = {
  [ClinicDecision.CONFIRM]: ClinicRequestStatus.CONFIRMED,
  [ClinicDecision.DECLINE]: ClinicRequestStatus.DECLINED,
};

export function statusAfterDecision(decision: ClinicDecision): ClinicRequestStatus {
  return DECIDED[decision];
}

export function checkDecision(status: ClinicRequestStatus, decision: ClinicDecision): Step {
  if (status === ClinicRequestStatus.REQUESTED) return 'apply';
  if (status === DECIDED[decision]) return 'unchanged';
  throw conflict(`This request is already ${status.toLowerCase()}, so it cannot be ${decision === ClinicDecision.CONFIRM ? 'confirmed' : 'declined'}.`);
}

export function checkCancellation(status: ClinicRequestStatus): Step {
  if (HOLDS_PLACE.includes(status)) return 'apply';
  if (status === ClinicRequestStatus.CANCELLED) return 'unchanged';
  throw conflict(`This request was ${status.toLowerCase()}, so there is no place to cancel.`);
}

/** Nothing changes on a clinic's requests once it has started (attendance is the delivering school's record). */
export function checkNotStarted(clinic: { startsAt: Date }, now: Date): void {
  if (now >= clinic.startsAt) throw conflict('This clinic has already taken place.');
}

/** Room for one more request while fewer than `capacity` requests hold a place. */
export function hasRoom(capacity: number, held: number): boolean {
  return held < capacity;
}
