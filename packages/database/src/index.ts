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
    // gen_random_uuid() is built into Postgres 13+; no extension to install.
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

/** Runs work in one transaction; inside it, use only the manager it hands you (other queries run on other connections). */
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
export * from './audit';
export * from './sql-writes';

export * from './scratch-database';
