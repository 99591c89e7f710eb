import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { FormQuestion, type FormQuestionType } from '@sendco/forms';
import { BookingQuestionType, ClinicMode, ClinicStatus } from './clinic.enums';

@ObjectType({ description: 'Where a face-to-face clinic is held.' })
export class ClinicLocation {
  @Field()
  @Column({ type: 'text', name: 'location_name', nullable: true })
  name!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'location_address', nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'location_postcode', nullable: true })
  postcode?: string | null;
}

/** The shared form engine's question (@sendco/forms), under the clinics schema's own names. */
@ObjectType('BookingQuestion', { description: "A question on the delivering school's booking form." })
export class BookingQuestion extends FormQuestion {
  @Field(() => BookingQuestionType)
  declare type: FormQuestionType;
}

/**
 * A SEND Clinic: a themed session led by a special school's practitioners. Fields that need
 * rules (placesLeft, joiningUrl, location, requests) are resolved in clinic.resolver.ts and
 * requests/clinic-requests.resolver.ts.
 */
@ObjectType({ description: "A SEND Clinic: a themed session run by a special school, face to face or online." })
@Entity({ name: 'clinic' })
export class Clinic {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'One of clinicThemes.' })
  @Column({ type: 'text' })
  theme!: string;

  @Field()
  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'char', length: 6, name: 'delivering_school_urn' })
  deliveringSchoolUrn!: string;

  @Field(() => ClinicMode)
  @Column({ type: 'text' })
  mode!: ClinicMode;

  /** Resolved in clinic.resolver.ts: null for an online clinic. */
  @Column(() => ClinicLocation, { prefix: false })
  location?: ClinicLocation | null;

  /** Only for the delivering school, ADMIN and confirmed attendees (their request and their emails). */
  @Column({ type: 'text', name: 'joining_url', nullable: true })
  joiningUrl?: string | null;

  @Field()
  @Column({ type: 'timestamptz', name: 'starts_at' })
  startsAt!: Date;

  @Field()
  @Column({ type: 'timestamptz', name: 'ends_at' })
  endsAt!: Date;

  @Field(() => Int)
  @Column({ type: 'int' })
  capacity!: number;

  @Field({ description: 'Who at the delivering school answers questions about this clinic; new requests are emailed here.' })
  @Column({ type: 'text', name: 'contact_email' })
  contactEmail!: string;

  @Field(() => [BookingQuestion])
  @Column({ type: 'jsonb', name: 'booking_questions', default: () => "'[]'" })
  bookingQuestions!: BookingQuestion[];

  @Field(() => ClinicStatus)
  @Column({ type: 'text', default: ClinicStatus.SCHEDULED })
  status!: ClinicStatus;

  @Field(() => String, { nullable: true, description: 'Why the clinic was cancelled.' })
  @Column({ type: 'text', name: 'cancelled_reason', nullable: true })
  cancelledReason?: string | null;

  @Column({ type: 'text', name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
