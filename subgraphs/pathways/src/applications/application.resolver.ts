import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { In, type DataSource } from 'typeorm';
import { AuditEntryView, requestLoader, type RequestContext } from '@sendco/federation';
import { mayManageRounds, requireMayManageRounds } from '../access';
import { historyOf } from '../audit/histories';
import { BoardScore } from '../board/board.entities';
import { BoardService } from '../board/board.service';
import { PathwayDecision } from '../decisions/decision.entity';
import { PathwayDecisionService } from '../decisions/decision.service';
import { FundingRoundStatus, PathwayDecisionOutcome } from '../pathways.enums';
import { FundingRound } from '../rounds/round.entity';
import { School } from '../schools/school';
import { PathwayApplication } from './application.entity';
import { SavePathwayApplicationInput } from './application.inputs';
import { PathwayApplicationService } from './application.service';

@Resolver(() => PathwayApplication)
export class PathwayApplicationResolver {
  constructor(
    private readonly applications: PathwayApplicationService,
    private readonly board: BoardService,
    private readonly decisions: PathwayDecisionService,
    private readonly dataSource: DataSource,
  ) {}

  @Authorized()
  @Query(() => PathwayApplication, { nullable: true, description: "An application: its school's staff, council roles, the Pathways team, the round's board once submitted." })
  pathwayApplication(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<PathwayApplication> {
    return this.applications.get(ctx.principal, id);
  }

  @Authorized('SENDCO', 'SCHOOL_STAFF')
  @Mutation(() => PathwayApplication, { description: "The school's SENDCO or staff: starts the school's one application to the round (starting again returns it); only inside the window (BOOKING_CLOSED naming it)." })
  startPathwayApplication(@Arg('roundId', () => ID) roundId: string, @Arg('schoolUrn', () => ID) schoolUrn: string, @Ctx() ctx: RequestContext): Promise<PathwayApplication> {
    return this.applications.start(ctx.principal, roundId, schoolUrn);
  }

  @Authorized('SENDCO', 'SCHOOL_STAFF')
  @Mutation(() => PathwayApplication, { description: 'Saves answers and the cohort inside the window; answers are checked by type, pupils screened (no names, dates of birth or UPNs).' })
  savePathwayApplication(@Arg('id', () => ID) id: string, @Arg('input', () => SavePathwayApplicationInput) input: SavePathwayApplicationInput, @Ctx() ctx: RequestContext): Promise<PathwayApplication> {
    return this.applications.save(ctx.principal, id, input);
  }

  @Authorized('SENDCO', 'SCHOOL_STAFF')
  @Mutation(() => PathwayApplication, { description: 'DRAFT → SUBMITTED inside the window, with every required answer and at least one pupil.' })
  submitPathwayApplication(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<PathwayApplication> {
    return this.applications.submit(ctx.principal, id);
  }

  @Authorized('SENDCO', 'SCHOOL_STAFF')
  @Mutation(() => PathwayApplication, { description: 'Withdraws the application, until the first board date (CONFLICT after it).' })
  withdrawPathwayApplication(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | undefined, @Ctx() ctx: RequestContext): Promise<PathwayApplication> {
    return this.applications.withdraw(ctx.principal, id, reason);
  }

  private round(ctx: RequestContext, id: string): Promise<FundingRound> {
    return requestLoader<string, FundingRound>(ctx, 'pathwaysRound', async (ids) => {
      const rows = await this.dataSource.getRepository(FundingRound).findBy({ id: In([...ids]) });
      return ids.map((i) => rows.find((r) => r.id === i) ?? new Error('round missing'));
    }).load(id);
  }

  @FieldResolver(() => FundingRound)
  fundingRound(@Root() application: PathwayApplication, @Ctx() ctx: RequestContext): Promise<FundingRound> {
    return this.round(ctx, application.roundId);
  }

  @FieldResolver(() => School, { description: 'The applicant school (fields from the directory).' })
  school(@Root() application: PathwayApplication): School {
    return { urn: application.schoolUrn };
  }

  @FieldResolver(() => PathwayDecisionOutcome, { nullable: true, description: 'The decision: the Pathways team at once; everyone who may read the application once the round is published.' })
  async decision(@Root() application: PathwayApplication, @Ctx() ctx: RequestContext): Promise<PathwayDecisionOutcome | null> {
    return (await this.decisionVisible(application, ctx)) ? (application.decision ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The reason given with the decision (visible as the decision is).' })
  async decisionReason(@Root() application: PathwayApplication, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await this.decisionVisible(application, ctx)) ? (application.decisionReason ?? null) : null;
  }

  private async decisionVisible(application: PathwayApplication, ctx: RequestContext): Promise<boolean> {
    return mayManageRounds(ctx.principal) || (await this.round(ctx, application.roundId)).status === FundingRoundStatus.DECIDED;
  }

  @FieldResolver(() => [PathwayDecision], { nullable: true, description: 'The Pathways team: every decision recorded, oldest first (changes are kept).' })
  decisionHistory(@Root() application: PathwayApplication, @Ctx() ctx: RequestContext): Promise<PathwayDecision[]> {
    requireMayManageRounds(ctx.principal);
    return this.decisions.history(application.id);
  }

  @FieldResolver(() => [BoardScore], { nullable: true, description: "The board's scores: the Pathways team; a board member only after scoring it themselves (FORBIDDEN before)." })
  boardScores(@Root() application: PathwayApplication, @Ctx() ctx: RequestContext): Promise<BoardScore[]> {
    return this.board.scoresOf(ctx.principal, application);
  }

  @FieldResolver(() => [AuditEntryView], { nullable: true, description: 'The Pathways team: every change to this application, oldest first.' })
  history(@Root() application: PathwayApplication, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    requireMayManageRounds(ctx.principal);
    return historyOf(ctx, this.dataSource, 'pathway_application', application.id);
  }
}
