/**
 * `npm start`: the whole product on one machine with nothing installed. Starts the embedded
 * Postgres and the dev mailbox when DATABASE_URL / SMTP_URL are unset, prepares BullMQ's tables
 * once, then runs each service as its own Node process (as in production) and supervises them:
 * if one dies, everything stops with a non-zero exit rather than limping on half-working.
 *
 * `--infra-only` starts just the embedded Postgres and dev mailbox, so one service can be run
 * on its own (from an IDE or debugger) against them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runMigrations } from 'bullmq';
import { Client } from 'pg';
import { loadConfigOrExit, SUBGRAPHS, type AppConfig } from '@sendco/config';
import { createLogger, type Logger } from '@sendco/logger';
import { postgresQueueSchema } from '@sendco/queue';
import { startDevMailbox, type DevMailbox } from './dev-mailbox';
import { once, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { serviceNodeFlags } from './node-flags';

/** How long a service may take to answer /readyz: the first run migrates and seeds. */
const READY_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 300;
/** Grace between SIGTERM and SIGKILL when stopping a service. */
const STOP_GRACE_MS = 10_000;

/** packages/stack/dist → the repository root. */
export function repoRoot(): string {
  return path.resolve(__dirname, '../../..');
}

// ---------------------------------------------------------------------------------------------
// Infrastructure: the embedded stand-ins for Postgres and SMTP

export interface Infrastructure {
  postgres?: EmbeddedPostgres;
  mailbox?: DevMailbox;
  close(): Promise<void>;
}

export function devMailboxDir(config: AppConfig): string {
  return path.join(config.embedded.dataDir, 'mailbox');
}

export function startEmbeddedPostgresFor(config: AppConfig, logger: Logger): Promise<EmbeddedPostgres> {
  // The default folder moves to /var/tmp/sendco-hub/… when the server's OS user cannot reach it (root's 0700 home); a chosen one never does.
  return startEmbeddedPostgres({ dataDir: config.embedded.dataDir, port: config.embedded.pgPort, logger, fallbackWhenUnreachable: !config.embedded.dataDirChosen });
}

/** Starts whichever embedded services the config asks for; close() stops them in reverse. */
export async function startInfrastructure(config: AppConfig, logger: Logger): Promise<Infrastructure> {
  const infra: Infrastructure = { close: async () => undefined };
  infra.close = once(async () => {
    await infra.mailbox?.close();
    await infra.postgres?.close();
  });
  try {
    if (config.database.embedded) infra.postgres = await startEmbeddedPostgresFor(config, logger);
    if (config.mail.devMailbox) infra.mailbox = await startDevMailbox({ dir: devMailboxDir(config), port: config.embedded.smtpPort, logger });
    return infra;
  } catch (error) {
    await infra.close();
    throw error;
  }
}

/**
 * BullMQ's Postgres tables, migrated once here: every Queue and Worker would otherwise migrate
 * on connect, and several processes doing so at once only wait on each other's lock.
 * No-op when the queue is on Redis. Returns the schema version.
 */
