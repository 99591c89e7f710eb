/** Schools: the list the council imports (GIAS-style) and everyone else refers to by URN. */
import { In, type DataSource } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { badUserInput, notFound } from '@sendco/errors';
import { School } from './school.entity';
import type { SchoolInput } from './school.inputs';

export const MAX_SCHOOLS_PER_UPSERT = 2000;

export class SchoolService {
  constructor(private readonly dataSource: DataSource) {}

  /** ADMIN. Insert or update by URN, all or nothing; answers in the order given. */
  async upsertSchools(principal: Principal, schools: SchoolInput[]): Promise<School[]> {
    requireRole(principal, 'ADMIN');
    if (schools.length === 0) return [];
    if (schools.length > MAX_SCHOOLS_PER_UPSERT) {
      throw badUserInput([{ field: 'schools', message: `at most ${MAX_SCHOOLS_PER_UPSERT} schools per call` }]);
    }
    const seen = new Set<string>();
    const duplicates = schools.map((s, i) => ({ s, i })).filter(({ s }) => (seen.has(s.urn) ? true : (seen.add(s.urn), false)));
    if (duplicates.length) {
      throw badUserInput(duplicates.map(({ s, i }) => ({ field: `schools.${i}.urn`, message: `URN ${s.urn} appears more than once` })));
    }
    const rows = schools.map((s) => ({ urn: s.urn, name: s.name.trim(), phase: s.phase, ehcpCount: s.ehcpCount ?? 0 }));
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(School).upsert(rows, { conflictPaths: ['urn'] });
      const saved = await manager.getRepository(School).findBy({ urn: In(rows.map((r) => r.urn)) });
      const byUrn = new Map(saved.map((s) => [s.urn, s]));
      return rows.map((r) => byUrn.get(r.urn)!);
    });
  }

  /** Public fields only: anyone may look a school up. */
  async getSchool(urn: string): Promise<School> {
    const school = /^\d{6}$/.test(urn) ? await this.dataSource.getRepository(School).findOneBy({ urn }) : null;
    if (!school) throw notFound(`School ${urn}`);
    return school;
  }

  /** For federation: many URNs in one query. Unknown URNs give null. */
  async findByUrns(urns: readonly string[]): Promise<(School | null)[]> {
    const valid = urns.filter((u) => /^\d{6}$/.test(u));
    const found = valid.length ? await this.dataSource.getRepository(School).findBy({ urn: In(valid) }) : [];
    const byUrn = new Map(found.map((s) => [s.urn, s]));
    return urns.map((u) => byUrn.get(u) ?? null);
  }
}
