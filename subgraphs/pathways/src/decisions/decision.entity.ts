import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { PathwayDecisionOutcome } from '../pathways.enums';

/** Every decision the chair records, kept: the application's current one is the newest. */
@ObjectType({ description: "A decision on an application as the chair recorded it; a change adds a new one, none is ever lost." })
@Entity({ name: 'pathway_decision' })
export class PathwayDecision {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid', name: 'application_id' })
  applicationId!: string;

  @Index()
  @Column({ type: 'uuid', name: 'round_id' })
  roundId!: string;

  @Field(() => PathwayDecisionOutcome)
  @Column({ type: 'text' })
  outcome!: PathwayDecisionOutcome;

  @Field()
  @Column({ type: 'text' })
  reason!: string;

  @Field()
  @Column({ type: 'text', name: 'decided_by' })
  decidedBy!: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'decided_at' })
  decidedAt!: Date;
}
