import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { auditHistories } from '@sendco/database';
import { AuditEntryView, requestLoader, type RequestContext } from '@sendco/federation';
import type { DataSource } from 'typeorm';
import { MatrixVersion } from '../matrix/matrix.entity';
import { MatrixService } from '../matrix/matrix.service';
import { BandingPupil } from '../pupils/pupil.entity';
import { PupilService } from '../pupils/pupil.service';
import { sampleProgress } from '../sample/sample-rule';
import { School } from '../schools/school';
import { auditReturnReads, RETURN_SUBJECT } from './return-audit';
import { BandingReturn } from './return.entity';
import { requirementOf, ReturnService } from './return.service';
import { SampleProgressView, SampleRequirementView } from './return.types';

@Resolver(() => BandingReturn)
export class ReturnResolver {
  constructor(
    private readonly returns: ReturnService,
    private readonly pupilService: PupilService,
    private readonly matrices: MatrixService,
    private readonly dataSource: DataSource,
  ) {}

  @Authorized('SENDCO')
  @Mutation(() => BandingReturn, {
    description:
      "SENDCO of the school. One return per school per matrix version (the newest): starting again returns the existing one, updating the counts while it is DRAFT or RETURNED (CONFLICT if a SUBMITTED or APPROVED return's counts would change). NOT_FOUND for a school the directory does not have; BAD_USER_INPUT for a special school (banding is for mainstream schools).",
  })
  startBandingReturn(
    @Arg('urn', () => ID) urn: string,
    @Arg('ehcpCount', () => Int, { description: 'E: pupils with an EHCP at the school.' }) ehcpCount: number,
    @Arg('over25HoursCount', () => Int, { description: 'H: of those, pupils on more than 25 hours of support a week.' }) over25HoursCount: number,
    @Ctx() ctx: RequestContext,
  ): Promise<BandingReturn> {
    return this.returns.start(ctx.principal, urn, ehcpCount, over25HoursCount);
  }

  @Authorized('SENDCO')
  @Mutation(() => BandingReturn, {
    description:
      "SENDCO of the school, while DRAFT or RETURNED. SAMPLE_INCOMPLETE (extensions.missing: pupils, upTo25Hours, over25Hours; extensions.requirement, extensions.progress) until the sample meets the requirement. The council's QA inbox is emailed.",
  })
  submitBandingReturn(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<BandingReturn> {
    return this.returns.submit(ctx.principal, id);
  }

  @Authorized()
  @Query(() => BandingReturn, { description: "The school's own staff and council officers only; every read is audited." })
  bandingReturn(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<BandingReturn> {
    return this.returns.get(ctx.principal, id, ctx);
  }

  @FieldResolver(() => SampleRequirementView)
  requirement(@Root() ret: BandingReturn): SampleRequirementView {
    return requirementOf(ret);
  }

  @FieldResolver(() => SampleProgressView)
  async progress(@Root() ret: BandingReturn, @Ctx() ctx: RequestContext): Promise<SampleProgressView> {
    const pupils = await requestLoader<string, BandingPupil[]>(ctx, 'pupilsOfReturn', (ids) => this.pupilService.pupilsOfReturns(ids)).load(ret.id);
    return sampleProgress(requirementOf(ret), pupils.map((p) => p.weeklySupportHours));
  }

  /**
   * Whatever operation reaches a return's pupils (a query, a mutation's answer, School.bandingReturn),
   * the read is audited here, once per return per request, before any pupil is given out.
   */
  @FieldResolver(() => [BandingPupil], { description: 'In pupil reference order. Every read is audited, whichever operation reaches it.' })
  async pupils(@Root() ret: BandingReturn, @Ctx() ctx: RequestContext): Promise<BandingPupil[]> {
    await requestLoader<string, true>(ctx, 'auditPupilsRead', async (ids) => {
      await auditReturnReads(this.dataSource.manager, ctx.principal, ids, 'BandingReturn.pupils', ctx);
      return ids.map(() => true as const);
    }).load(ret.id);
    return requestLoader<string, BandingPupil[]>(ctx, 'pupilsOfReturn', (ids) => this.pupilService.pupilsOfReturns(ids)).load(ret.id);
  }

  @FieldResolver(() => MatrixVersion, { description: 'The matrix version the return was started on (it keeps it).' })
  matrix(@Root() ret: BandingReturn): Promise<MatrixVersion> {
    return this.matrices.load(ret.matrixId);
  }

  @FieldResolver(() => School)
  school(@Root() ret: BandingReturn): School {
    return { urn: ret.schoolUrn };
  }

  @Authorized('COUNCIL_OFFICER')
  @FieldResolver(() => [AuditEntryView], { nullable: true, description: 'Council officers only: every read and change of this return, oldest first.' })
  history(@Root() ret: BandingReturn, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    return requestLoader<string, AuditEntryView[]>(ctx, 'returnHistory', async (ids) =>
      (await auditHistories(this.dataSource, RETURN_SUBJECT, ids)).map((entries) => entries.map(AuditEntryView.of)),
    ).load(ret.id);
  }
}
