import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@sendco/database';
import { BulletinFrequency, SubscriptionStatus } from './subscriber.enums';

/** A reader of the bulletin. Never exposed as a GraphQL type: readers see their own preferences through a signed link only. */
@Entity({ name: 'subscriber' })
export class Subscriber extends BaseEntity {
  /** Stored lower-case, unique. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  role!: string | null;

  @Column({ type: 'char', length: 6, name: 'school_urn', nullable: true })
  schoolUrn!: string | null;

  /** Topic slugs; empty = every topic. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  topics!: string[];

  @Column({ type: 'text' })
  status!: SubscriptionStatus;

  @Column({ type: 'text' })
  frequency!: BulletinFrequency;

  /** How the person came to be on the list: `form`, or `import:<what the editor called the list>`. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'timestamptz', name: 'confirmation_sent_at', nullable: true })
  confirmationSentAt!: Date | null;

  /** When they opted in (the confirmation click, or the date an imported list says). */
  @Column({ type: 'timestamptz', name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'unsubscribed_at', nullable: true })
  unsubscribedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'suppressed_at', nullable: true })
  suppressedAt!: Date | null;

  @Column({ type: 'text', name: 'suppression_reason', nullable: true })
  suppressionReason!: string | null;
}
