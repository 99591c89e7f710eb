import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One bulletin to one subscriber: PENDING → SENDING (claimed by one attempt) → SENT, or FAILED
 * (permanently), or SUPPRESSED (the address was suppressed or unsubscribed before its turn).
 * The primary key makes the pair unique, so however often the fan-out runs there is one row.
 */
export enum DeliveryState {
  PENDING = 'PENDING',
  SENDING = 'SENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  SUPPRESSED = 'SUPPRESSED',
}

@Entity({ name: 'delivery' })
export class Delivery {
  @PrimaryColumn({ type: 'uuid', name: 'bulletin_id' })
  bulletinId!: string;

  @PrimaryColumn({ type: 'uuid', name: 'subscriber_id' })
  subscriberId!: string;

  @Column({ type: 'text' })
  state!: DeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', name: 'claimed_at', nullable: true })
  claimedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'text', name: 'message_id', nullable: true })
  messageId!: string | null;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError!: string | null;
}
