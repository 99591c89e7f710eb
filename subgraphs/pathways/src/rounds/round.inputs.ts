import { ArrayMaxSize, IsBoolean, IsEmail, IsInt, IsNumber, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { FormQuestionInput, MAX_QUESTIONS } from '@sendco/forms';
import { MAX_CRITERIA, MAX_PATHWAYS, type ScoringCriterionDefinition } from './round-rules';

@InputType({ description: 'A scoring criterion: the board scores each application 0..maxScore on it; the weighted total is Σ weight × score.' })
export class ScoringCriterionInput implements ScoringCriterionDefinition {
  @Field({ description: 'Letters, digits and _, starting with a letter; unique in the round.' })
  @Length(1, 40)
  key!: string;

  @Field()
  @Length(1, 300)
  label!: string;

  @Field(() => Float, { defaultValue: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  weight!: number;

  @Field(() => Int)
  @IsInt()
  maxScore!: number;
}

/** What a round is described by; every field optional, so an edit names only what changes. */
@InputType({ description: 'What changes on a funding round; omitted fields stay as they are. Questions and criteria are frozen once the round opens.' })
export class UpdateFundingRoundInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  title?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(0, 5000)
  description?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PATHWAYS)
  pathwaysFunded?: number;

  @Field({ nullable: true, description: 'ISO 8601 with offset; shown to schools in Europe/London.' })
  @IsOptional()
  opensAt?: Date;

  @Field({ nullable: true })
  @IsOptional()
  closesAt?: Date;

  @Field(() => [String], { nullable: true, description: 'yyyy-mm-dd, after the window closes.' })
  @IsOptional()
  @ArrayMaxSize(10)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'boardDates must be dates (yyyy-mm-dd)' })
  boardDates?: string[];

  @Field(() => [ScoringCriterionInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_CRITERIA)
  @ValidateNested({ each: true })
  criteria?: ScoringCriterionInput[];

  @Field(() => [FormQuestionInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  applicationQuestions?: FormQuestionInput[];

  @Field(() => [FormQuestionInput], { nullable: true, description: 'Asked once per pupil; the pupil reference is always asked, never a name or a date of birth.' })
  @IsOptional()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  cohortQuestions?: FormQuestionInput[];

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @Length(3, 320)
  contactEmail?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  nameApprovedSchools?: boolean;
}

@InputType({ description: 'A new funding round (DRAFT).' })
export class CreateFundingRoundInput {
  @Field()
  @Length(1, 200)
  title!: string;

  @Field({ defaultValue: '' })
  @Length(0, 5000)
  description!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_PATHWAYS)
  pathwaysFunded!: number;

  @Field()
  opensAt!: Date;

  @Field()
  closesAt!: Date;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(10)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'boardDates must be dates (yyyy-mm-dd)' })
  boardDates!: string[];

  @Field(() => [ScoringCriterionInput], { defaultValue: [] })
  @ArrayMaxSize(MAX_CRITERIA)
  @ValidateNested({ each: true })
  criteria!: ScoringCriterionInput[];

  @Field(() => [FormQuestionInput], { defaultValue: [] })
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  applicationQuestions!: FormQuestionInput[];

  @Field(() => [FormQuestionInput], { defaultValue: [] })
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  cohortQuestions!: FormQuestionInput[];

  @Field({ description: "Who answers schools' questions about the round (named in the outcome emails)." })
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @Length(3, 320)
  contactEmail!: string;

  @Field({ defaultValue: false })
  @IsBoolean()
  nameApprovedSchools!: boolean;
}
