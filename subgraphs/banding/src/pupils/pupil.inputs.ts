import { ArrayMaxSize, IsInt, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';

@InputType()
export class BandingLevelChoiceInput {
  @Field({ description: 'An area key of the return\'s matrix version.' })
  @Length(1, 50)
  area!: string;

  @Field(() => Int)
  @IsInt()
  level!: number;
}

@InputType({ description: "A pupil in the sample: the school's own reference, never a name or date of birth." })
export class BandingPupilInput {
  @Field({ description: "The school's own pupil reference: letters and digits (e.g. P0123), at most 20 characters. Anything that looks like a name is refused." })
  @MaxLength(100)
  pupilRef!: string;

  @Field(() => Int, { description: '0 = Reception, 1–13 = Year 1 to Year 13.' })
  yearGroup!: number;

  @Field(() => Float, { description: 'Hours of support a week, 0–60, at most one decimal place. More than 25 counts towards the "over 25 hours" half of the sample.' })
  weeklySupportHours!: number;

  @Field({ description: 'The area key of the primary need; its level must be 1 or above. The band rule uses it as a floor.' })
  @Length(1, 50)
  primaryNeed!: string;

  @Field(() => [BandingLevelChoiceInput], { description: 'Exactly one level for every area of the matrix.' })
  @ArrayMaxSize(50)
  levels!: BandingLevelChoiceInput[];

  @Field(() => String, { nullable: true, description: 'The evidence for the levels (reports, plans): free text, without names or dates of birth.' })
  @IsOptional()
  @MaxLength(10_000)
  evidence?: string | null;
}
