import { registerEnumType } from 'type-graphql';

/** PENDING (asked, not confirmed: only the confirmation email) → CONFIRMED → UNSUBSCRIBED; SUPPRESSED after a permanent failure. */
export enum SubscriptionStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  UNSUBSCRIBED = 'UNSUBSCRIBED',
  SUPPRESSED = 'SUPPRESSED',
}

/** Each bulletin as it goes out (the default), or one weekly digest. */
export enum BulletinFrequency {
  EACH_BULLETIN = 'EACH_BULLETIN',
  WEEKLY_DIGEST = 'WEEKLY_DIGEST',
}

registerEnumType(SubscriptionStatus, { name: 'BulletinSubscriptionStatus' });
registerEnumType(BulletinFrequency, { name: 'BulletinFrequency' });
