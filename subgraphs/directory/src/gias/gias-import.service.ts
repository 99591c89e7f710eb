/**
 * The register import: the council's schools from a GIAS file into the directory. It keeps what
 * the council holds itself (schools it added, each school's EHCP count), adds the authority's
 * open schools it lacks, brings every known school's register details up to date (a moved
 * phase, a new name, a new trust), marks schools GIAS has closed CLOSED without deleting them
 * (bookings, clinics and returns keep pointing at them), and reports each change. Running it
 * again on the same file changes nothing and reports nothing changed.
 */
import { In, type DataSource, type EntityManager } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { badUserInput, type FieldProblem } from '@sendco/errors';
import { School } from '../schools/school.entity';
import { SchoolStatus } from '../schools/school-status';
import { decodeGiasFile, GiasFileError, MAX_GIAS_FILE_BYTES, readGiasRows } from './gias-file';
import { mapGiasRow, type RegisterSchool } from './gias-mapping';

export interface RegisterChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface SchoolChange {
  urn: string;
  name: string;
  changes: RegisterChange[];
}

export interface SkippedRow {
  line: number;
  urn: string;
  reason: string;
}

export interface RegisterImportReport {
  laCode: string;
  dryRun: boolean;
  /** Rows of the file for this authority. */
  rowsRead: number;
  /** Rows for other authorities, passed over. */
  otherAuthorityRows: number;
  created: SchoolChange[];
  updated: SchoolChange[];
  /** Schools GIAS now says are closed (kept, marked CLOSED). */
  closed: SchoolChange[];
  unchanged: number;
  skipped: SkippedRow[];
  /** Schools of this authority the directory has from an earlier file that this file lacks (kept as they are). */
  notInFile: string[];
}

/** The register's fields the import keeps up to date, in the order a report lists them. */
const REGISTER_FIELDS = [
  'name',
  'phase',
  'status',
  'laCode',
  'laName',
  'establishmentType',
  'street',
  'town',
  'postcode',
  'website',
  'telephone',
  'trust',
  'resourcedProvision',
  'openedOn',
  'closedOn',
] as const satisfies readonly (keyof RegisterSchool)[];

/** RegisterSchool field → School entity property. */
const ENTITY_PROPERTY: Record<(typeof REGISTER_FIELDS)[number], keyof School> = {
  name: 'name',
  phase: 'phase',
  status: 'status',
  laCode: 'localAuthorityCode',
  laName: 'localAuthorityName',
  establishmentType: 'establishmentType',
  street: 'street',
  town: 'town',
  postcode: 'postcode',
  website: 'website',
  telephone: 'telephone',
  trust: 'trust',
  resourcedProvision: 'resourcedProvision',
  openedOn: 'openedOn',
  closedOn: 'closedOn',
};

const MAX_PROBLEMS_REPORTED = 50;

/** What changes between a school as the directory has it and as the register has it. */
export function registerChanges(current: School, register: RegisterSchool): RegisterChange[] {
  return REGISTER_FIELDS.flatMap((field) => {
    const from = (current[ENTITY_PROPERTY[field]] as string | null | undefined) ?? null;
    const to = register[field] ?? null;
    return from === to ? [] : [{ field: ENTITY_PROPERTY[field], from, to }];
  });
}

function entityValues(register: RegisterSchool): Partial<School> {
  return Object.fromEntries(REGISTER_FIELDS.map((field) => [ENTITY_PROPERTY[field], register[field] ?? null])) as Partial<School>;
}

export class RegisterImportService {
  constructor(private readonly dataSource: DataSource) {}

