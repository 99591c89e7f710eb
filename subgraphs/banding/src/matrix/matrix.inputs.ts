import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class BandingLevelInput {
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(20)
  level!: number;

  @Field()
  @Length(1, 1000)
  descriptor!: string;
}

@InputType()
export class BandingAreaInput {
  @Field({ description: 'Upper-case letters, digits and _, e.g. SENSORY_AND_PHYSICAL. Pupils and CSV columns refer to it.' })
  @Matches(/^[A-Z][A-Z0-9_]{1,49}$/, { message: 'key must be 2-50 upper-case letters, digits and _, starting with a letter' })
  key!: string;

  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => [BandingLevelInput], { description: 'One descriptor for each level from 0 to the highest (levelPoints has one entry per level).' })
  @ArrayMinSize(2)
  @ArrayMaxSize(21)
  @ValidateNested({ each: true })
  levels!: BandingLevelInput[];
}

@InputType()
export class BandingBandInput {
  @Field(() => Int, { description: '1, 2, 3, … in order.' })
  @IsInt()
  band!: number;

  @Field()
  @Length(1, 200)
  label!: string;

  @Field()
  @Length(1, 2000)
  description!: string;

  @Field(() => Int, { description: 'The least score that reaches this band; 0 for band 1, rising with each band.' })
  @IsInt()
  minScore!: number;

  @Field(() => Int, { nullable: true, description: 'Primary-need floor: this level or above in the primary area of need gives at least this band. Omit for none.' })
  @IsOptional()
  @IsInt()
  primaryNeedLevel?: number | null;
}

@InputType({ description: 'A new version of the banding matrix: areas with descriptors, bands, and the band rule parameters.' })
export class PublishBandingMatrixInput {
  @Field(() => [BandingAreaInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  areas!: BandingAreaInput[];

  @Field(() => [Int], { description: 'Points for each level, from level 0; must never decrease (that keeps the rule monotonic).' })
  @ArrayMinSize(2)
  @ArrayMaxSize(21)
  levelPoints!: number[];

  @Field(() => [BandingBandInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  bands!: BandingBandInput[];
}
