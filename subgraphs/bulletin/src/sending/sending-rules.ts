/**
 * The rules of sending a bulletin, pure so each is unit-tested: when it may be scheduled or
 * cancelled, whether a due send job still applies, when one attempt may claim a delivery, which
 * mail server answers are permanent, and how the delivery figures are counted.
 */
import { BulletinStatus } from '../bulletins/bulletin.enums';
import { DeliveryState } from './delivery.entity';

/** A send time this far in the past is taken as a mistake rather than "now". */
export const SEND_AT_TOLERANCE_MS = 60_000;

/**
 * How long a claim holds. An attempt that claimed a delivery and then died (its process was
 * killed) leaves it SENDING; once the lease has run out another attempt may take it over. It is
 * longer than one SMTP send can take (connect 10 s + greeting 10 s + socket 30 s), so a live,
 * slow attempt is never overtaken.
 */
export const CLAIM_LEASE_MS = 60_000;

export type ScheduleCheck = { ok: true } | { ok: false; reason: 'already-sending' | 'send-at-in-past' };

export function checkSchedule(status: BulletinStatus, sendAt: Date | null, now: Date): ScheduleCheck {
  if (status === BulletinStatus.SENDING || status === BulletinStatus.SENT) return { ok: false, reason: 'already-sending' };
  if (sendAt && sendAt.getTime() < now.getTime() - SEND_AT_TOLERANCE_MS) return { ok: false, reason: 'send-at-in-past' };
  return { ok: true };
}

export type CancelCheck = 'cancel' | 'not-scheduled' | 'already-sending';

/** Cancellable until sending starts. */
export function checkCancel(status: BulletinStatus): CancelCheck {
  if (status === BulletinStatus.SCHEDULED) return 'cancel';
  if (status === BulletinStatus.DRAFT) return 'not-scheduled';
  return 'already-sending';
}

export type SendJobDecision = 'start' | 'resume' | 'stale';

/** A due send job starts the send if the bulletin is still scheduled by this job; a retried job resumes its fan-out. */
export function sendJobDecision(bulletin: { status: BulletinStatus; scheduleVersion: number; fanoutDone: boolean } | null, jobVersion: number): SendJobDecision {
  if (!bulletin || bulletin.scheduleVersion !== jobVersion) return 'stale';
  if (bulletin.status === BulletinStatus.SCHEDULED) return 'start';
  if (bulletin.status === BulletinStatus.SENDING && !bulletin.fanoutDone) return 'resume';
  return 'stale';
}

export type ClaimCheck = 'claim' | 'done' | 'held';

/** Whether this attempt may send: PENDING, or SENDING under a claim whose lease has run out. */
export function checkClaim(delivery: { state: DeliveryState; claimedAt: Date | null }, now: Date, leaseMs = CLAIM_LEASE_MS): ClaimCheck {
  if (delivery.state === DeliveryState.PENDING) return 'claim';
  if (delivery.state === DeliveryState.SENDING) return delivery.claimedAt && now.getTime() - delivery.claimedAt.getTime() >= leaseMs ? 'claim' : 'held';
  return 'done';
}

/** 5xx from the mail server is permanent (the address is refused); anything else (4xx, no connection, timeouts) is worth retrying. */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export interface DeliveryFigures {
  recipients: number;
  sent: number;
  failed: number;
  pending: number;
  suppressed: number;
}

export function deliveryFigures(counts: Partial<Record<DeliveryState, number>>): DeliveryFigures {
  const n = (state: DeliveryState) => counts[state] ?? 0;
  const figures = {
    sent: n(DeliveryState.SENT),
    failed: n(DeliveryState.FAILED),
    pending: n(DeliveryState.PENDING) + n(DeliveryState.SENDING),
    suppressed: n(DeliveryState.SUPPRESSED),
  };
  return { recipients: figures.sent + figures.failed + figures.pending + figures.suppressed, ...figures };
}

/** BullMQ limiter for the delivery queue: at most `perSecond` emails a second across every worker; 0 = none. */
export function deliveryLimiter(perSecond: number): { max: number; duration: number } | undefined {
  return perSecond > 0 ? { max: perSecond, duration: 1000 } : undefined;
}
