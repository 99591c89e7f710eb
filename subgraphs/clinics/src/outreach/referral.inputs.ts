import { IsEmail, IsEnum, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { OutreachPackage, OutreachReferralStatus } from './referral.enums';

@InputType({ description: 'SENDCO of schoolUrn: a referral to the Special School Outreach service.' })
export class OutreachReferralInput {
  @Field(() => ID)
  @Matches(/^\d{6}$/, { message: 'schoolUrn must be the 6-digit URN' })
  schoolUrn!: string;

  @Field(() => OutreachPackage)
  @IsEnum(OutreachPackage)
  package!: OutreachPackage;

  @Field({ description: "The school's needs in general terms (the group of students, the barriers, what has been tried). Do not name any pupil: the summary is shared with the special school that supports you. Refused (BAD_USER_INPUT, saying why) when it holds a date of birth, a UPN or NHS number, or two capitalised words that read as a name." })
  @Length(20, 5000, { message: 'needsSummary must be 20 to 5000 characters' })
  needsSummary!: string;

  @Field({ description: 'Emailed at every change of the referral.' })
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @Length(3, 320)
  contactEmail!: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  contactName?: string;
}

@InputType({ description: 'A step of a referral: ALLOCATED (ADMIN, with allocatedSchoolUrn), IN_PROGRESS, or CLOSED (with a note).' })
export class OutreachReferralChangeInput {
  @Field(() => OutreachReferralStatus)
  @IsEnum(OutreachReferralStatus)
  status!: OutreachReferralStatus;

  @Field(() => ID, { nullable: true, description: 'The special school to allocate to (only with ALLOCATED).' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'allocatedSchoolUrn must be the 6-digit URN' })
  allocatedSchoolUrn?: string;

  @Field({ nullable: true, description: 'Shown to the referring school and emailed to it; required to close. No pupil names.' })
  @IsOptional()
  @Length(1, 5000)
  note?: string;
}

@InputType()
export class OutreachReferralFilter {
  @Field(() => OutreachReferralStatus, { nullable: true })
  status?: OutreachReferralStatus;

  @Field(() => OutreachPackage, { nullable: true })
  package?: OutreachPackage;
}
