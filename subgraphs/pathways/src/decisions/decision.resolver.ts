import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { PathwayApplication } from '../applications/application.entity';
import { PublishService } from '../outcomes/publish.service';
import { PathwayDecisionOutcome } from '../pathways.enums';
import { FundingRound } from '../rounds/round.entity';
import { PathwayDecisionService } from './decision.service';

@Resolver()
export class PathwayDecisionResolver {
  constructor(
    private readonly decisions: PathwayDecisionService,
    private readonly publishing: PublishService,
  ) {}

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

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => FundingRound, {
    description: 'PATHWAYS_ADMIN: CLOSED → DECIDED once every submitted application has a decision: each applicant school is emailed its decision and reason, and a bulletin item is drafted. Publishing again sends nothing.',
  })
  publishFundingRound(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<FundingRound> {
    return this.publishing.publish(ctx.principal, id);
  }
}
