import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { AuditEntryView, type RequestContext } from '@sendco/federation';
import { forbidden } from '@sendco/errors';
import { mayManageRounds, mayReport, requireMayManageRounds } from '../access';
import { PathwayApplication } from '../applications/application.entity';
import { PathwayApplicationService } from '../applications/application.service';
import { historyOf } from '../audit/histories';
import { BoardMember } from '../board/board.entities';
import { BoardService } from '../board/board.service';
import { FundingRoundStatus, PathwayApplicationStatus } from '../pathways.enums';
import { PanelRowView } from '../pathways.types';
import { FundingRound } from './round.entity';
import { CreateFundingRoundInput, UpdateFundingRoundInput } from './round.inputs';
import { FundingRoundService } from './round.service';

@Resolver(() => FundingRound)
export class FundingRoundResolver {
  constructor(
    private readonly rounds: FundingRoundService,
    private readonly applicationService: PathwayApplicationService,
    private readonly board: BoardService,
    private readonly dataSource: DataSource,
  ) {}

  @Authorized()
  @Query(() => [FundingRound], { description: 'Signed in: every round that has opened, newest window first (the Pathways team sees drafts too).' })
  fundingRounds(@Arg('status', () => FundingRoundStatus, { nullable: true }) status: FundingRoundStatus | undefined, @Ctx() ctx: RequestContext): Promise<FundingRound[]> {
    return this.rounds.listRounds(ctx.principal, status);
  }

  @Authorized()
  @Query(() => FundingRound, { nullable: true, description: 'Signed in: a round by id (a DRAFT only for the Pathways team; NOT_FOUND otherwise).' })
  fundingRound(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<FundingRound> {
    return this.rounds.getRound(ctx.principal, id);
  }

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => FundingRound, { description: 'PATHWAYS_ADMIN: a new round, DRAFT.' })
  createFundingRound(@Arg('input', () => CreateFundingRoundInput) input: CreateFundingRoundInput, @Ctx() ctx: RequestContext): Promise<FundingRound> {
    return this.rounds.createRound(ctx.principal, input);
  }

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => FundingRound, { description: 'PATHWAYS_ADMIN: questions and criteria only while DRAFT (CONFLICT once open); nothing once DECIDED.' })
  updateFundingRound(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateFundingRoundInput) input: UpdateFundingRoundInput, @Ctx() ctx: RequestContext): Promise<FundingRound> {
    return this.rounds.updateRound(ctx.principal, id, input);
  }

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => FundingRound, { description: 'PATHWAYS_ADMIN: DRAFT → OPEN; schools apply inside its window.' })
  openFundingRound(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<FundingRound> {
    return this.rounds.openRound(ctx.principal, id);
  }

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => FundingRound, { description: "PATHWAYS_ADMIN: OPEN → CLOSED, the board's turn (nothing more is saved or submitted)." })
  closeFundingRound(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<FundingRound> {
    return this.rounds.closeRound(ctx.principal, id);
  }

  @FieldResolver(() => [PathwayApplication], {
    nullable: true,
    description: "The round's applications (default: all but drafts): the Pathways team and council roles; the round's board sees submitted ones.",
  })
  async applications(
    @Root() round: FundingRound,
    @Arg('status', () => PathwayApplicationStatus, { nullable: true }) status: PathwayApplicationStatus | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<PathwayApplication[]> {
    const statuses = status ? [status] : [PathwayApplicationStatus.SUBMITTED, PathwayApplicationStatus.WITHDRAWN];
    if (mayReport(ctx.principal) || mayManageRounds(ctx.principal)) return this.applicationService.ofRound(round.id, statuses);
    const members = await this.board.members(round.id);
    if (ctx.principal.roles.includes('BOARD_MEMBER') && members.some((m) => m.memberSub === ctx.principal.sub))
      return this.applicationService.ofRound(round.id, statuses.filter((s) => s === PathwayApplicationStatus.SUBMITTED));
    throw forbidden("Only the Pathways team, council roles and the round's board see its applications.");
  }

  @FieldResolver(() => [BoardMember], { nullable: true, description: "The round's board: the Pathways team, and its own members." })
  async boardMembers(@Root() round: FundingRound, @Ctx() ctx: RequestContext): Promise<BoardMember[]> {
    const members = await this.board.members(round.id);
    if (mayManageRounds(ctx.principal) || members.some((m) => m.memberSub === ctx.principal.sub && ctx.principal.roles.includes('BOARD_MEMBER'))) return members;
    throw forbidden("Only the Pathways team and the round's board see its members.");
  }

  @FieldResolver(() => [PanelRowView], { nullable: true, description: "The panel: submitted applications ranked by mean weighted total, with the spread between members. A member sees totals only of what they have scored." })
  panel(@Root() round: FundingRound, @Ctx() ctx: RequestContext): Promise<PanelRowView[]> {
    return this.board.panel(ctx.principal, round);
  }

  @FieldResolver(() => [AuditEntryView], { nullable: true, description: 'The Pathways team: every change to this round and its board, oldest first.' })
  history(@Root() round: FundingRound, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    requireMayManageRounds(ctx.principal);
    return historyOf(ctx, this.dataSource, 'funding_round', round.id);
  }
}
