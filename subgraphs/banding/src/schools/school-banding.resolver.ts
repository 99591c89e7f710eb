import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { BandingReturn } from '../returns/return.entity';
import { ReturnService } from '../returns/return.service';
import { School } from './school';

@Resolver(() => School)
export class SchoolBandingResolver {
  constructor(private readonly returns: ReturnService) {}

  @FieldResolver(() => BandingReturn, {
    nullable: true, // null when the school has not started one; FORBIDDEN blanks only this field
    description: "The school's banding return for the newest matrix version it has one for: its own staff and council officers only (every read is audited).",
  })
  bandingReturn(@Root() school: School, @Ctx() ctx: RequestContext): Promise<BandingReturn | null> {
    return this.returns.forSchool(ctx.principal, school.urn, ctx);
  }
}
