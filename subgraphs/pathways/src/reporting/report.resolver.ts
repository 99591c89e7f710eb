import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { forbidden } from '@sendco/errors';
import type { RequestContext, SchoolDirectory } from '@sendco/federation';
import { mayReport } from '../access';
import { PathwayApplicationService } from '../applications/application.service';
import { BoardService } from '../board/board.service';
import { PathwayApplicationStatus } from '../pathways.enums';
import { FundingRoundReport } from '../pathways.types';
import { FundingRound } from '../rounds/round.entity';
import { reportCounts, reportCsv, type ReportRow } from './report';

const ALL = Object.values(PathwayApplicationStatus);

@Resolver(() => FundingRound)
export class FundingRoundReportResolver {
  constructor(
    private readonly applications: PathwayApplicationService,
    private readonly board: BoardService,
    private readonly schools: SchoolDirectory,
  ) {}

  @FieldResolver(() => FundingRoundReport, { nullable: true, description: 'Counts by status and decision: the Pathways team and COUNCIL_OFFICER.' })
  async report(@Root() round: FundingRound, @Ctx() ctx: RequestContext): Promise<FundingRoundReport> {
    if (!mayReport(ctx.principal)) throw forbidden('Only the Pathways team and council officers see the figures.');
    const applications = await this.applications.ofRound(round.id, ALL);
    return reportCounts(applications.map((a) => ({ ...a, pupils: a.cohort.length })), round.pathwaysFunded);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Every application but drafts with its totals and decision, as CSV (formula-safe): the Pathways team and COUNCIL_OFFICER.' })
  async reportCsv(@Root() round: FundingRound, @Ctx() ctx: RequestContext): Promise<string> {
    if (!mayReport(ctx.principal)) throw forbidden('Only the Pathways team and council officers see the figures.');
    const ranked = await this.board.rankedRows(round);
    const withdrawn = await this.applications.ofRound(round.id, [PathwayApplicationStatus.WITHDRAWN]);
    const rows: ReportRow[] = [
      ...ranked.map((r) => ({ ...r.application, pupils: r.application.cohort.length, rank: r.rank, weightedTotal: r.weightedTotal, spread: r.spread, scoreCount: r.scoreCount })),
      ...withdrawn.map((a) => ({ ...a, pupils: a.cohort.length, rank: null, weightedTotal: null, spread: null, scoreCount: 0 })),
    ];
    const names = new Map<string, string>();
    for (const urn of new Set(rows.map((r) => r.schoolUrn))) {
      const school = await this.schools.find(urn).catch(() => null);
      if (school) names.set(urn, school.name);
    }
    return reportCsv(rows, names);
  }
}
