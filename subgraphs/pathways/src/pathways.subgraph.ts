import { AuditEntry } from '@sendco/database';
import { QUEUE_NAMES } from '@sendco/queue';
import { createGatewayClient, gatewaySchoolDirectory, type SubgraphDefinition } from '@sendco/federation';
import { PathwayApplication } from './applications/application.entity';
import { PathwayApplicationResolver } from './applications/application.resolver';
import { PathwayApplicationService } from './applications/application.service';
import { BoardConflict, BoardMember, BoardScore } from './board/board.entities';
import { BoardResolver } from './board/board.resolver';
import { BoardService } from './board/board.service';
import { PathwayDecision } from './decisions/decision.entity';
import { PathwayDecisionResolver } from './decisions/decision.resolver';
import { PathwayDecisionService } from './decisions/decision.service';
import { seedDemoPathways } from './demo-data';
import { CreatePathways1765000000000 } from './migrations/1765000000000-CreatePathways';
import { PublishService } from './outcomes/publish.service';
import { FundingRoundReportResolver } from './reporting/report.resolver';
import { FundingRound } from './rounds/round.entity';
import { FundingRoundResolver } from './rounds/round.resolver';
import { FundingRoundService } from './rounds/round.service';
import { School } from './schools/school';
import { SchoolPathwayApplicationsResolver } from './schools/school-pathways.resolver';

export const pathwaysSubgraph: SubgraphDefinition = {
  name: 'pathways',
  dbSchema: 'pathways',
  entities: [FundingRound, PathwayApplication, BoardMember, BoardScore, BoardConflict, PathwayDecision, AuditEntry],
  migrations: [CreatePathways1765000000000],
  resolvers: [FundingRoundResolver, PathwayApplicationResolver, BoardResolver, PathwayDecisionResolver, FundingRoundReportResolver, SchoolPathwayApplicationsResolver],
  orphanedTypes: [School],
  usesQueue: true,
  extraQueues: [QUEUE_NAMES.bulletinDrafts],
  createResolvers: ({ dataSource, outbox, config }) => {
    const schools = gatewaySchoolDirectory(createGatewayClient(config.gateway.url));
    const rounds = new FundingRoundService(dataSource);
    const applications = new PathwayApplicationService(dataSource);
    const board = new BoardService(dataSource);
    const decisions = new PathwayDecisionService(dataSource);
    const publish = new PublishService(dataSource, schools, outbox);
    return new Map<Function, object>([
      [FundingRoundResolver, new FundingRoundResolver(rounds, applications, board, dataSource)],
      [PathwayApplicationResolver, new PathwayApplicationResolver(applications, board, decisions, dataSource)],
      [BoardResolver, new BoardResolver(board)],
      [PathwayDecisionResolver, new PathwayDecisionResolver(decisions, publish)],
      [FundingRoundReportResolver, new FundingRoundReportResolver(applications, board, schools)],
      [SchoolPathwayApplicationsResolver, new SchoolPathwayApplicationsResolver(applications)],
    ]);
  },
  seedDemoData: ({ dataSource }) => seedDemoPathways(dataSource),
};