  /** ADMIN. `file` is the GIAS CSV as downloaded (any encoding, optionally gzipped); `field` names it in errors. */
  async importFile(principal: Principal, file: Buffer, laCode: string, options: { dryRun?: boolean; field?: string; laCodeField?: string } = {}): Promise<RegisterImportReport> {
    requireRole(principal, 'ADMIN');
    const field = options.field ?? 'file';
    if (!/^\d{3}$/.test(laCode)) throw badUserInput([{ field: options.laCodeField ?? 'laCode', message: 'must be the 3-digit local authority code, as in GIAS (for example 931)' }]);
    if (file.length === 0) throw badUserInput([{ field, message: 'is empty' }]);
    if (file.length > MAX_GIAS_FILE_BYTES) throw badUserInput([{ field, message: `must be at most ${MAX_GIAS_FILE_BYTES / 1024 / 1024} MB` }]);

    let read: ReturnType<typeof readGiasRows>;
    try {
      read = readGiasRows(decodeGiasFile(file), laCode, field);
    } catch (error) {
      if (error instanceof GiasFileError) throw badUserInput(error.problems);
      if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw badUserInput([{ field, message: 'looks gzipped but cannot be decompressed' }]);
      throw error;
    }

    const problems: FieldProblem[] = [];
    const schools: RegisterSchool[] = [];
    const skipped: SkippedRow[] = [];
    const lineOfUrn = new Map<string, number>();
    for (const row of read.rows) {
      const mapped = mapGiasRow(row, field);
      if (mapped.kind === 'bad') {
        problems.push(...mapped.problems);
        continue;
      }
      const urn = mapped.kind === 'school' ? mapped.school.urn : mapped.urn;
      const earlier = lineOfUrn.get(urn);
      if (earlier !== undefined) {
        problems.push({ field: `${field}.${row.line}.URN`, message: `line ${row.line}, URN: ${urn} is also on line ${earlier}` });
        continue;
      }
      lineOfUrn.set(urn, row.line);
      if (mapped.kind === 'skip') skipped.push({ line: row.line, urn, reason: mapped.reason });
      else schools.push(mapped.school);
    }
    if (problems.length) {
      const shown = problems.slice(0, MAX_PROBLEMS_REPORTED);
      throw badUserInput(shown, `${problems.length} row problem(s) in the file${problems.length > shown.length ? ` (the first ${shown.length} listed)` : ''}; nothing was imported: ${shown[0].message}`);
    }

    const report = await this.dataSource.transaction((manager) => this.apply(manager, principal, laCode, read.rows.length, schools, skipped, lineOfUrn, options.dryRun === true));
    return { ...report, laCode, dryRun: options.dryRun === true, rowsRead: read.rows.length, otherAuthorityRows: read.otherAuthorityRows };
  }

  private async apply(
    manager: EntityManager,
    principal: Principal,
    laCode: string,
    rowsRead: number,
    schools: RegisterSchool[],
    skipped: SkippedRow[],
    lineOfUrn: Map<string, number>,
    dryRun: boolean,
  ): Promise<Pick<RegisterImportReport, 'created' | 'updated' | 'closed' | 'unchanged' | 'skipped' | 'notInFile'>> {
    // Imports one after another: each report is against what the previous import left.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('directory:register-import'))`);
    const repo = manager.getRepository(School);
    const existing = new Map<string, School>();
    for (let i = 0; i < schools.length; i += 1000) {
      const found = await repo.findBy({ urn: In(schools.slice(i, i + 1000).map((s) => s.urn)) });
      for (const school of found) existing.set(school.urn, school);
    }

    const created: SchoolChange[] = [];
    const updated: SchoolChange[] = [];
    const closed: SchoolChange[] = [];
    let unchanged = 0;
    const inserts: Partial<School>[] = [];
    const updates: { urn: string; values: Partial<School> }[] = [];
    for (const register of schools) {
      const current = existing.get(register.urn);
      if (!current) {
        if (register.status === SchoolStatus.CLOSED) {
          skipped.push({ line: lineOfUrn.get(register.urn)!, urn: register.urn, reason: `closed${register.closedOn ? ` on ${register.closedOn}` : ''} and not in the directory: not added` });
          continue;
        }
        inserts.push({ urn: register.urn, ehcpCount: 0, ...entityValues(register) });
        created.push({ urn: register.urn, name: register.name, changes: [] });
        continue;
      }
      const changes = registerChanges(current, register);
      if (changes.length === 0) {
        unchanged += 1;
        continue;
      }
      updates.push({ urn: register.urn, values: Object.fromEntries(changes.map((c) => [c.field, c.to])) as Partial<School> });
      const becameClosed = register.status === SchoolStatus.CLOSED && current.status !== SchoolStatus.CLOSED;
      (becameClosed ? closed : updated).push({ urn: register.urn, name: register.name, changes });
    }

    const seen = schools.map((s) => s.urn);
    const notInFile: { urn: string }[] = await manager.query(
      `SELECT urn FROM "directory"."school" WHERE la_code = $1 AND register_seen_at IS NOT NULL AND NOT (urn = ANY($2)) ORDER BY urn`,
      [laCode, seen],
    );

    if (!dryRun) {
      for (let i = 0; i < inserts.length; i += 500) await repo.insert(inserts.slice(i, i + 500));
      for (const { urn, values } of updates) await repo.update({ urn }, values);
      await manager.query(`UPDATE "directory"."school" SET register_seen_at = now() WHERE urn = ANY($1)`, [seen]);
      await manager.query(
        `INSERT INTO "directory"."register_import" (la_code, imported_by, rows_read, created, updated, closed, unchanged, skipped) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [laCode, principal.sub, rowsRead, created.length, updated.length, closed.length, unchanged, skipped.length],
      );
    }
    skipped.sort((a, b) => a.line - b.line);
    return { created, updated, closed, unchanged, skipped, notInFile: notInFile.map((r) => r.urn) };
  }
}
