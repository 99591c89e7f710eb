import { ArrayMaxSize, IsEmail, IsEnum, IsInt, IsOptional, IsUrl, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, ID, Int } from 'type-graphql';
import { VenueInput } from '@sendco/federation';
import { FormQuestionInput, MAX_QUESTIONS, type FormQuestionType } from '@sendco/forms';
import { BookingQuestionType, ClinicMode } from './clinic.enums';

export const MAX_CLINIC_CAPACITY = 1000;

/** The shared form engine's question input (@sendco/forms), under the clinics schema's own names. */
@InputType('BookingQuestionInput', { description: 'A question on the booking form.' })
export class BookingQuestionInput extends FormQuestionInput {
  @Field(() => BookingQuestionType, { defaultValue: BookingQuestionType.SHORT_TEXT })
  declare type: FormQuestionType;
}

/** Where a clinic happens: a location (face to face) or a joining link (online); the same on creation and on edit. */
@InputType()
abstract class ClinicWhereInput {
  @Field(() => VenueInput, { nullable: true, description: 'Required for FACE_TO_FACE; not for ONLINE.' })
  @IsOptional()
  @ValidateNested()
  location?: VenueInput;

  @Field({ nullable: true, description: 'Required for ONLINE (https://); shown only to confirmed attendees.' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'joiningUrl must be an https:// link' })
  joiningUrl?: string;
}

/** The fields a clinic is described by; every one optional, so an edit names only what changes. */
@InputType({ description: 'What changes on a clinic; omitted fields stay as they are.' })
export class UpdateClinicInput extends ClinicWhereInput {
  @Field({ nullable: true, description: 'One of clinicThemes.' })
  @IsOptional()
  @Length(1, 200)
  theme?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 5000)
  description?: string;

  @Field(() => ClinicMode, { nullable: true })
  @IsOptional()
  @IsEnum(ClinicMode)
  mode?: ClinicMode;

  @Field({ nullable: true })
  startsAt?: Date;

  @Field({ nullable: true })
  endsAt?: Date;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CLINIC_CAPACITY)
  capacity?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @Length(3, 320)
  contactEmail?: string;

  @Field(() => [BookingQuestionInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  bookingQuestions?: BookingQuestionInput[];
}

@InputType({ description: 'A new clinic. CLINIC_PROVIDER of deliveringSchoolUrn (a special school), or ADMIN.' })
export class CreateClinicInput extends ClinicWhereInput {
  @Field({ description: 'One of clinicThemes.' })
  @Length(1, 200)
  theme!: string;

  @Field()
  @Length(1, 5000)
  description!: string;

  @Field(() => ID, { description: 'The special school that runs it.' })
  @Matches(/^\d{6}$/, { message: 'deliveringSchoolUrn must be the 6-digit URN' })
  deliveringSchoolUrn!: string;

  @Field(() => ClinicMode)
  @IsEnum(ClinicMode)
  mode!: ClinicMode;

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_CLINIC_CAPACITY)
  capacity!: number;

  @Field({ description: "The delivering school's contact: new requests and their answers are emailed here." })
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @Length(3, 320)
  contactEmail!: string;

  @Field(() => [BookingQuestionInput], { defaultValue: [] })
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  bookingQuestions!: BookingQuestionInput[];
}

@InputType()
export class ClinicFilter {
  @Field({ nullable: true, description: 'A theme name (any case).' })
  @IsOptional()
  @Length(1, 200)
  theme?: string;

  @Field(() => ClinicMode, { nullable: true })
  mode?: ClinicMode;

  @Field({ nullable: true, description: 'Clinics starting at or after this time.' })
  from?: Date;

  @Field({ nullable: true, description: 'Clinics starting before this time.' })
  to?: Date;

  @Field(() => ID, { nullable: true, description: 'Clinics run by this special school.' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'deliveringSchoolUrn must be the 6-digit URN' })
  deliveringSchoolUrn?: string;
}
