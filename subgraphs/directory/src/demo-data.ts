/**
 * Demo schools for trying the product (loaded into an empty table; see DEMO_DATA). Names are
 * invented; URNs are in a range GIAS does not use for Oxfordshire so they are never mistaken for real ones.
 */
import type { DataSource } from 'typeorm';
import { School } from './schools/school.entity';
import { SchoolPhase } from './schools/school-phase';

export const DEMO_SCHOOLS: Pick<School, 'urn' | 'name' | 'phase' | 'ehcpCount'>[] = [
  { urn: '900001', name: 'Cherwell Vale Primary School', phase: SchoolPhase.PRIMARY, ehcpCount: 9 },
  { urn: '900002', name: 'Isis Meadow Academy', phase: SchoolPhase.SECONDARY, ehcpCount: 37 },
  { urn: '900003', name: 'Thames Path Secondary School', phase: SchoolPhase.SECONDARY, ehcpCount: 55 },
  { urn: '900004', name: 'Windrush Special School', phase: SchoolPhase.SPECIAL, ehcpCount: 112 },
  { urn: '900005', name: 'Evenlode All-Through School', phase: SchoolPhase.ALL_THROUGH, ehcpCount: 24 },
  { urn: '900006', name: 'Ock Valley Sixth Form', phase: SchoolPhase.POST_16, ehcpCount: 11 },
  // Special schools that run the demo SEND Clinics (subgraphs/clinics/src/demo-data.ts) with Windrush.
  { urn: '900007', name: 'Chiltern Edge Special School', phase: SchoolPhase.SPECIAL, ehcpCount: 96 },
  { urn: '900008', name: 'Wychwood Vale School', phase: SchoolPhase.SPECIAL, ehcpCount: 84 },
];

export async function seedDemoSchools(dataSource: DataSource): Promise<void> {
  const repo = dataSource.getRepository(School);
  if ((await repo.count()) > 0) return;
  await repo.insert(DEMO_SCHOOLS);
}
