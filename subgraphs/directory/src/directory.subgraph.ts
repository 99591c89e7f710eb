import { requestLoader, type SubgraphDefinition } from '@sendco/federation';
import { seedDemoSchools } from './demo-data';
import { RegisterImportResolver } from './gias/gias-import.resolver';
import { RegisterImportService } from './gias/gias-import.service';
import { CreateSchool1763900000000 } from './migrations/1763900000000-CreateSchool';
import { SchoolRegisterDetails1764700000000 } from './migrations/1764700000000-SchoolRegisterDetails';
import { School } from './schools/school.entity';
import { SchoolResolver } from './schools/school.resolver';
import { SchoolService } from './schools/school.service';

export const directorySubgraph: SubgraphDefinition = {
  name: 'directory',
  dbSchema: 'directory',
  entities: [School],
  migrations: [CreateSchool1763900000000, SchoolRegisterDetails1764700000000],
  resolvers: [SchoolResolver, RegisterImportResolver],
  createResolvers: ({ dataSource }) =>
    new Map<Function, object>([
      [SchoolResolver, new SchoolResolver(new SchoolService(dataSource))],
      [RegisterImportResolver, new RegisterImportResolver(new RegisterImportService(dataSource))],
    ]),
  referenceResolvers: ({ dataSource }) => {
    const schools = new SchoolService(dataSource);
    return {
      School: {
        __resolveReference: (reference: { urn: string }, context: object) =>
          requestLoader<string, School | null>(context, 'school', (urns) => schools.findByUrns(urns)).load(reference.urn),
      },
    };
  },
  seedDemoData: ({ dataSource }) => seedDemoSchools(dataSource),
};
