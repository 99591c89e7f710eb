import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { PlaceStatus } from './place-status';
import { Booking } from './booking.entity';

/** One delegate's place on an event (and workshop). The waiting list is the WAITLISTED places in `queue_seq` order. */
@ObjectType()
@Entity({ name: 'place' })
@Index('place_booking_idx', ['bookingId'])
@Index('place_event_status_idx', ['eventId', 'status'])
// Whether a delegate is already on the event, read under its lock by every booking (migration 1764720000000).
@Index('place_event_email_idx', ['eventId', 'delegateEmail'])
@Index('place_workshop_idx', ['workshopId'])
export class Place {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'booking_id' })
  bookingId!: string;

  @ManyToOne(() => Booking, (booking) => booking.places, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'uuid', name: 'workshop_id', nullable: true })
  workshopId?: string | null;

  @Column({ type: 'char', length: 6, name: 'school_urn' })
  schoolUrn!: string;

  @Field()
  @Column({ type: 'text', name: 'delegate_name' })
  delegateName!: string;

  @Field()
  @Column({ type: 'text', name: 'delegate_email' })
  delegateEmail!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'job_title', nullable: true })
  jobTitle?: string | null;

  /** Training team only (see place.resolver.ts). */
  @Column({ type: 'text', name: 'access_requirements', nullable: true })
  accessRequirements?: string | null;

  /** Training team only (see place.resolver.ts). */
  @Column({ type: 'text', name: 'dietary_requirements', nullable: true })
  dietaryRequirements?: string | null;

  @Field(() => PlaceStatus)
  @Column({ type: 'text' })
  status!: PlaceStatus;

  /** iCalendar SEQUENCE of this place's invitation: raised on every change so calendars apply the latest. */
  @Column({ type: 'int', name: 'invite_sequence', default: 0 })
  inviteSequence!: number;

  /** Set when the reminder email was recorded, so a repeated reminder job sends nothing. */
  @Column({ type: 'timestamptz', name: 'reminded_at', nullable: true })
  remindedAt?: Date | null;

  @Column({ type: 'text', name: 'cancelled_reason', nullable: true })
  cancelledReason?: string | null;

  /** First come, first served: the order places were asked for, across all bookings. */
  @Column({ type: 'bigint', name: 'queue_seq' })
  @Generated('increment')
  queueSeq!: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
