import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum QaVerdict {
  AGREED = 'AGREED',
  ADJUSTED = 'ADJUSTED',
}
registerEnumType(QaVerdict, { name: 'BandingQaVerdict', description: 'AGREED: the suggested band stands. ADJUSTED: the council set another band, with a reason.' });

/**
 * A pupil in a return: the school's own reference (never a name or date of birth), a level per
 * area of need, the band the rule suggested, and the council's verdict beside it.
 */
@ObjectType('BandingPupil')
@Entity({ name: 'banding_pupil' })
@Index('pupil_return_ref', ['returnId', 'pupilRef'], { unique: true })
export class BandingPupil {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'return_id' })
  returnId!: string;

  @Field({ description: "The school's own pupil reference (upper-cased)." })
  @Column({ type: 'text', name: 'pupil_ref' })
  pupilRef!: string;

  @Field(() => Int, { description: '0 = Reception, 1–13 = Year 1 to Year 13.' })
  @Column({ type: 'smallint', name: 'year_group' })
  yearGroup!: number;

  @Field(() => Float)
  @Column({ type: 'numeric', precision: 4, scale: 1, name: 'weekly_support_hours', transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? v : Number(v)) } })
  weeklySupportHours!: number;

  @Field({ description: 'The area key of the primary need.' })
  @Column({ type: 'text', name: 'primary_need' })
  primaryNeed!: string;

  /** Level by area key. */
  @Column({ type: 'jsonb' })
  levels!: Record<string, number>;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  evidence!: string | null;

  @Field(() => Int, { description: "The suggested band: computed on the server from the levels by the return's matrix version's band rule." })
  @Column({ type: 'int', name: 'suggested_band' })
  band!: number;

  @Field(() => QaVerdict, { nullable: true, description: "The council's verdict; cleared when the school changes the pupil." })
  @Column({ type: 'text', name: 'qa_verdict', nullable: true })
  verdict!: QaVerdict | null;

  @Field(() => Int, { nullable: true, description: 'The band the council agreed: the suggested band (AGREED) or the one it set (ADJUSTED).' })
  @Column({ type: 'int', name: 'agreed_band', nullable: true })
  agreedBand!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the council adjusted the band (or a note on an agreed one).' })
  @Column({ type: 'text', name: 'qa_reason', nullable: true })
  reason!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
