import { ArrayMaxSize, IsOptional, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ContactInput } from '@sendco/federation';
import { FormAnswerInput, MAX_QUESTIONS } from '@sendco/forms';

@InputType({ description: 'The person who would attend.' })
export class ClinicAttendeeInput extends ContactInput {
  @Field({ nullable: true, description: 'Their role at the school, e.g. SENDCO or teaching assistant.' })
  @IsOptional()
  @Length(1, 200)
  role?: string;
}

/** The shared form engine's answer input (@sendco/forms), under the clinics schema's own name. */
@InputType('ClinicAnswerInput', { description: 'An answer to the booking-form question with this key (types: see BookingQuestionType).' })
export class ClinicAnswerInput extends FormAnswerInput {}

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
