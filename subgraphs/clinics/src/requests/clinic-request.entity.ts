import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { FormAnswer } from '@sendco/forms';
import { ClinicRequestStatus } from './request-status';

@ObjectType({ description: 'The person who would attend.' })
export class ClinicAttendee {
  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true, description: 'Their role at the school, e.g. SENDCO or teaching assistant.' })
  role?: string | null;
}

/** The shared form engine's recorded answer (@sendco/forms), under the clinics schema's own name. */
@ObjectType('ClinicAnswer', { description: 'An answer to a booking-form question, with the question as it was asked.' })
export class ClinicAnswer extends FormAnswer {}

/**
 * A school's request for a place at a clinic. REQUESTED and CONFIRMED requests hold a place. Seen
 * by the requesting school's staff, council roles and the delivering school (requests/access.ts).
 */
@ObjectType({ description: "A school's request for a place at a clinic, with its booking-form answers." })
@Entity({ name: 'clinic_request' })
@Index('clinic_request_clinic_status_idx', ['clinicId', 'status'])
@Index('clinic_request_school_idx', ['schoolUrn'])
export class ClinicRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'clinic_id' })
  clinicId!: string;

  @Field(() => ID, { description: 'The requesting school.' })
  @Column({ type: 'char', length: 6, name: 'school_urn' })
  schoolUrn!: string;

  @Column({ type: 'text', name: 'attendee_name' })
  attendeeName!: string;

  @Column({ type: 'text', name: 'attendee_email' })
  attendeeEmail!: string;

  @Column({ type: 'text', name: 'attendee_role', nullable: true })
  attendeeRole?: string | null;

  @Field(() => [ClinicAnswer])
  @Column({ type: 'jsonb', default: () => "'[]'" })
  answers!: ClinicAnswer[];

  @Field(() => ClinicRequestStatus)
  @Column({ type: 'text' })
  status!: ClinicRequestStatus;

  @Field(() => String, { nullable: true, description: "The delivering school's message with its decision." })
  @Column({ type: 'text', name: 'decision_message', nullable: true })
  decisionMessage?: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true })
  decidedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'cancelled_reason', nullable: true })
  cancelledReason?: string | null;

  /** iCalendar SEQUENCE of the attendee's invitation: raised on every change so calendars apply the latest. */
  @Column({ type: 'int', name: 'invite_sequence', default: 0 })
  inviteSequence!: number;

  @Column({ type: 'text', name: 'requested_by' })
  requestedBy!: string;

  /** The signed-in person who asked (copied on the decision when they are not the attendee). */
  @Column({ type: 'text', name: 'requester_name', nullable: true })
  requesterName?: string | null;

  @Column({ type: 'text', name: 'requester_email', nullable: true })
  requesterEmail?: string | null;

  @Field({ description: 'When the school asked.' })
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  requestedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
