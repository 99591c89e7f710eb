import { SubscriptionStatus } from './subscriber.enums';
import { CONFIRMATION_COOLDOWN_MS, confirmOutcome, mailboxKey, normaliseEmail, signUpAction } from './subscription-rules';

const now = new Date('2026-11-26T09:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('signUpAction', () => {
  it('creates a new address', () => expect(signUpAction(null, now)).toBe('create'));
  it('asks a pending address to confirm again once the cool-down has passed, not before', () => {
    expect(signUpAction({ status: SubscriptionStatus.PENDING, confirmationSentAt: ago(CONFIRMATION_COOLDOWN_MS) }, now)).toBe('ask-to-confirm');
    expect(signUpAction({ status: SubscriptionStatus.PENDING, confirmationSentAt: ago(CONFIRMATION_COOLDOWN_MS - 1) }, now)).toBe('cooling-down');
  });
  it('asks someone who unsubscribed to confirm again (a new opt-in)', () => {
    expect(signUpAction({ status: SubscriptionStatus.UNSUBSCRIBED, confirmationSentAt: ago(30 * 24 * 3600_000) }, now)).toBe('ask-to-confirm');
  });
  it('leaves confirmed and suppressed addresses alone', () => {
    expect(signUpAction({ status: SubscriptionStatus.CONFIRMED, confirmationSentAt: ago(1) }, now)).toBe('leave-alone');
    expect(signUpAction({ status: SubscriptionStatus.SUPPRESSED, confirmationSentAt: null }, now)).toBe('leave-alone');
  });
});

describe('the confirmation limit', () => {
  it('is one email per mailbox per hour', () => expect(CONFIRMATION_COOLDOWN_MS).toBe(60 * 60_000));
  it('counts sub-addresses, case and Unicode or punycode domains as one mailbox', () => {
    for (const spelling of ['me@example.org', ' Me@Example.ORG ', 'me+1@example.org', 'ME+news+x@example.org', 'me@example.org.']) expect(mailboxKey(spelling)).toBe('me@example.org');
    expect(mailboxKey('anna@bücher.example')).toBe(mailboxKey('anna@xn--bcher-kva.example'));
    expect(mailboxKey('anna@bücher.example')).toBe('anna@xn--bcher-kva.example');
    expect(mailboxKey('you@example.org')).not.toBe(mailboxKey('me@example.org'));
    expect(mailboxKey('+tag@example.org')).toBe('+tag@example.org');
  });
});

describe('confirmOutcome', () => {
  it('confirms pending, repeats harmlessly, and does not revive unsubscribed or suppressed addresses', () => {
    expect(confirmOutcome(SubscriptionStatus.PENDING)).toBe('confirmed');
    expect(confirmOutcome(SubscriptionStatus.CONFIRMED)).toBe('already-confirmed');
    expect(confirmOutcome(SubscriptionStatus.UNSUBSCRIBED)).toBe('no-longer-valid');
    expect(confirmOutcome(SubscriptionStatus.SUPPRESSED)).toBe('no-longer-valid');
  });
});

it('normalises addresses', () => expect(normaliseEmail('  Sam.Patel@Example.ORG ')).toBe('sam.patel@example.org'));
