import { IsEnum, IsInt, Length, Matches, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { SchoolPhase } from './school-phase';

@InputType()
export class SchoolInput {
  @Field(() => ID)
  @Matches(/^\d{6}$/, { message: 'urn must be the 6-digit URN' })
  urn!: string;

  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => SchoolPhase)
  @IsEnum(SchoolPhase)
  phase!: SchoolPhase;

  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(0)
  @Max(100000)
  ehcpCount!: number;
}
