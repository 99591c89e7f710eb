import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { AuditEntryView, requestLoader, type RequestContext } from '@sendco/federation';
import { historyOf } from '../audit/histories';
import { School } from '../schools/school';
import { OutreachReferral, OutreachReferralUpdate } from './referral.entity';
import { OutreachReferralChangeInput, OutreachReferralFilter, OutreachReferralInput } from './referral.inputs';
import { OutreachReferralService } from './referral.service';
import { OutreachReferralConnection, OutreachReferralCounts } from './referral.types';

/** Fields are reachable only through queries that have checked the caller may see the referral. */
@Resolver(() => OutreachReferral)
export class OutreachReferralResolver {
  constructor(
    private readonly referrals: OutreachReferralService,
    private readonly dataSource: DataSource,
  ) {}

  @Authorized('SENDCO') // which school is checked in the service
  @Mutation(() => OutreachReferral, { description: "SENDCO of schoolUrn. Status RECEIVED; the school's contact is emailed at this and every later change." })
  referToOutreach(@Arg('input', () => OutreachReferralInput) input: OutreachReferralInput, @Ctx() ctx: RequestContext): Promise<OutreachReferral> {
    return this.referrals.refer(ctx.principal, input);
  }

  @Authorized('CLINIC_PROVIDER') // ADMIN passes too; the allocated school is checked in the service
  @Mutation(() => OutreachReferral, {
    description: 'ADMIN allocates (to a special school in the directory); ADMIN or the allocated CLINIC_PROVIDER moves it to IN_PROGRESS and CLOSED (with a note). Other steps answer CONFLICT.',
  })
  updateOutreachReferral(@Arg('id', () => ID) id: string, @Arg('input', () => OutreachReferralChangeInput) input: OutreachReferralChangeInput, @Ctx() ctx: RequestContext): Promise<OutreachReferral> {
    return this.referrals.change(ctx.principal, id, input);
  }

  @Authorized()
  @Query(() => OutreachReferral, { nullable: true, description: 'The referring school, the allocated special school, and council roles.' })
  outreachReferral(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<OutreachReferral> {
    return this.referrals.getReferral(ctx.principal, id);
  }

  @Authorized()
  @Query(() => OutreachReferralConnection, { description: "Newest first: council roles see all; a school its own; a clinic provider those allocated to its school." })
  outreachReferrals(
    @Arg('filter', () => OutreachReferralFilter, { nullable: true }) filter: OutreachReferralFilter | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<OutreachReferralConnection> {
    return this.referrals.listReferrals(ctx.principal, filter ?? {}, first, after);
  }

  @Authorized('COUNCIL_OFFICER')
  @Query(() => OutreachReferralCounts, { description: 'COUNCIL_OFFICER or ADMIN: referrals received from `from` (inclusive) to `to` (exclusive), by status, package and month.' })
  outreachReferralCounts(
    @Arg('from', () => Date, { nullable: true }) from: Date | undefined,
    @Arg('to', () => Date, { nullable: true }) to: Date | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<OutreachReferralCounts> {
    return this.referrals.counts(ctx.principal, from, to);
  }

  @FieldResolver(() => School, { nullable: true, description: 'The referring school (null if the directory no longer knows it).' })
  school(@Root() referral: OutreachReferral): School {
    return { urn: referral.schoolUrn };
  }

  @FieldResolver(() => School, { nullable: true, description: 'The special school supporting it, once allocated.' })
  allocatedSchool(@Root() referral: OutreachReferral): School | null {
    return referral.allocatedSchoolUrn ? { urn: referral.allocatedSchoolUrn } : null;
  }

  @FieldResolver(() => [OutreachReferralUpdate], { description: 'Each step with its note, oldest first.' })
  updates(@Root() referral: OutreachReferral, @Ctx() ctx: RequestContext): Promise<OutreachReferralUpdate[]> {
    return requestLoader<string, OutreachReferralUpdate[]>(ctx, 'referralUpdates', (ids) => this.referrals.updatesOf(ids)).load(referral.id);
  }

  @FieldResolver(() => [AuditEntryView], { description: 'Every change, with who made it, oldest first.' })
  history(@Root() referral: OutreachReferral, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    return historyOf(ctx, this.dataSource, 'outreach_referral', referral.id);
  }
}
