/**
 * The embedded database used when DATABASE_URL is unset: PGlite (Postgres compiled to WASM) on a
 * data directory, served on loopback by pglite-socket so every service connects with the
 * ordinary `pg` driver, exactly as it would to a real server (see stack-facts: typeorm-pglite
 * hands all callers one session and breaks concurrent transactions; this does not).
 *
 * What the socket package does not give us, and how we make up for it:
 * - All connections share ONE PGlite session. Its own server interleaves the extended-query
 *   messages of concurrent connections (see SessionQueue), so we run a small server of our own
 *   around its per-connection handler with a queue that serves one unit of work at a time.
 *   Transactions are therefore serialized globally, and `SET`/startup options are shared or
 *   ignored. BullMQ pins `search_path` through a startup option, which is ignored, so the
 *   queue schema goes on the engine's own default search_path instead.
 * - A connection over the budget below is refused with a message.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { SessionQueue } from './pglite-session-queue';
import type { Logger } from '@sendco/logger';

/**
 * Connections budget for the whole stack: each subgraph's TypeORM pool (at most 4 on the
 * embedded engine, see config), and for every BullMQ Queue/Worker/QueueEvents on the Postgres
 * backend a pool of 3 plus a dedicated listener (4 each); the outbox relays, the jobs worker,
 * `--migrate-only` runs and the launcher's own migration client come on top. That adds up to
 * well under 40 today; 60 leaves room for a service restarting while its old sockets close.
 * A connection over the limit is refused, so err on the high side: an idle one costs nothing.
 */
export const EMBEDDED_MAX_CONNECTIONS = 60;

export interface EmbeddedPostgresOptions {
  /** Parent directory: the database lives in `${dataDir}/pglite` and persists across restarts. */
  dataDir: string;
  /** Loopback port to serve on; 0 picks a free one (tests). */
  port: number;
  logger: Logger;
  /** BullMQ's schema (postgresQueueSchema(prefix)); put first on the engine's search_path. */
  queueSchema: string;
}

export interface EmbeddedPostgres {
  /** Connection string for `pg` / TypeORM. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedPostgres({ dataDir, port, logger, queueSchema }: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const pgDataDir = path.join(dataDir, 'pglite');
  fs.mkdirSync(pgDataDir, { recursive: true });
  // Two engines on one data directory corrupt it; a second `npm start` must stop here.
  const releaseLock = acquireDataDirLock(path.join(dataDir, 'pglite.pid'));
  try {
    const db = await openDatabase(pgDataDir, queueSchema, logger);
    let server: SessionServer;
    try {
      server = await listen(db, port);
    } catch (error) {
      await db.close();
      throw describeListenError(error, port);
    }
    const actualPort = server.port;
    const url = `postgres://postgres@127.0.0.1:${actualPort}/postgres`;
    logger.info({ port: actualPort, dataDir: pgDataDir }, 'embedded Postgres (PGlite) listening');
    return { url, port: actualPort, close: once(() => stopDatabase(server, db, releaseLock, logger)) };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function openDatabase(pgDataDir: string, queueSchema: string, logger: Logger): Promise<PGlite> {
  const fresh = !fs.existsSync(path.join(pgDataDir, 'PG_VERSION'));
  if (fresh) logger.info({ dataDir: pgDataDir }, 'creating the embedded database (first run takes a few seconds)');
  // A start parameter rather than a `SET`: it is the session's default, so a client's
  // `RESET ALL`/`DISCARD ALL` cannot take the queue schema off the path for everyone.
  const db = await PGlite.create({ dataDir: pgDataDir, startParams: startParamsWithSearchPath(queueSchema) });
  // gen_random_uuid() is core Postgres since 13 (TypeORM uuid columns rely on it); fail here
  // rather than in a subgraph migration if a PGlite upgrade ever changes that.
  await db.query('SELECT gen_random_uuid()');
  return db;
}

/** PGlite's default start parameters with `search_path=<queueSchema>,public`. */
export function startParamsWithSearchPath(queueSchema: string): string[] {
  if (!/^[a-z_][a-z0-9_]*$/.test(queueSchema)) throw new Error(`Invalid queue schema name "${queueSchema}"`);
  const params = [...PGlite.defaultStartParams];
  const index = params.findIndex((param) => param.startsWith('search_path='));
  const searchPath = `search_path=${queueSchema},public`;
  if (index === -1) params.push('-c', searchPath);
  else params[index] = searchPath;
  return params;
}

interface SessionServer {
  port: number;
  stop(): Promise<void>;
}

/** Serves `db` on 127.0.0.1:port, one PGLiteSocketHandler per connection, all on one SessionQueue. */
async function listen(db: PGlite, port: number): Promise<SessionServer> {
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    if (handlers.size >= EMBEDDED_MAX_CONNECTIONS) {
      socket.end('Too many connections to the embedded database\n');
      return;
    }
    // The handler frames the wire protocol and hands each message to the queue it is given;
    // its declared type is the package's own queue class, which ours stands in for.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    async stop() {
      // Detaching rolls back whatever transaction a client left open before the engine closes.
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      handlers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function stopDatabase(server: SessionServer, db: PGlite, releaseLock: () => void, logger: Logger): Promise<void> {
  // The server rolls back any transaction a client left open before it lets go of it.
  await server.stop();
  await db.close();
  releaseLock();
  logger.info('embedded Postgres stopped');
}

function describeListenError(error: unknown, port: number): Error {
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    return new Error(`Port ${port} is in use, so the embedded Postgres cannot listen there. Stop whatever uses it or set EMBEDDED_PG_PORT.`);
  }
  return error as Error;
}

/** Writes our pid to lockPath; refuses if a live process holds it. Returns the release function. */
function acquireDataDirLock(lockPath: string): () => void {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (holder && holder !== process.pid && isProcessAlive(holder)) {
      throw new Error(
        `The embedded database in ${path.dirname(lockPath)} is already in use by process ${holder}. ` +
          `Stop it first (or delete ${lockPath} if that process is not a SENDCO Hub stack).`,
      );
    }
    // Left behind by a process that died without cleaning up: take it over.
    fs.writeFileSync(lockPath, String(process.pid));
  }
  return () => {
    if (readLockHolder(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
  };
}

function readLockHolder(lockPath: string): number | undefined {
  try {
    return Number(fs.readFileSync(lockPath, 'utf8').trim());
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes close() safe to call twice (signal handler and error path may both get there). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
