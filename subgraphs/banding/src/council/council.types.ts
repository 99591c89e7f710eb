import { Field, Float, Int, ObjectType } from 'type-graphql';
import { AuditEntryView, ConnectionType } from '@sendco/federation';
import { BandingReturn } from '../returns/return.entity';

@ObjectType('BandingBandCount')
export class BandCount {
  @Field(() => Int)
  band!: number;

  @Field()
  label!: string;

  @Field(() => Int, { description: 'Pupils of APPROVED returns whose agreed band this is.' })
  count!: number;

  @Field(() => Int, { description: 'Pupils of every return (any status) whose suggested band this is.' })
  suggested!: number;
}

@ObjectType('BandingProgressFigures')
export class ProgressFigures {
  @Field(() => Int, { description: 'Schools with a return for this matrix version.' })
  schoolsStarted!: number;

  @Field(() => Int, { description: 'Schools that have submitted their return at least once (now SUBMITTED, RETURNED or APPROVED).' })
  schoolsSubmitted!: number;

  @Field(() => Int, { description: 'Schools whose return is SUBMITTED and waiting for QA.' })
  schoolsAwaitingQa!: number;

  @Field(() => Int)
  schoolsApproved!: number;

  @Field(() => Int, { description: 'Pupils in all returns.' })
  pupils!: number;

  @Field(() => Int, { description: 'Pupils in approved returns.' })
  approvedPupils!: number;

  @Field(() => Float, { nullable: true, description: 'Share (0–1) of pupils in approved returns whose agreed band is the suggested one; null when none are approved.' })
  agreementRate!: number | null;

  @Field(() => [BandCount], { description: 'Every band of the version, band 1 first: agreed (count) and suggested distributions.' })
  bandDistribution!: BandCount[];
}

@ObjectType('BandingPhaseSummary', { description: "The same figures for the schools of one phase (the directory's phase when each return was started)." })
export class PhaseSummary extends ProgressFigures {
  @Field()
  phase!: string;
}

@ObjectType('BandingSummary', { description: 'County-wide progress for one matrix version, computed in the database.' })
export class BandingSummaryView extends ProgressFigures {
  @Field(() => Int)
  matrixVersion!: number;

  @Field(() => [PhaseSummary], { description: 'By school phase, in alphabetical order of phase.' })
  byPhase!: PhaseSummary[];
}

@ObjectType()
export class BandingReturnConnection extends ConnectionType(BandingReturn) {}

@ObjectType()
export class BandingAuditConnection extends ConnectionType(AuditEntryView) {}
