/**
 * `npm run migrate`: brings every schema up to date and stops. Starts the embedded Postgres
 * first when DATABASE_URL is unset (it must not be running elsewhere: one server per data
 * directory), then BullMQ's queue tables, then each subgraph's migrations in turn through its
 * own `--migrate-only` mode, so the migrations that run are exactly the ones the service runs.
 */
import { loadConfigOrExit, SUBGRAPHS } from '@sendco/config';
import { createLogger } from '@sendco/logger';
import type { EmbeddedPostgres } from './embedded-postgres';
import { runQueueMigrations, runServiceToCompletion, serviceEnv, startEmbeddedPostgresFor } from './start-all';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const logger = createLogger('migrate', config.logLevel);
  const postgres: Promise<EmbeddedPostgres> | undefined = config.database.embedded ? startEmbeddedPostgresFor(config, logger) : undefined;
  const closePostgres = () => postgres?.then((server) => server.close(), () => undefined);
  // The server runs in its own process group, so Ctrl+C does not reach it: stop it ourselves.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void Promise.resolve(closePostgres()).finally(() => process.exit(130)));
  }
  try {
    await postgres;
    await runQueueMigrations(config, logger);
    const env = serviceEnv(config);
    for (const name of SUBGRAPHS) {
      logger.info({ subgraph: name }, 'migrating');
      await runServiceToCompletion(name, env, ['--migrate-only']);
    }
    logger.info('all migrations applied');
    return 0;
  } catch (error) {
    logger.error({ err: error }, `migration failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await closePostgres();
  }
}

void main().then((code) => process.exit(code));
