/**
 * Starts the whole product for an end-to-end test file, as `npm start` does: the launcher
 * (packages/stack) spawns every subgraph, the gateway and the jobs worker as processes. Real
 * Postgres and Redis when DATABASE_URL / REDIS_URL are set (a fresh database and queue prefix per
 * file), the embedded defaults when they are not; email always goes to a TestMailbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { signToken, type Role } from '@sendco/auth';
import { SUBGRAPHS, subgraphEnvPrefix, type SubgraphName } from '@sendco/config';
import { TestMailbox, type MailboxReading } from './mailbox';

/** The repository root, from tests/support (ts-jest) or tests/dist/support (compiled, e.g. the benchmark). */
export const REPO_ROOT = path.resolve(__dirname, ...(path.basename(path.dirname(__dirname)) === 'dist' ? ['..', '..', '..'] : ['..', '..']));

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; fields?: { field: string; message: string }[]; [k: string]: unknown } }[];
}

export interface TestStack {
  gatewayUrl: string;
  mailbox: TestMailbox;
  /** Where the stack's database is (a fresh one per file). */
  databaseUrl: string;
  embedded: boolean;
  /** Each subgraph's own endpoint, for tests that call one directly (as only the gateway should). */
  subgraphUrls: Record<SubgraphName, string>;
  /** The HS256 secret the stack's services verify tokens with, for tests that forge or start more. */
  authSecret: string;
  /** Where each process listens: the gateway, every subgraph, and the jobs worker's /metrics and /readyz. */
  serviceUrls: Record<'gateway' | 'jobs' | SubgraphName, string>;
  /** The environment the stack's processes run with (the benchmark starts extra workers with it). */
  env: NodeJS.ProcessEnv;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  token(role: Role, options?: { schoolUrn?: string; email?: string; name?: string; sub?: string }): Promise<string>;
  /** The process id of one of the stack's services (`jobs`, `gateway`, a subgraph), if it is running. */
  servicePid(service: string): number | undefined;
  /** The second full set of processes, when started with `replica: true` (see TestStackOptions). */
  replica?: ReplicaSet;
  /** Stops the replica set too, then drops the database. */
  stop(): Promise<void>;
}

/**
 * A second full set of the product's processes (every subgraph, the gateway, the jobs worker, from
 * a second launcher) on ports of its own, sharing the first set's database, Redis, queue prefix,
 * token secret and mailbox: two of everything, as two replicas of each Deployment would run.
 */
