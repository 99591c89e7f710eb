import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { FormQuestion } from '@sendco/forms';
import { FundingRoundStatus } from '../pathways.enums';
import type { ScoringCriterionDefinition } from './round-rules';

@ObjectType({ description: 'What the board scores an application against.' })
export class ScoringCriterion implements ScoringCriterionDefinition {
  @Field({ description: 'Names the criterion in scores (CriterionScoreInput.criterion).' })
  key!: string;

  @Field()
  label!: string;

  @Field(() => Float, { description: 'Multiplies the score in the weighted total.' })
  weight!: number;

  @Field(() => Int, { description: 'The highest score (scores are whole numbers from 0).' })
  maxScore!: number;
}

/**
 * A funding round for Enhanced Pathways: the number funded, the application window, the board
 * dates, the scoring criteria and the two forms. Fields that need rules (applications, panel,
 * report, board) are resolved in round.resolver.ts and the board and reporting resolvers.
 */
@ObjectType({ description: 'An Enhanced Pathways funding round: its window, forms, criteria, board and decisions.' })
@Entity({ name: 'funding_round' })
export class FundingRound {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column({ type: 'text' })
  title!: string;

  @Field()
  @Column({ type: 'text' })
  description!: string;

  @Field(() => Int, { description: 'How many pathways the round funds: approvals never exceed it.' })
  @Column({ type: 'int', name: 'pathways_funded' })
  pathwaysFunded!: number;

  @Field({ description: 'The application window opens (schools in Europe/London).' })
  @Column({ type: 'timestamptz', name: 'opens_at' })
  opensAt!: Date;

  @Field({ description: 'The application window closes: nothing is saved or submitted from then on.' })
  @Column({ type: 'timestamptz', name: 'closes_at' })
  closesAt!: Date;

  @Field(() => [String], { description: 'The board dates (yyyy-mm-dd, Europe/London); withdrawals end when the first begins.' })
  @Column({ type: 'jsonb', name: 'board_dates', default: () => "'[]'" })
  boardDates!: string[];

  @Field(() => [ScoringCriterion])
  @Column({ type: 'jsonb', default: () => "'[]'" })
  criteria!: ScoringCriterion[];

  @Field(() => [FormQuestion], { description: 'The application form.' })
  @Column({ type: 'jsonb', name: 'application_questions', default: () => "'[]'" })
  applicationQuestions!: FormQuestion[];

  @Field(() => [FormQuestion], { description: 'The cohort form: asked once per pupil in the proposed cohort (never a name or a date of birth).' })
  @Column({ type: 'jsonb', name: 'cohort_questions', default: () => "'[]'" })
  cohortQuestions!: FormQuestion[];

  @Field({ description: 'Who answers schools\' questions about the round (named in the outcome emails).' })
  @Column({ type: 'text', name: 'contact_email' })
  contactEmail!: string;

  @Field({ description: 'Whether the published bulletin item names the approved schools.' })
  @Column({ type: 'boolean', name: 'name_approved_schools', default: false })
  nameApprovedSchools!: boolean;

  @Field(() => FundingRoundStatus)
  @Column({ type: 'text', default: FundingRoundStatus.DRAFT })
  status!: FundingRoundStatus;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'published_at', nullable: true })
  publishedAt?: Date | null;

  @Column({ type: 'text', name: 'created_by' })
  createdBy!: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
