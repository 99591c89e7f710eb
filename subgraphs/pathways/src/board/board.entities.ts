import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { CriterionScore as CriterionScoreValue } from './scoring';

/** A member of a round's multi-agency board (kept here, managed by PATHWAYS_ADMIN; the person also needs the BOARD_MEMBER role). */
@ObjectType({ description: "A member of a round's multi-agency board." })
@Entity({ name: 'board_member' })
@Index(['roundId', 'memberSub'], { unique: true })
export class BoardMember {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'round_id' })
  roundId!: string;

  @Field({ description: "The member's sign-in subject (the token's sub)." })
  @Column({ type: 'text', name: 'member_sub' })
  memberSub!: string;

  @Field()
  @Column({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The agency they sit for (education, health, social care, ...).' })
  @Column({ type: 'text', nullable: true })
  agency?: string | null;

  @Column({ type: 'text', name: 'added_by' })
  addedBy!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'added_at' })
  addedAt!: Date;
}

@ObjectType()
export class CriterionScore implements CriterionScoreValue {
  @Field()
  criterion!: string;

  @Field(() => Int)
  score!: number;
}

/** One member's scores of one application: once per member per application. */
@ObjectType({ description: "One board member's scores of an application, with their comment." })
@Entity({ name: 'board_score' })
@Index(['applicationId', 'memberSub'], { unique: true })
export class BoardScore {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid', name: 'round_id' })
  roundId!: string;

  @Column({ type: 'uuid', name: 'application_id' })
  applicationId!: string;

  @Field()
  @Column({ type: 'text', name: 'member_sub' })
  memberSub!: string;

  @Field(() => [CriterionScore])
  @Column({ type: 'jsonb' })
  scores!: CriterionScore[];

  @Field()
  @Column({ type: 'text' })
  comment!: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'scored_at' })
  scoredAt!: Date;
}

/** A member's declared conflict of interest with an application: they cannot score it (or see its scores). */
@Entity({ name: 'board_conflict' })
@Index(['applicationId', 'memberSub'], { unique: true })
export class BoardConflict {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'round_id' })
  roundId!: string;

  @Column({ type: 'uuid', name: 'application_id' })
  applicationId!: string;

  @Column({ type: 'text', name: 'member_sub' })
  memberSub!: string;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'declared_at' })
  declaredAt!: Date;
}
