import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { BandingAuditConnection, BandingReturnConnection, BandingSummaryView } from './council.types';
import { CouncilService } from './council.service';

@Resolver()
export class CouncilResolver {
  constructor(private readonly council: CouncilService) {}

  @Authorized('COUNCIL_OFFICER')
  @Query(() => BandingSummaryView, {
    description: 'COUNCIL_OFFICER: county-wide progress and band distributions for a matrix version (the newest by default), overall and by school phase.',
  })
  bandingSummary(@Arg('version', () => Int, { nullable: true }) version: number | null | undefined, @Ctx() ctx: RequestContext): Promise<BandingSummaryView> {
    return this.council.summary(ctx.principal, version);
  }

  @Authorized('COUNCIL_OFFICER')
  @Query(() => BandingReturnConnection, { description: 'COUNCIL_OFFICER: SUBMITTED returns waiting for QA, the longest-waiting first.' })
  bandingReturnsAwaitingQa(
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<BandingReturnConnection> {
    return this.council.awaitingQa(ctx.principal, first, after, ctx) as Promise<BandingReturnConnection>;
  }

  @Authorized('COUNCIL_OFFICER')
  @Query(() => String, {
    description:
      'COUNCIL_OFFICER: CSV of every pupil row of the APPROVED returns of a matrix version (the newest by default), for the funding model. No names: urn, pupil_ref, year_group, weekly_support_hours, primary_need, a level column per area, suggested_band, agreed_band, verdict, reason.',
  })
  bandingExportCsv(@Arg('version', () => Int, { nullable: true }) version: number | null | undefined, @Ctx() ctx: RequestContext): Promise<string> {
    return this.council.exportCsv(ctx.principal, version);
  }

  @Authorized('COUNCIL_OFFICER')
  @Query(() => BandingAuditConnection, { description: 'COUNCIL_OFFICER: every read and change of a return (who, when, what), oldest first.' })
  bandingAuditLog(
    @Arg('returnId', () => ID) returnId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<BandingAuditConnection> {
    return this.council.auditLog(ctx.principal, returnId, first, after) as Promise<BandingAuditConnection>;
  }
}
