import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { PathwayApplication } from '../applications/application.entity';
import { BoardMember, BoardScore } from './board.entities';
import { BoardMemberInput, ScoreApplicationInput } from './board.inputs';
import { BoardService } from './board.service';

@Resolver()
export class BoardResolver {
  constructor(private readonly board: BoardService) {}

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => BoardMember, { description: "PATHWAYS_ADMIN: adds (or renames) a member of the round's board." })
  addBoardMember(@Arg('roundId', () => ID) roundId: string, @Arg('input', () => BoardMemberInput) input: BoardMemberInput, @Ctx() ctx: RequestContext): Promise<BoardMember> {
    return this.board.addMember(ctx.principal, roundId, input);
  }

  @Authorized('PATHWAYS_ADMIN')
  @Mutation(() => Boolean, { description: 'PATHWAYS_ADMIN: removes a member (their scores stay); false when they were not on the board.' })
  removeBoardMember(@Arg('roundId', () => ID) roundId: string, @Arg('memberSub') memberSub: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return this.board.removeMember(ctx.principal, roundId, memberSub);
  }

  @Authorized('BOARD_MEMBER')
  @Mutation(() => BoardScore, { description: "A member of the round's board: scores a submitted application once (CONFLICT the second time), every criterion, with a comment." })
  scorePathwayApplication(@Arg('applicationId', () => ID) applicationId: string, @Arg('input', () => ScoreApplicationInput) input: ScoreApplicationInput, @Ctx() ctx: RequestContext): Promise<BoardScore> {
    return this.board.score(ctx.principal, applicationId, input);
  }

  @Authorized('BOARD_MEMBER')
  @Mutation(() => PathwayApplication, { description: 'A member of the board declares a conflict of interest: they then cannot score it or see its scores.' })
  declarePathwayConflict(@Arg('applicationId', () => ID) applicationId: string, @Arg('reason') reason: string, @Ctx() ctx: RequestContext): Promise<PathwayApplication> {
    return this.board.declareConflict(ctx.principal, applicationId, reason);
  }
}