export async function runQueueMigrations(config: AppConfig, logger: Logger): Promise<number | undefined> {
  if (config.queue.backend !== 'postgres') return undefined;
  const schema = postgresQueueSchema(config.queue.prefix);
  // One dedicated session: the migrator's advisory lock and transaction must share it.
  const client = new Client({ connectionString: config.queue.databaseUrl });
  await client.connect();
  try {
    const version = await runMigrations(client, schema);
    logger.info({ schema, version }, 'queue tables ready (BullMQ on Postgres)');
    return version;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Service processes

export type ServiceName = (typeof SUBGRAPHS)[number] | 'gateway' | 'jobs';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  exited: Promise<ExitStatus>;
  /** Set once it has exited. */
  exitStatus?: ExitStatus;
}

export function serviceEntry(name: ServiceName): string {
  const folder = name === 'gateway' || name === 'jobs' ? name : path.join('subgraphs', name);
  return path.join(repoRoot(), folder, 'dist', 'main.js');
}

/**
 * The services read their configuration from the environment exactly as the launcher did.
 * Only the data directory is pinned to an absolute path, so a service finds the same mailbox
 * folder whatever its working directory. DATABASE_URL / SMTP_URL are deliberately NOT filled in:
 * their absence is what tells a service it is on the embedded defaults (demo data, dev mailbox).
 */
export function serviceEnv(config: AppConfig): NodeJS.ProcessEnv {
  return { ...process.env, EMBEDDED_DATA_DIR: config.embedded.dataDir };
}

/** Starts `node <flags> <entry> ...args` (flags: node-flags.ts); its stdout/stderr (JSON lines) pass straight through. */
export function spawnService(name: ServiceName, env: NodeJS.ProcessEnv, args: string[] = []): ServiceProcess {
  const child = spawn(process.execPath, [...serviceNodeFlags(env.NODE_OPTIONS), serviceEntry(name), ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const service: ServiceProcess = { name, child, exited: undefined as unknown as Promise<ExitStatus> };
  service.exited = new Promise((resolve) => {
    // 'error' covers a failed spawn, after which 'exit' may never come.
    child.once('error', () => resolve((service.exitStatus ??= { code: -1, signal: null })));
    child.once('exit', (code, signal) => resolve((service.exitStatus ??= { code, signal })));
  });
  return service;
}

/** Runs a service to completion (migrate-only mode) and fails unless it exits 0. */
export async function runServiceToCompletion(name: ServiceName, env: NodeJS.ProcessEnv, args: string[]): Promise<void> {
  const { code, signal } = await spawnService(name, env, args).exited;
  if (code !== 0) throw new Error(`${name} ${args.join(' ')} failed (${describeExit({ code, signal })})`);
}

/** SIGTERM, then SIGKILL if it is still running after the grace period. */
export async function stopService(service: ServiceProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (service.exitStatus) return;
  service.child.kill('SIGTERM');
  const killer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(killer);
}

export function describeExit({ code, signal }: ExitStatus): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** Interface to probe for a service bound to listenHost: loopback unless it bound to one address only. */
function probeHost(listenHost: string): string {
  return ['0.0.0.0', '::', '127.0.0.1', 'localhost'].includes(listenHost) ? '127.0.0.1' : listenHost;
}

export function readyUrl(config: AppConfig, name: ServiceName): string {
  const port = name === 'gateway' ? config.gateway.port : name === 'jobs' ? config.jobs.metricsPort : config.subgraphs[name].port;
  const host = probeHost(config.listenHost);
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/readyz`;
}

/** Polls url until it answers 200; gives up if the process exits, the launcher stops, or time runs out. */
export async function waitUntilReady(service: ServiceProcess, url: string, shouldStop: () => boolean, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!shouldStop()) {
    if (service.exitStatus) throw new Error(`${service.name} exited before it was ready (${describeExit(service.exitStatus)})`);
    if (await answersOk(url)) return;
    if (Date.now() > deadline) throw new Error(`${service.name} was not ready at ${url} after ${timeoutMs / 1000} s`);
    await sleep(READY_POLL_MS);
  }
  throw new StopRequested();
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false; // not listening yet
  }
}

class StopRequested extends Error {
  constructor() {
    super('stop requested');
  }
}

// ---------------------------------------------------------------------------------------------
// The launcher

class Launcher {
  private readonly services: ServiceProcess[] = [];
  /** Kept as a promise so a stop during start-up waits for the engine to open before closing it. */
  private infra?: Promise<Infrastructure>;
  /** The same, once started: for abandon(), which cannot wait for a promise. */
  private startedInfra?: Infrastructure;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly logger: Logger,
  ) {}

  async start(infraOnly: boolean): Promise<void> {
    this.infra = startInfrastructure(this.config, this.logger);
    this.startedInfra = await this.infra;
    if (this.stopping) throw new StopRequested();
    await runQueueMigrations(this.config, this.logger);
    if (infraOnly) {
      process.stdout.write(infraBanner(this.config, this.startedInfra.postgres));
      return;
    }
    const env = serviceEnv(this.config);
    for (const name of SUBGRAPHS) await this.startService(name, env);
    await this.startService('gateway', env);
    await this.startService('jobs', env);
    process.stdout.write(readyBanner(this.config, this.startedInfra?.postgres));
  }

  private async startService(name: ServiceName, env: NodeJS.ProcessEnv): Promise<void> {
    if (this.stopping) throw new StopRequested();
    this.logger.info({ process: name }, 'starting');
    const service = spawnService(name, env);
    this.services.push(service);
    void service.exited.then((status) => this.onServiceExit(service, status));
    await waitUntilReady(service, readyUrl(this.config, name), () => this.stopping);
  }

  private onServiceExit(service: ServiceProcess, status: ExitStatus): void {
    if (this.stopping) return;
    if (this.config.restartOnExit.includes(service.name)) {
      // RESTART_ON_EXIT (tests that kill a worker mid-job): start it again instead of stopping everything.
      this.logger.warn({ process: service.name, code: status.code, signal: status.signal }, `${service.name} stopped (${describeExit(status)}); restarting it (RESTART_ON_EXIT)`);
      this.services.splice(this.services.indexOf(service), 1);
      void this.startService(service.name, serviceEnv(this.config)).catch((error) => this.handleStartError(error));
      return;
    }
    this.logger.error({ process: service.name, code: status.code, signal: status.signal }, `${service.name} stopped unexpectedly (${describeExit(status)}); stopping everything`);
    void this.stop(1);
  }

  /** Stops every service at once (each SIGTERM, then SIGKILL after the grace), then the embedded services. */
  async stop(exitCode: number): Promise<never> {
    if (!this.stopping) {
      this.stopping = true;
      this.logger.info('stopping');
      await Promise.all(this.services.map((service) => stopService(service)));
      await this.closeInfrastructure();
      this.logger.info('stopped');
      process.exit(exitCode);
    }
    return new Promise<never>(() => undefined); // a stop is already under way
  }

  private async closeInfrastructure(): Promise<void> {
    try {
      const infra = await this.infra?.catch(() => undefined); // a failed start already closed what it opened
      await infra?.close();
    } catch (error) {
      this.logger.error({ err: error }, 'error while closing embedded services');
    }
  }

  /** Fast exit for a second Ctrl+C: no waiting for anything. */
  killAll(): void {
    for (const service of this.services) if (!service.exitStatus) service.child.kill('SIGKILL');
  }

  /**
   * The launcher is exiting without its orderly stop (a crash): the embedded server runs in its
   * own process group and would outlive it, so ask it to shut down too.
   */
  abandon(): void {
    this.killAll();
    this.startedInfra?.postgres?.signalStop();
  }

  handleStartError(error: unknown): Promise<never> {
    // During a stop, start-up steps fail because things are closing under them: not news.
    if (!this.stopping && !(error instanceof StopRequested)) this.logger.error({ err: error }, `could not start: ${(error as Error).message}`);
    return this.stop(1);
  }
}

function readyBanner(config: AppConfig, postgres: EmbeddedPostgres | undefined): string {
  const lines = [
    'SENDCO Hub is running',
    '',
    `  GraphQL      http://localhost:${config.gateway.port}/graphql`,
    ...(config.mail.devMailbox && config.env !== 'production' ? [`  Dev mailbox  http://localhost:${config.gateway.port}/dev/mail`] : []),
    ...(config.queueDashboard ? [`  Queues       http://localhost:${config.gateway.port}/admin/queues (ADMIN token)`] : []),
    `  Metrics      /metrics on each service (jobs worker: http://localhost:${config.jobs.metricsPort}/metrics)`,
    '',
    ...backendLines(config, postgres),
    '',
    'Press Ctrl+C to stop.',
  ];
  return box(lines);
}

function infraBanner(config: AppConfig, postgres: EmbeddedPostgres | undefined): string {
  const lines = [
    'SENDCO Hub infrastructure only (--infra-only)',
    '',
    ...backendLines(config, postgres),
    '',
    'Run a service against it with the same environment, e.g.',
    '  node subgraphs/directory/dist/main.js',
    'Press Ctrl+C to stop.',
  ];
  return box(lines);
}

function backendLines(config: AppConfig, postgres: EmbeddedPostgres | undefined): string[] {
  const database = config.database.embedded
    ? `embedded PostgreSQL on 127.0.0.1:${config.embedded.pgPort}, data in ${path.join(postgres?.dataDir ?? config.embedded.dataDir, 'postgres')}`
    : `Postgres at ${redactUrl(config.database.url)}`;
  const queue =
    config.queue.backend === 'redis'
      ? `BullMQ on Redis at ${redactUrl(config.queue.redisUrl)}`
      : `BullMQ on Postgres (schema ${postgresQueueSchema(config.queue.prefix)})`;
  const mail = config.mail.devMailbox
    ? `dev mailbox on smtp://127.0.0.1:${config.embedded.smtpPort}, messages in ${devMailboxDir(config)}`
    : `SMTP at ${redactUrl(config.mail.smtpUrl)}`;
  return [`  Database     ${database}`, `  Queue        ${queue}`, `  Mail         ${mail}`];
}

/** URLs without their credentials, for printing. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable URL>';
  }
}

function box(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return ['', rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule, ''].join('\n') + '\n';
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('stack', config.logLevel);
  const launcher = new Launcher(config, logger);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: killing services now');
      launcher.killAll();
      return;
    }
    logger.info({ signal }, 'signal received');
    void launcher.stop(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The terminal went away: stop as for Ctrl+C rather than die leaving the database server running.
  process.on('SIGHUP', onSignal);
  // Last resort if the launcher itself crashes: do not leave services or the database running without it.
  process.on('exit', () => launcher.abandon());

  await launcher.start(process.argv.includes('--infra-only')).catch((error) => launcher.handleStartError(error));
}

if (require.main === module) void main();
