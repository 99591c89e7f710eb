import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { BandingReturn } from '../returns/return.entity';
import { BandingPupilInput } from './pupil.inputs';
import { BandingPupil } from './pupil.entity';
import { PupilService, type UploadResult } from './pupil.service';

@ObjectType('BandingPupilLevel')
export class PupilLevelView {
  @Field()
  area!: string;

  @Field(() => Int)
  level!: number;
}

@ObjectType('BandingUploadResult')
export class UploadResultView implements UploadResult {
  @Field(() => BandingReturn)
  bandingReturn!: BandingReturn;

  @Field(() => Int, { description: 'Pupils added.' })
  created!: number;

  @Field(() => Int, { description: 'Pupils already in the return (same pupil reference) that were replaced.' })
  updated!: number;
}

@Resolver(() => BandingPupil)
export class PupilResolver {
  constructor(private readonly pupils: PupilService) {}

  @Authorized('SENDCO')
  @Mutation(() => BandingPupil, {
    description:
      "SENDCO of the school, while DRAFT or RETURNED. Upsert by pupilRef (the school's own reference; anything that looks like a name is refused). Every area of the matrix needs a level; the band is computed on the server by the matrix's band rule and returned. A changed pupil loses any earlier council verdict.",
  })
  saveBandingPupil(@Arg('returnId', () => ID) returnId: string, @Arg('input', () => BandingPupilInput) input: BandingPupilInput, @Ctx() ctx: RequestContext): Promise<BandingPupil> {
    return this.pupils.save(ctx.principal, returnId, input);
  }

  @Authorized('SENDCO')
  @Mutation(() => BandingReturn, { description: 'SENDCO of the school, while DRAFT or RETURNED. NOT_FOUND when the return has no such pupil.' })
  removeBandingPupil(@Arg('returnId', () => ID) returnId: string, @Arg('pupilRef') pupilRef: string, @Ctx() ctx: RequestContext): Promise<BandingReturn> {
    return this.pupils.remove(ctx.principal, returnId, pupilRef);
  }

  @Authorized('SENDCO')
  @Mutation(() => UploadResultView, {
    description:
      'SENDCO of the school, while DRAFT or RETURNED. Many pupils at once as CSV with a header row: pupil_ref, year_group, weekly_support_hours, primary_need, one column per area (its key in lower case), and optionally evidence: the school-side columns of the export. Upsert by pupil_ref. Every bad row is reported (BAD_USER_INPUT, fields csv.<line>.<column>) and nothing is saved unless every row is good; a pupil_ref twice in one file is an error.',
  })
  uploadBandingPupils(@Arg('returnId', () => ID) returnId: string, @Arg('csv') csv: string, @Ctx() ctx: RequestContext): Promise<UploadResult> {
    return this.pupils.uploadCsv(ctx.principal, returnId, csv);
  }

  @FieldResolver(() => [PupilLevelView], { description: 'A level for every area of the matrix, by area key.' })
  levels(@Root() pupil: BandingPupil): PupilLevelView[] {
    return Object.entries(pupil.levels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([area, level]) => ({ area, level }));
  }
}
