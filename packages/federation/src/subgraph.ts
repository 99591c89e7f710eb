/**
 * What every subgraph process does, in one place: read config, connect to its own Postgres
 * schema and migrate, load demo data into empty tables when asked, relay its outbox to the
 * queue, build its federated schema and serve it. A subgraph supplies only its parts.
 */
import type { DataSource, MixedList } from 'typeorm';
import type { Queue } from 'bullmq';
import type { Router } from 'express';
import { loadConfigOrExit, type AppConfig, type SubgraphName } from '@sendco/config';
import { createDataSource, initializeDataSource } from '@sendco/database';
import { createLogger, type Logger } from '@sendco/logger';
import { createMetricsRegistry, registerOutboxBacklog } from '@sendco/metrics';
import { createQueue, OutboxMessage, outboxMigrations, OutboxRelay, QUEUE_NAMES, readOutboxBacklog, withTimeout, type QueueName } from '@sendco/queue';
import { buildFederatedSchema, type FederatedSchema, type ReferenceResolvers } from './schema';
import { startSubgraphServer } from './server';
import { runService } from './service';

export interface SubgraphDependencies {
  config: AppConfig;
  logger: Logger;
  dataSource: DataSource;
  /** Present when the subgraph sends jobs: call `kick()` after a commit that recorded outbox rows. */
  outbox?: OutboxRelay;
}

export interface SubgraphDefinition {
  name: SubgraphName;
  /** The Postgres schema this subgraph owns. */
  dbSchema: string;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  /** Resolver classes, for building and printing the schema. */
  resolvers: [Function, ...Function[]];
  /** Types to include even when no resolver returns them (entity stubs). */
  orphanedTypes?: Function[];
  /** Builds resolver instances (services injected); keyed by class. */
  createResolvers?: (deps: SubgraphDependencies) => Map<Function, object>;
  referenceResolvers?: (deps: SubgraphDependencies) => ReferenceResolvers;
  /** Sends jobs through the outbox (to the email queue, and to `extraQueues`). */
  usesQueue?: boolean;
  /** Queues besides `email` this subgraph's outbox sends to (its own delayed jobs). */
  extraQueues?: QueueName[];
  /** Workers this subgraph runs itself, for jobs only it has the data to handle; closed on shutdown. */
  startWorkers?: (deps: SubgraphDependencies) => Promise<{ close(): Promise<void> }[]>;
  seedDemoData?: (deps: SubgraphDependencies) => Promise<void>;
  /** Plain HTTP pages and endpoints, served at `/<name>/…` here and through the gateway's port. */
  httpRouter?: (deps: SubgraphDependencies) => Router;
}

/** The subgraph's SDL without any database: for `npm run schema` and the contract test. */
export async function buildSubgraphSdl(definition: SubgraphDefinition): Promise<FederatedSchema> {
  return buildFederatedSchema({ resolvers: definition.resolvers, orphanedTypes: definition.orphanedTypes });
}

export function subgraphDataSource(definition: SubgraphDefinition, config: AppConfig): DataSource {
  const entities = [...(definition.entities as Function[]), ...(definition.usesQueue ? [OutboxMessage] : [])];
  // The outbox's own later migrations (dead letters, retention; its trace column, packages/queue/src/job-tracing.ts) follow the subgraph's, in every schema that has one.
  const migrations = [...(definition.migrations as Function[]), ...(definition.usesQueue ? outboxMigrations(definition.dbSchema) : [])];
  return createDataSource({
    schema: definition.dbSchema,
    url: config.database.url,
    entities,
    migrations,
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    lockTimeoutMs: config.database.lockTimeoutMs,
  });
}

export async function startSubgraph(definition: SubgraphDefinition, config: AppConfig, logger: Logger): Promise<() => Promise<void>> {
  const dataSource = subgraphDataSource(definition, config);
  await initializeDataSource(dataSource);
  logger.info({ schema: definition.dbSchema }, 'database migrated');

  const queues: Partial<Record<QueueName, Queue>> = {};
  let outbox: OutboxRelay | undefined;
  if (definition.usesQueue) {
    for (const name of [QUEUE_NAMES.email, ...(definition.extraQueues ?? [])]) {
      const queue = createQueue(config.queue, name);
      // Without a listener an 'error' event (Redis unreachable) would crash the process; the
      // outbox keeps the jobs meanwhile, so an outage is only worth a warning.
      queue.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue connection error; jobs wait in the outbox'));
      queues[name] = queue;
    }
    outbox = new OutboxRelay({ dataSource, queues, logger, pollMs: config.outboxPollMs, ...config.outbox });
  }
  const metrics = createMetricsRegistry(definition.name);
  if (outbox) registerOutboxBacklog(metrics, () => readOutboxBacklog(dataSource));
  const deps: SubgraphDependencies = { config, logger, dataSource, outbox };
  if (config.demoData && definition.seedDemoData) await definition.seedDemoData(deps);

  const instances = definition.createResolvers?.(deps) ?? new Map();
  const { schema } = await buildFederatedSchema(
    {
      resolvers: definition.resolvers,
      orphanedTypes: definition.orphanedTypes,
      container: {
        get: (cls: Function) => {
          const instance = instances.get(cls);
          if (!instance) throw new Error(`no instance registered for resolver ${cls.name}`);
          return instance;
        },
      },
    },
    definition.referenceResolvers?.(deps),
  );
  outbox?.start();
  const workers = (await definition.startWorkers?.(deps)) ?? [];

  const server = await startSubgraphServer({
    name: definition.name,
    port: config.subgraphs[definition.name].port,
    config,
    schema,
    logger,
    metrics,
    httpRouter: definition.httpRouter?.(deps),
    readiness: async () => {
      await dataSource.query('SELECT 1');
      for (const queue of Object.values(queues)) await withTimeout(queue.waitUntilReady(), 2000);
    },
  });
  return async () => {
    await server.close();
    for (const worker of workers) await worker.close();
    await outbox?.stop();
    for (const queue of Object.values(queues)) await queue.close();
    await dataSource.destroy();
  };
}

/** The whole `main.ts` of a subgraph. `--migrate-only` migrates and exits (npm run migrate). */
export function runSubgraph(definition: SubgraphDefinition): void {
  const config = loadConfigOrExit();
  const logger = createLogger(definition.name, config.logLevel);
  if (process.argv.includes('--migrate-only')) {
    const dataSource = subgraphDataSource(definition, config);
    initializeDataSource(dataSource)
      .then(() => dataSource.destroy())
      .then(() => {
        logger.info({ schema: definition.dbSchema }, 'migrations applied');
        process.exit(0);
      })
      .catch((error) => {
        logger.fatal({ err: error }, `migration failed: ${(error as Error).message}`);
        process.exit(1);
      });
    return;
  }
  runService(definition.name, logger, () => startSubgraph(definition, config, logger));
}

/** `node dist/print-schema.js > schema.graphql` */
export function printSubgraphSchema(definition: SubgraphDefinition): void {
  buildSubgraphSdl(definition)
    .then(({ sdl }) => process.stdout.write(`${sdl.trim()}\n`))
    .catch((error) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
