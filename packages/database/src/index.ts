/**
 * One way to talk to Postgres: a TypeORM DataSource per subgraph, each in its own schema of the
 * one database, migrations only (never `synchronize`), run by `npm run migrate` and at start.
 */
import 'reflect-metadata';
import {
  CreateDateColumn,
  DataSource,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type EntityManager,
  type EntityTarget,
  type MixedList,
  type EntitySchema,
} from 'typeorm';

export { DataSource, type EntityManager } from 'typeorm';

export interface DataSourceOptions {
  /** Postgres schema this subgraph owns; all its tables and its migrations table live there. */
  schema: string;
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /** Tests may build throwaway schemas straight from the entities; never in a running service. */
  synchronizeForTests?: boolean;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: options.synchronizeForTests === true,
    // gen_random_uuid() is built into Postgres 13+ and PGlite; no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000, application_name: `sendco-${options.schema}` },
    logging: ['error'],
  });
}

/** Connects, makes sure the schema exists, and applies pending migrations (each in its own transaction). */
export async function initializeDataSource(dataSource: DataSource, { migrate = true } = {}): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const schema = (dataSource.options as { schema?: string }).schema;
  if (schema) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  if (migrate) await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** Runs work in one transaction; inside it, use only the manager it hands you (see stack-facts: embedded Postgres). */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(work);
}

/** Postgres error codes we react to. */
export const PgErrorCode = { UNIQUE_VIOLATION: '23505', FOREIGN_KEY_VIOLATION: '23503', SERIALIZATION_FAILURE: '40001', DEADLOCK: '40P01' } as const;

export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** uuid id and timestamps for every table (Vendure's base entity). Public references live in their own columns. */
export abstract class BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** True for a syntactically valid uuid; lets services answer NOT_FOUND instead of a Postgres cast error. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

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
