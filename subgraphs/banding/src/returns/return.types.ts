import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('BandingSampleRequirement', {
  description:
    'The sample a school must return, from its counts (E pupils with EHCPs, H of them on more than 25 hours a week): ' +
    'sampleSize N = min(E, max(4, ceil(E / 10))); minUpTo25Hours = min(E - H, max(2, floor(N / 2))); minOver25Hours = min(H, max(2, floor(N / 2))); and at least N pupils in all.',
})
export class SampleRequirementView {
  @Field(() => Int)
  sampleSize!: number;

  @Field(() => Int, { description: 'At least this many pupils on up to 25 hours of support a week.' })
  minUpTo25Hours!: number;

  @Field(() => Int, { description: 'At least this many pupils on more than 25 hours of support a week.' })
  minOver25Hours!: number;
}

@ObjectType('BandingSampleProgress', { description: 'How far the sample is from the requirement.' })
export class SampleProgressView {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  upTo25Hours!: number;

  @Field(() => Int)
  over25Hours!: number;

  @Field()
  meetsRequirement!: boolean;

  @Field(() => Int, { description: 'More pupils needed in all (0 when there are enough).' })
  missingPupils!: number;

  @Field(() => Int)
  missingUpTo25Hours!: number;

  @Field(() => Int)
  missingOver25Hours!: number;
}
