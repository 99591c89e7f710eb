import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { OutreachPackage, OutreachReferralStatus } from './referral.enums';

/** A school's referral to the Special School Outreach service. */
@ObjectType({ description: 'A referral to the Special School Outreach service.' })
@Entity({ name: 'outreach_referral' })
@Index('outreach_referral_school_idx', ['schoolUrn'])
@Index('outreach_referral_allocated_idx', ['allocatedSchoolUrn'])
export class OutreachReferral {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The referring school.' })
  @Column({ type: 'char', length: 6, name: 'school_urn' })
  schoolUrn!: string;

  @Field(() => OutreachPackage, { name: 'package' })
  @Column({ type: 'text', name: 'package' })
  supportPackage!: OutreachPackage;

  @Field({ description: "The school's needs, in general terms. It must not name any pupil." })
  @Column({ type: 'text', name: 'needs_summary' })
  needsSummary!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', name: 'contact_name', nullable: true })
  contactName?: string | null;

  @Field({ description: 'Who at the referring school is emailed at every change.' })
  @Column({ type: 'text', name: 'contact_email' })
  contactEmail!: string;

  @Field(() => OutreachReferralStatus)
  @Column({ type: 'text' })
  status!: OutreachReferralStatus;

  @Field(() => ID, { nullable: true, description: 'The special school supporting the referring school, once allocated.' })
  @Column({ type: 'char', length: 6, name: 'allocated_school_urn', nullable: true })
  allocatedSchoolUrn?: string | null;

  /** The allocated school's name as the directory gave it at allocation, for the referring school's emails. */
  @Column({ type: 'text', name: 'allocated_school_name', nullable: true })
  allocatedSchoolName?: string | null;

  @Column({ type: 'text', name: 'referred_by' })
  referredBy!: string;

  @Field({ description: 'When the referral was received (the council counts referrals by this).' })
  @CreateDateColumn({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** One step of a referral with its note, as the referring and the allocated school see it. */
@ObjectType({ description: 'A step of a referral: its new status, with a note.' })
@Entity({ name: 'outreach_referral_update' })
@Index('outreach_referral_update_referral_idx', ['referralId'])
export class OutreachReferralUpdate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'referral_id' })
  referralId!: string;

  @Field(() => OutreachReferralStatus)
  @Column({ type: 'text' })
  status!: OutreachReferralStatus;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'char', length: 6, name: 'allocated_school_urn', nullable: true })
  allocatedSchoolUrn?: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  note?: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'at' })
  at!: Date;
}
