/**
 * Hand-written SQL for hot paths (the booking rush): multi-row INSERTs from entity metadata,
 * several writes in one round trip, and entities hydrated from raw rows. Elsewhere, use the
 * repositories.
 */
import * as pg from 'pg';
import type { ClientBase, QueryResult } from 'pg';
import type { DataSource, EntityManager, EntityTarget } from 'typeorm';

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
 * Several data-modifying statements as one (each a WITH clause of a single statement), so the
 * writes that end a transaction cost one round trip instead of one each. Postgres runs them
 * against one snapshot and checks foreign keys at the end of the statement, so a row may refer to
 * one inserted beside it; none may read another's rows. Their SQL must not contain `$n` literals.
 */
export function combineWrites(statements: SqlStatement[]): SqlStatement {
  if (statements.length === 1) return statements[0];
  const params: unknown[] = [];
  const clauses = statements.map((statement, i) => {
    const offset = params.length;
    params.push(...statement.params);
    return `w${i} AS (${statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${clauses.join(', ')} SELECT 1`, params };
}

/** combineWrites, sent in the caller's transaction. */
export async function writeTogether(manager: EntityManager, statements: SqlStatement[]): Promise<void> {
  if (statements.length === 0) return;
  const combined = combineWrites(statements);
  await manager.query(combined.sql, combined.params);
}

/**
 * The statement with its parameters written into it as literals, for the simple query protocol
 * (the only one that carries several statements in one message). Each value is converted as the
 * driver converts parameters (pg's prepareValue: dates, arrays, JSON) and quoted by pg's own
 * escapeLiteral; Postgres then gives each literal the type its place asks for, as it does for a
 * parameter. Binary values are refused: nothing on this path sends any.
 */
export function inlineParams(statement: SqlStatement): string {
  return statement.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= statement.params.length) throw new Error(`inlineParams: no parameter $${n}`);
    const value = statement.params[index];
    if (value === null || value === undefined) return 'NULL';
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) throw new Error('inlineParams: binary parameters are not supported');
    return pg.escapeLiteral(String(prepareValue(value)));
  });
}

/** pg's own conversion of a parameter to its text form (exported by pg, missing from its type definitions). */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

/** What a two-trip transaction's decision may do besides deciding: ask more (rare paths only: each is a round trip). */
export interface TransactionSession {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * A transaction in two round trips, for the hottest path under a row lock (the booking rush):
 *
 *   1. `BEGIN; <opening statements>` in one message: typically the row lock, then a read of
 *      everything the decision needs. Postgres runs them in order and, in READ COMMITTED, gives
 *      each statement a snapshot of its own taken when it starts, so a read placed after the lock
 *      sees everything the previous holder of the lock committed.
 *   2. `<closing statements>; COMMIT` in one message: the writes `decide` returns.
 *
 * One statement per round trip (BEGIN, lock, read, write, COMMIT), the lock was held over three
 * and a half trips, each waiting for the subgraph's event loop, which is busy with everyone
 * else's requests; here it is held over one and a half (BENCHMARKS.md, issue 6). If anything
 * fails or `decide` throws, the transaction is rolled back.
 */
export async function twoTripTransaction<T>(
  dataSource: DataSource,
  opening: SqlStatement[],
  decide: (rows: Record<string, unknown>[][], session: TransactionSession) => Promise<{ result: T; closing: SqlStatement[] }>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as ClientBase;
  let committed = false;
  try {
    const results = (await client.query(['BEGIN', ...opening.map(inlineParams)].join(';\n'))) as unknown as QueryResult | QueryResult[];
    const rows = (Array.isArray(results) ? results : [results]).slice(1).map((result) => result.rows as Record<string, unknown>[]);
    const session: TransactionSession = { query: async (sql, params) => (await client.query(sql, params)).rows };
    const { result, closing } = await decide(rows, session);
    await client.query([...closing.map(inlineParams), 'COMMIT'].join(';\n'));
    committed = true;
    return result;
  } catch (error) {
    // Whatever failed, no transaction may stay open on a connection going back to the pool.
    if (!committed) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
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

/** An entity's table, quoted for hand-written SQL: Place → `"training"."place"`. */
export function entityTable(manager: EntityManager, entity: EntityTarget<object>): string {
  return tableName(manager.connection.getMetadata(entity).tablePath);
}

/** `training.place` → `"training"."place"`. */
export function tableName(tablePath: string): string {
  return tablePath
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
