import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Place } from './place.entity';

/** One school's booking for one event: one submission, one or more delegates (each a Place). */
@ObjectType()
@Entity({ name: 'booking' })
@Index('booking_event_idx', ['eventId'])
@Index('booking_school_idx', ['schoolUrn'])
@Index('booking_idempotency_key', ['schoolUrn', 'idempotencyKey'], { unique: true, where: 'idempotency_key IS NOT NULL' })
export class Booking {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Short reference to quote to the training team, e.g. TRN-7KD4MQ2X.' })
  @Column({ type: 'text', unique: true })
  reference!: string;

  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Field(() => ID)
  @Column({ type: 'char', length: 6, name: 'school_urn' })
  schoolUrn!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'purchase_order', nullable: true })
  purchaseOrder?: string | null;

  @Column({ type: 'text', name: 'idempotency_key', nullable: true })
  idempotencyKey?: string | null;

  /** sha256 of the normalised request the idempotency key was first used with (booking-request-hash.ts). */
  @Column({ type: 'text', name: 'request_hash', nullable: true })
  requestHash?: string | null;

  @Column({ type: 'text', name: 'booked_by' })
  bookedBy!: string;

  @Column({ type: 'text', name: 'booker_name', nullable: true })
  bookerName?: string | null;

  @Column({ type: 'text', name: 'booker_email', nullable: true })
  bookerEmail?: string | null;

  @OneToMany(() => Place, (place) => place.booking)
  places?: Place[];

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
