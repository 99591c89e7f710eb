import { ArrayMaxSize, IsOptional, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ContactInput } from '@sendco/federation';
import type { Answer } from '../clinics/booking-form';
import { MAX_QUESTIONS } from '../clinics/booking-form';

@InputType({ description: 'The person who would attend.' })
export class ClinicAttendeeInput extends ContactInput {
  @Field({ nullable: true, description: 'Their role at the school, e.g. SENDCO or teaching assistant.' })
  @IsOptional()
  @Length(1, 200)
  role?: string;
}

@InputType({ description: 'An answer to the booking-form question with this key (types: see BookingQuestionType).' })
export class ClinicAnswerInput implements Answer {
  @Field()
  @Length(1, 40)
  key!: string;

  @Field()
  @Length(0, 5000)
  value!: string;
}

@InputType({ description: 'SENDCO or SCHOOL_STAFF of schoolUrn: a request for one place, with the booking form answered.' })
export class ClinicRequestInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'clinicId must be a clinic id' })
  clinicId!: string;

  @Field(() => ID)
  @Matches(/^\d{6}$/, { message: 'schoolUrn must be the 6-digit URN' })
  schoolUrn!: string;

  @Field(() => ClinicAttendeeInput)
  @ValidateNested()
  attendee!: ClinicAttendeeInput;

  @Field(() => [ClinicAnswerInput], { defaultValue: [], description: 'Must answer every required question (each one missing is named as answers.<key>).' })
  @ArrayMaxSize(MAX_QUESTIONS * 2)
  @ValidateNested({ each: true })
  answers!: ClinicAnswerInput[];
}
