import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { SchoolPhase } from './school-phase';

/** A school, keyed by its 6-digit URN: the entity every other subgraph extends. */
@Directive('@key(fields: "urn")')
@ObjectType({ description: 'A school or setting, keyed by its Unique Reference Number.' })
@Entity({ name: 'school' })
export class School {
  @Field(() => ID, { description: 'The 6-digit Unique Reference Number (GIAS).' })
  @PrimaryColumn({ type: 'char', length: 6 })
  urn!: string;

  @Field()
  @Column({ type: 'text' })
  name!: string;

  @Field(() => SchoolPhase)
  @Column({ type: 'text' })
  phase!: SchoolPhase;

  @Field(() => Int, { description: 'Pupils with an EHCP on roll, as last reported.' })
  @Column({ type: 'int', name: 'ehcp_count', default: 0 })
  ehcpCount!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
