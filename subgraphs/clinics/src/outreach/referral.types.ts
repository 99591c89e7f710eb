import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@sendco/federation';
import { OutreachReferral } from './referral.entity';
import { OutreachPackage, OutreachReferralStatus } from './referral.enums';
import type { ReferralCounts } from './referral.service';

@ObjectType({ description: 'Referrals, newest first, a page at a time.' })
export class OutreachReferralConnection extends ConnectionType(OutreachReferral) {}

@ObjectType()
export class OutreachStatusCount {
  @Field(() => OutreachReferralStatus)
  status!: OutreachReferralStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class OutreachPackageCount {
  @Field(() => OutreachPackage)
  package!: OutreachPackage;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class OutreachMonthCount {
  @Field({ description: 'Month received (Europe/London), YYYY-MM.' })
  month!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Outreach referrals received in a period, counted three ways.' })
export class OutreachReferralCounts implements ReferralCounts {
  @Field(() => Int)
  total!: number;

  @Field(() => [OutreachStatusCount], { description: 'Every status, zero counts included.' })
  byStatus!: OutreachStatusCount[];

  @Field(() => [OutreachPackageCount], { description: 'Every package, zero counts included.' })
  byPackage!: OutreachPackageCount[];

  @Field(() => [OutreachMonthCount], { description: 'Months with referrals, oldest first.' })
  byMonth!: OutreachMonthCount[];
}
