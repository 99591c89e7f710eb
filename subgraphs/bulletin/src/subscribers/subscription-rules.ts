/**
 * What a sign-up does to an address, whatever is already known about it. The caller's answer is
 * the same in every case (no telling whether an address is on the list); only what happens
 * behind it differs.
 */
import { domainToASCII } from 'node:url';
import { SubscriptionStatus } from './subscriber.enums';

/**
 * No second confirmation email to one mailbox within this time, however often (or however many
 * times in one request) the form is sent: one pending confirmation per mailbox per hour. Held by
 * the `confirmation_throttle` table's primary key (subscriber.service.ts), not by a check in memory.
 */
export const CONFIRMATION_COOLDOWN_MS = 60 * 60_000;

export type SignUpAction =
  /** A new address: record it as PENDING and send the confirmation. */
  | 'create'
  /** Pending or previously unsubscribed: (again) PENDING with the new choices, and a confirmation. */
  | 'ask-to-confirm'
  /** Asked again within the cool-down: keep the new choices, send nothing. */
  | 'cooling-down'
  /** Already confirmed or suppressed: change nothing (a stranger must not alter a reader's choices). */
  | 'leave-alone';

export function signUpAction(existing: { status: SubscriptionStatus; confirmationSentAt: Date | null } | null, now: Date): SignUpAction {
  if (!existing) return 'create';
  if (existing.status === SubscriptionStatus.CONFIRMED || existing.status === SubscriptionStatus.SUPPRESSED) return 'leave-alone';
  if (existing.confirmationSentAt && now.getTime() - existing.confirmationSentAt.getTime() < CONFIRMATION_COOLDOWN_MS) return 'cooling-down';
  return 'ask-to-confirm';
}

export type ConfirmOutcome = 'confirmed' | 'already-confirmed' | 'no-longer-valid';

/** A confirmation link confirms a PENDING address; an old link after unsubscribing or a suppression does not revive it. */
export function confirmOutcome(status: SubscriptionStatus): ConfirmOutcome {
  if (status === SubscriptionStatus.PENDING) return 'confirmed';
  if (status === SubscriptionStatus.CONFIRMED) return 'already-confirmed';
  return 'no-longer-valid';
}

/** Addresses are compared and stored lower-case and trimmed. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The mailbox an address reaches, for the confirmation limit: sub-addresses (`me+1@`, `me+2@`,
 * which most providers deliver to `me@`) and a domain written in Unicode or in punycode count as
 * one. Only for limiting: the subscriber keeps the address as given.
 */
export function mailboxKey(email: string): string {
  const normalised = normaliseEmail(email);
  const at = normalised.lastIndexOf('@');
  if (at < 0) return normalised;
  const local = normalised.slice(0, at).split('+')[0] || normalised.slice(0, at);
  const domain = normalised.slice(at + 1).replace(/\.$/, '');
  return `${local}@${domainToASCII(domain) || domain}`;
}
