import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PathwayApplication } from './applications/application.entity';
import { PathwayApplicationStatus, PathwayDecisionOutcome } from './pathways.enums';

@ObjectType({ description: "One submitted application on the board's panel: totals across members, and its place in the ranking." })
export class PanelRowView {
  @Field(() => PathwayApplication)
  application!: PathwayApplication;

  @Field(() => Int, { nullable: true, description: '1 = highest mean weighted total; equal totals share a rank; null when unscored or hidden.' })
  rank!: number | null;

  @Field(() => Float, { nullable: true, description: "The mean of the members' weighted totals (Σ weight × score)." })
  weightedTotal!: number | null;

  @Field(() => Float, { nullable: true, description: 'Highest minus lowest member total.' })
  spread!: number | null;

  @Field(() => Int)
  scoreCount!: number;

  @Field(() => Int, { description: 'Members who declared a conflict of interest with it.' })
  conflicts!: number;

  @Field({ description: 'True for a board member who has not scored it yet: its totals stay hidden until they have.' })
  hidden!: boolean;
}

@ObjectType()
export class ApplicationStatusCount {
  @Field(() => PathwayApplicationStatus)
  status!: PathwayApplicationStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class DecisionCount {
  @Field(() => PathwayDecisionOutcome)
  outcome!: PathwayDecisionOutcome;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "A round's figures for the council." })
export class FundingRoundReport {
  @Field(() => Int)
  pathwaysFunded!: number;

  @Field(() => [ApplicationStatusCount], { description: 'Every status, zeros included.' })
  byStatus!: ApplicationStatusCount[];

  @Field(() => [DecisionCount], { description: 'Decisions on submitted applications, zeros included.' })
  byDecision!: DecisionCount[];

  @Field(() => Int, { description: 'Submitted applications with no decision yet.' })
  undecided!: number;
}
