import { AuditEntry } from '@sendco/database';
import { createGatewayClient, gatewaySchoolDirectory, type SubgraphDefinition } from '@sendco/federation';
import { CouncilResolver } from './council/council.resolver';
import { CouncilService } from './council/council.service';
import { seedDemoBanding } from './demo-data';
import { MatrixArea, MatrixBand, MatrixLevel, MatrixVersion } from './matrix/matrix.entity';
import { MatrixResolver } from './matrix/matrix.resolver';
import { MatrixService } from './matrix/matrix.service';
import { CreateBanding1764400000000 } from './migrations/1764400000000-CreateBanding';
import { BandingPupil } from './pupils/pupil.entity';
import { PupilResolver } from './pupils/pupil.resolver';
import { PupilService } from './pupils/pupil.service';
import { QaResolver } from './qa/qa.resolver';
import { QaService } from './qa/qa.service';
import { BandingReturn } from './returns/return.entity';
import { ReturnResolver } from './returns/return.resolver';
import { ReturnService } from './returns/return.service';
import { School } from './schools/school';
import { SchoolBandingResolver } from './schools/school-banding.resolver';

export const bandingSubgraph: SubgraphDefinition = {
  name: 'banding',
  dbSchema: 'banding',
  entities: [MatrixVersion, MatrixArea, MatrixLevel, MatrixBand, BandingReturn, BandingPupil, AuditEntry],
  migrations: [CreateBanding1764400000000],
  resolvers: [MatrixResolver, ReturnResolver, PupilResolver, QaResolver, CouncilResolver, SchoolBandingResolver],
  orphanedTypes: [School],
  usesQueue: true,
  createResolvers: ({ dataSource, outbox, config }) => {
    const matrices = new MatrixService(dataSource);
    const returns = new ReturnService(dataSource, matrices, gatewaySchoolDirectory(createGatewayClient(config.gateway.url)), { qaEmail: config.banding.qaEmail }, outbox);
    const pupils = new PupilService(dataSource, matrices);
    return new Map<Function, object>([
      [MatrixResolver, new MatrixResolver(matrices)],
      [ReturnResolver, new ReturnResolver(returns, pupils, matrices, dataSource)],
      [PupilResolver, new PupilResolver(pupils)],
      [QaResolver, new QaResolver(new QaService(dataSource, matrices, outbox))],
      [CouncilResolver, new CouncilResolver(new CouncilService(dataSource, matrices))],
      [SchoolBandingResolver, new SchoolBandingResolver(returns)],
    ]);
  },
  seedDemoData: ({ dataSource }) => seedDemoBanding(dataSource),
};
