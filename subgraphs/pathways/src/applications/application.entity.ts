import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { FormAnswer } from '@sendco/forms';
import { PathwayApplicationStatus, PathwayDecisionOutcome } from '../pathways.enums';

@ObjectType({ description: "One pupil in the proposed cohort: the school's own reference and the cohort form's answers; never a name or a date of birth." })
export class CohortRow {
  @Field({ description: "The school's own pupil reference (as in banding), normalised." })
  pupilRef!: string;

  @Field(() => [FormAnswer])
  answers!: FormAnswer[];
}

/** A school's application to a funding round: one per school per round. */
@ObjectType({ description: "A school's application to an Enhanced Pathways funding round." })
@Entity({ name: 'pathway_application' })
@Index(['roundId', 'schoolUrn'], { unique: true })
export class PathwayApplication {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'round_id' })
  roundId!: string;

  @Field(() => String)
  @Column({ type: 'char', length: 6, name: 'school_urn' })
  schoolUrn!: string;

  @Field(() => PathwayApplicationStatus)
  @Column({ type: 'text', default: PathwayApplicationStatus.DRAFT })
  status!: PathwayApplicationStatus;

  @Field(() => [FormAnswer], { description: "The application form's answers." })
  @Column({ type: 'jsonb', default: () => "'[]'" })
  answers!: FormAnswer[];

  @Field(() => [CohortRow], { description: 'The cohort form: one row per pupil.' })
  @Column({ type: 'jsonb', default: () => "'[]'" })
  cohort!: CohortRow[];

  @Field({ description: 'Who at the school hears the outcome.' })
  @Column({ type: 'text', name: 'contact_email' })
  contactEmail!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'contact_name', nullable: true })
  contactName?: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'submitted_at', nullable: true })
  submittedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'withdrawn_at', nullable: true })
  withdrawnAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'withdrawn_reason', nullable: true })
  withdrawnReason?: string | null;

  /** The current decision (its history is PathwayDecision); shown to the school only once published (resolver). */
  @Column({ type: 'text', nullable: true })
  decision?: PathwayDecisionOutcome | null;

  @Column({ type: 'text', name: 'decision_reason', nullable: true })
  decisionReason?: string | null;

  @Column({ type: 'text', name: 'created_by' })
  createdBy!: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
