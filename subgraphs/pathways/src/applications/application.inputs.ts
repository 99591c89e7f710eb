import { ArrayMaxSize, IsEmail, IsOptional, Length, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FormAnswerInput, MAX_QUESTIONS } from '@sendco/forms';
import { MAX_COHORT_ROWS } from './application-rules';

@InputType({ description: "One pupil in the proposed cohort: the school's own pupil reference (never a name, a date of birth or a UPN) and the cohort form's answers." })
export class CohortRowInput {
  @Field()
  @Length(1, 40)
  pupilRef!: string;

  @Field(() => [FormAnswerInput], { defaultValue: [] })
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  answers!: FormAnswerInput[];
}

@InputType({ description: 'What a save replaces; omitted fields stay as they are.' })
export class SavePathwayApplicationInput {
  @Field(() => [FormAnswerInput], { nullable: true, description: "The application form's answers (all of them: a save replaces the set)." })
  @IsOptional()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  answers?: FormAnswerInput[];

  @Field(() => [CohortRowInput], { nullable: true, description: 'The whole cohort (a save replaces it).' })
  @IsOptional()
  @ArrayMaxSize(MAX_COHORT_ROWS)
  @ValidateNested({ each: true })
  cohort?: CohortRowInput[];

  @Field({ nullable: true, description: 'Who hears the outcome (default: whoever started the application).' })
  @IsOptional()
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  @Length(3, 320)
  contactEmail?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  contactName?: string;
}
