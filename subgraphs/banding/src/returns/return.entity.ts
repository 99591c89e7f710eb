import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ReturnStatus } from './return-status';

/**
 * One school's banding return for one matrix version. The school's counts (E pupils with EHCPs,
 * H of them on more than 25 hours) fix its sample requirement. The phase is the directory's, read
 * through the gateway when the return was started or restarted, and kept here so that the county
 * summary can group by it in one SQL query (and says what the phase was when the return was made).
 */
@ObjectType('BandingReturn', { description: "A school's EHCP banding return: its own staff and council officers only." })
@Entity({ name: 'banding_return' })
@Index('return_school_matrix', ['schoolUrn', 'matrixId'], { unique: true })
@Index('return_matrix_status_idx', ['matrixId', 'status'])
@Index('return_waiting_idx', ['submittedAt', 'id'], { where: "status = 'SUBMITTED'" })
export class BandingReturn {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'matrix_id' })
  matrixId!: string;

  @Field(() => ID, { description: "The school's URN." })
  @Column({ type: 'char', length: 6, name: 'school_urn' })
  schoolUrn!: string;

  @Field({ description: "The school's phase in the directory when the return was (re)started." })
  @Column({ type: 'text', name: 'school_phase' })
  schoolPhase!: string;

  @Field(() => Int, { description: 'E: pupils with an EHCP at the school.' })
  @Column({ type: 'int', name: 'ehcp_count' })
  ehcpCount!: number;

  @Field(() => Int, { description: 'H: of those, pupils who receive more than 25 hours of support a week.' })
  @Column({ type: 'int', name: 'over25_hours_count' })
  over25HoursCount!: number;

  @Field(() => ReturnStatus)
  @Column({ type: 'text' })
  status!: ReturnStatus;

  /** Who the council's decision is emailed to: the SENDCO who last submitted (or started) the return. */
  @Column({ type: 'text', name: 'contact_email', nullable: true })
  contactEmail!: string | null;

  @Column({ type: 'text', name: 'contact_name', nullable: true })
  contactName!: string | null;

  @Column({ type: 'text', name: 'started_by' })
  startedBy!: string;

  @Field(() => String, { nullable: true, description: "The council's comments with its last decision (why it was returned)." })
  @Column({ type: 'text', name: 'qa_comments', nullable: true })
  comments!: string | null;

  @Column({ type: 'text', name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was last submitted.' })
  @Column({ type: 'timestamptz', name: 'submitted_at', nullable: true })
  submittedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the council last decided (returned or approved) it.' })
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Field({ description: 'When the school started it.' })
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
