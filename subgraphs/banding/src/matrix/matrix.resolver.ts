import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { describeBandRule } from './band-rule';
import { PublishBandingMatrixInput } from './matrix.inputs';
import { MatrixVersion } from './matrix.entity';
import { MatrixService, toRule } from './matrix.service';

@Resolver(() => MatrixVersion)
export class MatrixResolver {
  constructor(private readonly matrices: MatrixService) {}

  @Query(() => MatrixVersion, { description: 'Public. The newest published version of the banding matrix, or the version asked for (NOT_FOUND when there is none).' })
  bandingMatrix(@Arg('version', () => Int, { nullable: true }) version?: number | null): Promise<MatrixVersion> {
    return this.matrices.version(version);
  }

  @Authorized('ADMIN')
  @Mutation(() => MatrixVersion, {
    description: 'ADMIN. Publishes the next version of the matrix. New returns use it; returns already started keep theirs. The rule must stay monotonic: levelPoints never decrease.',
  })
  publishBandingMatrix(@Arg('input', () => PublishBandingMatrixInput) input: PublishBandingMatrixInput, @Ctx() ctx: RequestContext): Promise<MatrixVersion> {
    return this.matrices.publish(ctx.principal, { ...input, bands: input.bands.map((b) => ({ ...b, primaryNeedLevel: b.primaryNeedLevel ?? null })) });
  }

  @FieldResolver(() => String, { description: "The band rule in words, with this version's numbers." })
  rule(@Root() matrix: MatrixVersion): string {
    return describeBandRule(toRule(matrix));
  }
}
