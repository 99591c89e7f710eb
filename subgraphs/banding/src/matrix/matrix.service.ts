/**
 * Matrix versions: read (public), and published by an admin. A version is immutable once
 * published, so versions are cached in memory by id after their first read.
 */
import type { DataSource } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { audit, PgErrorCode, pgErrorCode } from '@sendco/database';
import { badUserInput, conflict, notFound, type FieldProblem } from '@sendco/errors';
import { bandRuleProblems, type BandRule } from './band-rule';
import type { MatrixDefinition } from './matrix-definition';
import { MatrixArea, MatrixBand, MatrixLevel, MatrixVersion } from './matrix.entity';
import type { MatrixShape } from '../pupils/pupil-rules';

export class MatrixService {
  private readonly byId = new Map<string, MatrixVersion>();

  constructor(private readonly dataSource: DataSource) {}

  /** The newest version, or a given one; NOT_FOUND when there is none. */
  async version(version?: number | null): Promise<MatrixVersion> {
    const repo = this.dataSource.getRepository(MatrixVersion);
    const row = version === undefined || version === null ? (await repo.find({ order: { version: 'DESC' }, take: 1 }))[0] : await repo.findOneBy({ version });
    if (!row) throw notFound(version ? `Banding matrix version ${version}` : 'A published banding matrix');
    return this.load(row.id);
  }

  /** A version with its areas (levels in order) and bands, from the cache after the first read. */
  async load(id: string): Promise<MatrixVersion> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const matrix = await this.dataSource.getRepository(MatrixVersion).findOneOrFail({
      where: { id },
      relations: { areas: { levels: true }, bands: true },
      order: { areas: { position: 'ASC', levels: { level: 'ASC' } }, bands: { band: 'ASC' } },
    });
    this.byId.set(id, matrix);
    return matrix;
  }

  /** ADMIN. Publishes the next version; returns in progress keep the version they started on. */
  async publish(principal: Principal, definition: MatrixDefinition): Promise<MatrixVersion> {
    requireRole(principal, 'ADMIN');
    const problems = definitionProblems(definition);
    if (problems.length) throw badUserInput(problems);
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        // One publisher at a time, so two admins cannot both take the next number.
        await manager.query(`LOCK TABLE "banding"."matrix_version" IN SHARE ROW EXCLUSIVE MODE`);
        const [{ next }] = await manager.query(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM "banding"."matrix_version"`);
        const matrix = await manager.getRepository(MatrixVersion).save({ version: Number(next), levelPoints: definition.levelPoints, publishedBy: principal.sub });
        await insertContents(manager, matrix.id, definition);
        await audit(manager, [{ subjectType: 'matrix', subjectId: matrix.id, action: 'matrix.published', actor: principal.sub, details: { version: matrix.version } }]);
        return matrix.id;
      });
      return this.load(id);
    } catch (error) {
      if (pgErrorCode(error) === PgErrorCode.UNIQUE_VIOLATION) throw conflict('Another version was published at the same moment; please try again.');
      throw error;
    }
  }
}

/** Inserts a version's areas, levels and bands (also used by the demo data). */
export async function insertContents(manager: DataSource['manager'], matrixId: string, definition: MatrixDefinition): Promise<void> {
  for (const [position, area] of definition.areas.entries()) {
    const saved = await manager.getRepository(MatrixArea).save({ matrixId, key: area.key, name: area.name.trim(), position });
    await manager.getRepository(MatrixLevel).insert(area.levels.map((l) => ({ areaId: saved.id, level: l.level, descriptor: l.descriptor.trim() })));
  }
  await manager.getRepository(MatrixBand).insert(
    definition.bands.map((b) => ({ matrixId, band: b.band, label: b.label.trim(), description: b.description.trim(), minScore: b.minScore, primaryNeedLevel: b.primaryNeedLevel ?? null })),
  );
}

/** Everything a version must be besides the band rule's own conditions: distinct area keys, a descriptor for every level. */
export function definitionProblems(definition: MatrixDefinition): FieldProblem[] {
  const problems: FieldProblem[] = [...bandRuleProblems(toRule(definition))];
  const maxLevel = definition.levelPoints.length - 1;
  const keys = new Map<string, number>();
  definition.areas.forEach((area, i) => {
    if (keys.has(area.key)) problems.push({ field: `areas.${i}.key`, message: `is the same as areas.${keys.get(area.key)}.key` });
    else keys.set(area.key, i);
    const levels = area.levels.map((l) => l.level);
    const expected = Array.from({ length: maxLevel + 1 }, (_, level) => level);
    if (levels.length !== expected.length || expected.some((level, j) => levels[j] !== level)) {
      problems.push({ field: `areas.${i}.levels`, message: `must describe each level from 0 to ${maxLevel} once, in order (levelPoints has ${maxLevel + 1} entries)` });
    }
    area.levels.forEach((l, j) => {
      if (!l.descriptor.trim()) problems.push({ field: `areas.${i}.levels.${j}.descriptor`, message: 'must not be blank' });
    });
    if (!area.name.trim()) problems.push({ field: `areas.${i}.name`, message: 'must not be blank' });
  });
  return problems;
}

export function toRule(matrix: Pick<MatrixDefinition, 'levelPoints' | 'bands'>): BandRule {
  return { levelPoints: matrix.levelPoints, bands: matrix.bands.map((b) => ({ band: b.band, minScore: b.minScore, primaryNeedLevel: b.primaryNeedLevel ?? null })) };
}

export function shapeOf(matrix: MatrixVersion): MatrixShape {
  return { version: matrix.version, areaKeys: matrix.areas.map((a) => a.key), maxLevel: matrix.levelPoints.length - 1 };
}
