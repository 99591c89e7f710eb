/**
 * One way to talk to Postgres: a TypeORM DataSource per subgraph, each in its own schema of the
 * one database, migrations only (never `synchronize`), run by `npm run migrate` and at start.
 */
import 'reflect-metadata';
import {
  CreateDateColumn,
  DataSource,
  MigrationExecutor,
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
  /**
   * Postgres's `statement_timeout` and `lock_timeout` for every connection of the pool, in ms
   * (DB_STATEMENT_TIMEOUT_MS, DB_LOCK_TIMEOUT_MS; 0 = none): a statement that runs or waits for a
   * lock longer is cancelled (SQLSTATE 57014 / 55P03) and its transaction rolled back, which the
   * errors package answers as a retryable CONFLICT instead of holding a connection for ever.
   */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
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
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      application_name: `sendco-${options.schema}`,
      // Sent in each connection's startup message (node-postgres), so every session has them.
      ...(options.statementTimeoutMs !== undefined ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.lockTimeoutMs !== undefined ? { lock_timeout: options.lockTimeoutMs } : {}),
    },
    logging: ['error'],
  });
}

/**
 * The advisory lock (two-key form: this constant and the schema's hash) every process holds while
 * it creates its schema and applies migrations: replicas started together take turns, and the
 * second finds the first one's migrations applied instead of racing it to duplicate objects.
 */
const MIGRATION_LOCK_KEY = 0x5e4dc0; // this product's own first key; the same in every process

/**
 * Connects, makes sure the schema exists, and applies pending migrations (each in its own
 * transaction), holding the schema's migration lock (a session advisory lock, so several processes
 * or data sources starting at once apply each migration once). The lock's connection runs without
 * the pool's statement and lock timeouts: waiting for another replica's migrations, or a long one,
 * is what it is for.
 */
export async function initializeDataSource(dataSource: DataSource, { migrate = true } = {}): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const schema = (dataSource.options as { schema?: string }).schema;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SET statement_timeout = 0`);
    await runner.query(`SET lock_timeout = 0`);
    await runner.query(`SELECT pg_advisory_lock($1, hashtext($2))`, [MIGRATION_LOCK_KEY, schema ?? 'public']);
    try {
      if (schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      if (migrate) {
        const executor = new MigrationExecutor(dataSource, runner);
        executor.transaction = 'each';
        await executor.executePendingMigrations();
      }
    } finally {
      await runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [MIGRATION_LOCK_KEY, schema ?? 'public']);
    }
    // Back to the pool's own timeouts (RESET restores the values the connection started with).
    await runner.query(`RESET statement_timeout`);
    await runner.query(`RESET lock_timeout`);
  } finally {
    await runner.release();
  }
  return dataSource;
}

/** Runs work in one transaction; inside it, use only the manager it hands you (other queries run on other connections). */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(work);
}

/** Postgres error codes we react to. */
export const PgErrorCode = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK: '40P01',
  /** statement_timeout (or a cancel) ended the statement. */
  QUERY_CANCELED: '57014',
  /** lock_timeout ended the wait for a lock. */
  LOCK_NOT_AVAILABLE: '55P03',
} as const;

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
