import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { PathwayApplication } from '../applications/application.entity';
import { PathwayDecisionOutcome } from '../pathways.enums';
import { PathwayDecisionService } from './decision.service';

@Resolver()
export class PathwayDecisionResolver {
  constructor(private readonly decisions: PathwayDecisionService) {}

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => PathwayApplication, {
    description: 'The chair (PATHWAYS_ADMIN): APPROVED, DECLINED or RESERVE with a reason, on a closed round; approvals never exceed pathwaysFunded (CONFLICT); changeable with a new reason until published.',
  })
  decidePathwayApplication(
    @Arg('applicationId', () => ID) applicationId: string,
    @Arg('outcome', () => PathwayDecisionOutcome) outcome: PathwayDecisionOutcome,
    @Arg('reason') reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<PathwayApplication> {
    return this.decisions.decide(ctx.principal, applicationId, outcome, reason);
  }
}
