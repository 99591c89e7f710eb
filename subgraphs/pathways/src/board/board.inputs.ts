import { ArrayMaxSize, IsInt, IsOptional, Length, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { MAX_CRITERIA } from '../rounds/round-rules';

@InputType()
export class BoardMemberInput {
  @Field({ description: "The member's sign-in subject (their token's sub); they also need the BOARD_MEMBER role." })
  @Length(1, 200)
  memberSub!: string;

  @Field()
  @Length(1, 200)
  name!: string;

  @Field({ nullable: true, description: 'The agency they sit for.' })
  @IsOptional()
  @Length(1, 200)
  agency?: string;
}

@InputType()
export class CriterionScoreInput {
  @Field({ description: "One of the round's criteria keys." })
  @Length(1, 40)
  criterion!: string;

  @Field(() => Int, { description: "0 to the criterion's maxScore." })
  @IsInt()
  score!: number;
}

@InputType({ description: "A board member's scores of one application: every criterion once, with a comment." })
export class ScoreApplicationInput {
  @Field(() => [CriterionScoreInput])
  @ArrayMaxSize(MAX_CRITERIA)
  @ValidateNested({ each: true })
  scores!: CriterionScoreInput[];

  @Field()
  @Length(1, 5000)
  comment!: string;
}
