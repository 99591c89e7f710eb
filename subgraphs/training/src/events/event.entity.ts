import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { EventCategory, EventFormat, EventStatus, Phase } from './event.enums';
import { Workshop } from './workshop.entity';

@ObjectType()
export class Venue {
  @Field()
  @Column({ type: 'text', name: 'venue_name', nullable: true })
  name!: string;

  @Field({ nullable: true })
  @Column({ type: 'text', name: 'venue_address', nullable: true })
  address?: string;

  @Field({ nullable: true })
  @Column({ type: 'text', name: 'venue_postcode', nullable: true })
  postcode?: string;
}

/** A training event: a CPD session or the SEND Live conference. Fields that need rules (placesLeft, joiningUrl) are resolved in event.resolver.ts. */
@ObjectType('Event', { description: 'A CPD session or the SEND Live conference.' })
@Entity({ name: 'event' })
export class TrainingEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column({ type: 'text' })
  title!: string;

  @Field(() => EventCategory)
  @Column({ type: 'text' })
  category!: EventCategory;

  @Field({ nullable: true })
  @Column({ type: 'text', nullable: true })
  summary?: string;

  @Field()
  @Column({ type: 'timestamptz', name: 'starts_at' })
  startsAt!: Date;

  @Field()
  @Column({ type: 'timestamptz', name: 'ends_at' })
  endsAt!: Date;

  @Field(() => EventFormat)
  @Column({ type: 'text' })
  format!: EventFormat;

  /** Resolved in event.resolver.ts: null when the event has no venue. */
  @Column(() => Venue, { prefix: false })
  venue?: Venue | null;

  /** Only ever shown to confirmed delegates (in their emails) and the training team. */
  @Column({ type: 'text', name: 'joining_url', nullable: true })
  joiningUrl?: string | null;

  @Field(() => Int)
  @Column({ type: 'int' })
  capacity!: number;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'booking_closes_at', nullable: true })
  bookingClosesAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'cancellation_deadline', nullable: true })
  cancellationDeadline?: Date | null;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 1, name: 'cpd_hours', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  cpdHours!: number;

  @Field(() => [Phase])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audience!: Phase[];

  @Field(() => Int)
  @Column({ type: 'int', name: 'price_per_delegate_pence', default: 0 })
  pricePerDelegatePence!: number;

  @Field(() => Int, { description: 'Hours before the start at which confirmed delegates are reminded (0 = no reminder).' })
  @Column({ type: 'int', name: 'reminder_hours_before', default: 48 })
  reminderHoursBefore!: number;

  @Field(() => String, { nullable: true, description: 'Why the event was cancelled.' })
  @Column({ type: 'text', name: 'cancelled_reason', nullable: true })
  cancelledReason?: string | null;

  @Field(() => EventStatus)
  @Column({ type: 'text', default: EventStatus.DRAFT })
  status!: EventStatus;

  @Column({ type: 'text', name: 'created_by' })
  createdBy!: string;

  @OneToMany(() => Workshop, (workshop) => workshop.event)
  workshops?: Workshop[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
