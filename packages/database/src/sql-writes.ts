/**
 * Hand-written SQL for hot paths (the booking rush): multi-row INSERTs from entity metadata,
 * several writes in one round trip, and entities hydrated from raw rows. Elsewhere, use the
 * repositories.
 */
import type { EntityManager, EntityTarget } from 'typeorm';

/** One SQL statement and its parameters ($1, $2, …). */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * A multi-row INSERT of an entity's rows as one statement: column names and value conversions
 * (JSON, transformers) from the entity's metadata, no RETURNING and no per-row ORM work. Columns
 * the rows leave out take their database defaults. For hot paths; elsewhere use the repository.
 */
export function insertRows<T extends object>(manager: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[]): SqlStatement {
  if (rows.length === 0) throw new Error('insertRows needs at least one row');
  const metadata = manager.connection.getMetadata(entity);
  const columns = Object.keys(rows[0]).map((property) => {
    const column = metadata.findColumnWithPropertyPath(property);
    if (!column) throw new Error(`${metadata.name} has no column for property "${property}"`);
    return column;
  });
  const params: unknown[] = [];
  const values = rows.map(
    (row) =>
      `(${columns
        .map((column) => {
          params.push(manager.connection.driver.preparePersistentValue(column.getEntityValue(row), column));
          return `$${params.length}`;
        })
        .join(', ')})`,
  );
  return { sql: `INSERT INTO ${tableName(metadata.tablePath)} (${columns.map((c) => `"${c.databaseName}"`).join(', ')}) VALUES ${values.join(', ')}`, params };
}

/**
 * Several data-modifying statements sent as one (each a WITH clause of a single statement), so
 * the writes that end a transaction cost one round trip instead of one each. Postgres runs them
 * against one snapshot and checks foreign keys at the end of the statement, so a row may refer to
 * one inserted beside it; none may read another's rows. Their SQL must not contain `$n` literals.
 */
export async function writeTogether(manager: EntityManager, statements: SqlStatement[]): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length === 1) {
    await manager.query(statements[0].sql, statements[0].params);
    return;
  }
  const params: unknown[] = [];
  const clauses = statements.map((statement, i) => {
    const offset = params.length;
    params.push(...statement.params);
    return `w${i} AS (${statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  await manager.query(`WITH ${clauses.join(', ')} SELECT 1`, params);
}

/**
 * An entity from a row of its own table (`SELECT *`), with the ORM's type conversions,
 * transformers and embedded columns, without the query builder: for statements a hot path
 * writes by hand (e.g. a row lock).
 */
export function hydrate<T extends object>(manager: EntityManager, entity: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(entity);
  const instance = metadata.create() as T;
  for (const column of metadata.columns) {
    if (column.databaseName in row) column.setEntityValue(instance, manager.connection.driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return instance;
}

/** `training.place` → `"training"."place"`. */
export function tableName(tablePath: string): string {
  return tablePath
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