export interface ReplicaSet {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  serviceUrls: Record<'gateway' | 'jobs' | SubgraphName, string>;
  env: NodeJS.ProcessEnv;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  servicePid(service: string): number | undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * One more gateway process (gateway/dist/main.js) with `env` on a free port, once its /healthz
 * answers: for tests of several gateways, or of a gateway started with other settings.
 * Returns its base URL (no /graphql); the caller stops `child`.
 */
export async function spawnGateway(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const clean = Object.fromEntries(Object.entries({ ...env, PORT: String(port) }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'gateway/dist/main.js')], { cwd: REPO_ROOT, env: clean, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const health = await fetch(`${url}/healthz`).catch(() => undefined);
    if (health?.ok) return { url, child };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`the extra gateway on port ${port} did not answer /healthz`);
}

async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export interface TestStackOptions {
  /** Variables to set (or, with undefined, unset) on top of the test defaults. */
  env?: NodeJS.ProcessEnv;
  /** With a real Postgres: the URL the services get for the file's database (e.g. through a TcpProxy). */
  serviceDatabaseUrl?: (databaseUrl: string) => string;
  /** What the stack's mailbox reads of each message (the benchmark reads headers only). */
  mailboxReading?: MailboxReading;
  /**
   * Identity providers (AUTH_PROVIDERS, README "Identity") instead of the HS256 secret: the
   * services accept only their tokens, and `token()` is not available (ask the provider).
   */
  authProviders?: Record<string, unknown>[];
  /**
   * Start a second full set of processes (`stack.replica`) at the same moment as the first, on the
   * same fresh database, so their migrations race. Real services only: on the embedded default each
   * launcher would start an embedded server of its own, so there is nothing to share.
   */
  replica?: boolean;
}

export async function startTestStack(label: string, options: TestStackOptions = {}): Promise<TestStack> {
  // A free port found here can be taken by another process before the stack binds it (other
  // test runs share the machine): then start again on fresh ports.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startTestStackOnce(label, options);
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function startTestStackOnce(label: string, options: TestStackOptions): Promise<TestStack> {
  const id = `${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const mailbox = await new TestMailbox(options.mailboxReading).start();
  const secret = randomBytes(32).toString('hex');
  const [gatewayPort, pgPort, devSmtpPort, jobsMetricsPort, ...subgraphPorts] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    ...SUBGRAPHS.map(() => freePort()),
  ]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `sendco-e2e-${label}-`));

  const baseDatabaseUrl = process.env.DATABASE_URL;
  if (options.replica && !baseDatabaseUrl) throw new Error('a replica set needs real services (DATABASE_URL): on the embedded default each launcher starts a server of its own');
  const dbName = `sendco_e2e_${id}`;
  const databaseUrl = baseDatabaseUrl ? await createDatabase(baseDatabaseUrl, dbName) : `postgres://postgres@127.0.0.1:${pgPort}/postgres`;

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    PORT: String(gatewayPort),
    JOBS_METRICS_PORT: String(jobsMetricsPort),
    ...Object.fromEntries(SUBGRAPHS.map((name, i) => [`${subgraphEnvPrefix(name)}_PORT`, String(subgraphPorts[i])])),
    DATABASE_URL: baseDatabaseUrl ? (options.serviceDatabaseUrl?.(databaseUrl) ?? databaseUrl) : undefined,
    REDIS_URL: process.env.REDIS_URL,
    QUEUE_PREFIX: `e2e_${id}`.slice(0, 60),
    SMTP_URL: mailbox.url(),
    AUTH_JWT_SECRET: secret,
    PUBLIC_URL: `http://localhost:${gatewayPort}`,
    EMBEDDED_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    EMBEDDED_SMTP_PORT: String(devSmtpPort),
    DEMO_DATA: 'false',
    OUTBOX_POLL_MS: '500',
    // Every test client is 127.0.0.1: the production limit would throttle a file's anonymous
    // mutations (subscribe, unsubscribe). tests/e2e/hardening.test.ts checks the limit itself.
    ANONYMOUS_MUTATIONS_PER_WINDOW: '10000',
    ...(options.authProviders ? { AUTH_JWT_SECRET: undefined, AUTH_PROVIDERS: JSON.stringify(options.authProviders) } : {}),
    ...options.env,
  };
  // The replica: the same everything but its own ports (the gateway's, every subgraph's, the jobs worker's).
  const replicaEnv = options.replica ? await replicaEnvironment(env) : undefined;

  const sets = [launchSet(env), ...(replicaEnv ? [launchSet(replicaEnv)] : [])];
  const stopAll = () => Promise.all(sets.map((set) => set.stop()));
  try {
    // Both sets at once: on a fresh database their migrations race (the point of the replica).
    await Promise.all(sets.map((set) => set.ready()));
  } catch (error) {
    await stopAll();
    await mailbox.stop();
    if (baseDatabaseUrl) await dropDatabase(baseDatabaseUrl, dbName).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const [first, second] = sets;

  return {
    gatewayUrl: first.gatewayUrl,
    mailbox,
    databaseUrl,
    embedded: !baseDatabaseUrl,
    subgraphUrls: first.subgraphUrls,
    authSecret: secret,
    serviceUrls: first.serviceUrls,
    env,
    gql: first.gql,
    token(role, options = {}) {
      if (env.AUTH_PROVIDERS) throw new Error('this stack accepts only its identity providers\' tokens: ask the provider for one');
      return signToken(
        {
          sub: options.sub ?? `${role.toLowerCase()}-${options.schoolUrn ?? 'council'}`,
          roles: [role],
          schoolUrn: options.schoolUrn,
          email: options.email ?? `${role.toLowerCase()}.${options.schoolUrn ?? 'council'}@example.org`,
          name: options.name ?? `Test ${role}`,
        },
        secret,
        { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
      );
    },
    servicePid: first.servicePid,
    replica: second && { gatewayUrl: second.gatewayUrl, subgraphUrls: second.subgraphUrls, serviceUrls: second.serviceUrls, env: second.env, gql: second.gql, servicePid: second.servicePid },
    async stop() {
      await stopAll();
      await mailbox.stop();
      if (baseDatabaseUrl) await dropDatabase(baseDatabaseUrl, dbName);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `env` with fresh ports for the gateway, every subgraph and the jobs worker: a second set beside the first. */
async function replicaEnvironment(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const [gatewayPort, jobsMetricsPort, ...subgraphPorts] = await Promise.all([freePort(), freePort(), ...SUBGRAPHS.map(() => freePort())]);
  return {
    ...env,
    PORT: String(gatewayPort),
    JOBS_METRICS_PORT: String(jobsMetricsPort),
    ...Object.fromEntries(SUBGRAPHS.map((name, i) => [`${subgraphEnvPrefix(name)}_PORT`, String(subgraphPorts[i])])),
  };
}

/** One launcher (packages/stack/dist/start-all.js) and the set of processes it starts with `env`. */
function launchSet(env: NodeJS.ProcessEnv) {
  const port = (name: string) => Number(env[name]);
  const gatewayPort = port('PORT');
  const jobsMetricsPort = port('JOBS_METRICS_PORT');
  const subgraphPorts = SUBGRAPHS.map((name) => port(`${subgraphEnvPrefix(name)}_PORT`));
  const launcher: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, 'packages/stack/dist/start-all.js')], {
    cwd: REPO_ROOT,
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (process.env.E2E_VERBOSE) process.stderr.write(chunk);
  };
  launcher.stdout!.on('data', keep);
  launcher.stderr!.on('data', keep);
  let exited: number | null = null;
  launcher.once('exit', (code) => (exited = code ?? -1));
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  return {
    gatewayUrl,
    env,
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((name, i) => [name, `http://127.0.0.1:${subgraphPorts[i]}/graphql`])) as Record<SubgraphName, string>,
    serviceUrls: {
      gateway: `http://127.0.0.1:${gatewayPort}`,
      jobs: `http://127.0.0.1:${jobsMetricsPort}`,
      ...(Object.fromEntries(SUBGRAPHS.map((name, i) => [name, `http://127.0.0.1:${subgraphPorts[i]}`])) as Record<SubgraphName, string>),
    },
    /** The launcher starts the jobs worker last: the set is ready when both answer. */
    async ready(): Promise<void> {
      for (const p of [gatewayPort, jobsMetricsPort]) await waitForReady(p, () => exited, () => output);
    },
    async gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<T>;
    },
    servicePid(service: string): number | undefined {
      return servicePid(launcher.pid!, service);
    },
    /** SIGTERM, so the launcher also stops the embedded Postgres server it started; SIGKILL if it hangs. */
    async stop(): Promise<void> {
      if (exited !== null) return;
      const done = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
      clearTimeout(timer);
      if (exited === null) launcher.kill('SIGKILL');
    },
  };
}

/** Finds the launcher's child running `<service>/dist/main.js` (Linux /proc; the launcher spawns `node <entry>`). */
function servicePid(launcherPid: number, service: string): number | undefined {
  const entry = path.join(service === 'gateway' || service === 'jobs' ? service : path.join('subgraphs', service), 'dist', 'main.js');
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== launcherPid) continue;
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(entry))) return Number(name);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

async function waitForReady(port: number, exitCode: () => number | null, output: () => string, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode() !== null) throw new Error(`the stack exited with ${exitCode()} before it was ready:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`the stack was not ready within ${timeoutMs / 1000} s:\n${output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The operations of a contract file by name, so tests send exactly what the front ends send. */
export function contractOperation(file: string, name: string): string {
  // The shared contract, or the project's own additions in its style (tests/contract/*.graphql).
  const dir = fs.existsSync(path.join(CONTRACT_DIR, file)) ? CONTRACT_DIR : path.join(REPO_ROOT, 'tests', 'contract');
  const source = fs.readFileSync(path.join(dir, file), 'utf8');
  const start = source.search(new RegExp(`^(query|mutation) ${name}\\b`, 'm'));
  if (start < 0) throw new Error(`no operation ${name} in ${file}`);
  const rest = source.slice(start);
  const next = rest.slice(1).search(/^(query|mutation|#) ?/m);
  return (next < 0 ? rest : rest.slice(0, next + 1)).trim();
}

export const CONTRACT_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'contract');

/** Errors' codes, for compact assertions. */
export function codes(response: GraphQLResponse): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
