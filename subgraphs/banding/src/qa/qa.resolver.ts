import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { BandingReturn } from '../returns/return.entity';
import { BandingQaInput } from './qa.inputs';
import { QaService } from './qa.service';

@Resolver()
export class QaResolver {
  constructor(private readonly qa: QaService) {}

  @Authorized('COUNCIL_OFFICER')
  @Mutation(() => BandingReturn, {
    description:
      'COUNCIL_OFFICER, on a SUBMITTED return. Verdicts per pupil: AGREED, or ADJUSTED with a band and a reason (both kept beside the suggested band). APPROVED (a verdict on every pupil; final and read-only) or RETURNED (comments required; back to the school). The SENDCO is emailed.',
  })
  qualityAssureBandingReturn(@Arg('id', () => ID) id: string, @Arg('input', () => BandingQaInput) input: BandingQaInput, @Ctx() ctx: RequestContext): Promise<BandingReturn> {
    return this.qa.qualityAssure(ctx.principal, id, input);
  }
}
