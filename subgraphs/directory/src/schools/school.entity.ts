import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { SchoolPhase } from './school-phase';
import { SchoolStatus } from './school-status';

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

  // From the national register (Get Information About Schools), kept up to date by its import
  // (src/gias); null for a school the council added itself. All of it is public in GIAS.
  @Field(() => SchoolStatus)
  @Column({ type: 'text', default: SchoolStatus.OPEN })
  status!: SchoolStatus;

  @Field(() => String, { nullable: true, description: 'The local authority code in GIAS (e.g. 931).' })
  @Column({ type: 'text', name: 'la_code', nullable: true })
  localAuthorityCode!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'la_name', nullable: true })
  localAuthorityName!: string | null;

  @Field(() => String, { nullable: true, description: "GIAS's type of establishment, e.g. Community special school." })
  @Column({ type: 'text', name: 'establishment_type', nullable: true })
  establishmentType!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  street!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  town!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  postcode!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  website!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  telephone!: string | null;

  @Field(() => String, { nullable: true, description: 'The academy trust, if any.' })
  @Column({ type: 'text', nullable: true })
  trust!: string | null;

  @Field(() => String, { nullable: true, description: 'A resourced provision or SEN unit, as GIAS names it.' })
  @Column({ type: 'text', name: 'resourced_provision', nullable: true })
  resourcedProvision!: string | null;

  @Field(() => String, { nullable: true, description: 'yyyy-mm-dd' })
  @Column({ type: 'date', name: 'opened_on', nullable: true })
  openedOn!: string | null;

  @Field(() => String, { nullable: true, description: 'yyyy-mm-dd; set when GIAS says the school has closed.' })
  @Column({ type: 'date', name: 'closed_on', nullable: true })
  closedOn!: string | null;

  /** When the register import last saw this school in a file (null: never in the register). */
  @Column({ type: 'timestamptz', name: 'register_seen_at', nullable: true })
  registerSeenAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
