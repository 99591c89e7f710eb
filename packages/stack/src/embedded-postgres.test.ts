/**
 * The embedded engine, and BullMQ's Postgres backend on it.
 *
 * PGlite loads its WASM with dynamic `import()`, which Jest's module sandbox rejects unless Node
 * runs with --experimental-vm-modules. So the engine runs where it runs in real life, in its
 * own Node process (startEmbeddedPostgres from this folder's source, transpiled on the fly), and
 * the tests talk to it over the socket with `pg` and BullMQ, like the services do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Job } from 'bullmq';
import { createQueue, createWorker, postgresQueueSchema, type QueueConfig } from '@sendco/queue';

// Creating a fresh PGlite database (initdb in WASM) takes several seconds.
jest.setTimeout(120_000);

const QUEUE_PREFIX = 'sendco';
const QUEUE_SCHEMA = postgresQueueSchema(QUEUE_PREFIX);

interface EngineProcess {
  url: string;
  stop(): Promise<void>;
}

/** Runs startEmbeddedPostgres in a child process; resolves with its URL once it listens. */
function startEngineProcess(dataDir: string): Promise<EngineProcess> {
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
    const logger = createLogger('engine', 'warn');
    startEmbeddedPostgres({ dataDir: process.argv[1], port: 0, logger, queueSchema: process.argv[2] }).then(
      (engine) => {
        process.on('SIGTERM', () => engine.close().then(() => process.exit(0)));
        process.stdout.write(JSON.stringify({ url: engine.url }) + '\\n');
      },
      (error) => { process.stderr.write(error.message + '\\n'); process.exit(1); },
    );`;
  const child = spawn(process.execPath, ['-e', script, dataDir, QUEUE_SCHEMA], { cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve({ url: JSON.parse(line).url, stop: () => stopProcess(child) });
    });
    child.once('exit', (code) => reject(new Error(`engine process exited with ${code}: ${stderr.trim()}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sendco-pglite-'));
}

describe('embedded Postgres', () => {
  let dataDir: string;
  let engine: EngineProcess;
  const clients: Client[] = [];

  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: engine.url });
    await client.connect();
    clients.push(client);
    return client;
  }

  async function closeClients(): Promise<void> {
    await Promise.all(clients.splice(0).map((client) => client.end()));
  }

  beforeAll(async () => {
    dataDir = tempDir();
    engine = await startEngineProcess(dataDir);
  });

  // The engine refuses connections over its budget, so each test hands its clients back.
  afterEach(closeClients);

  afterAll(async () => {
    await engine?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serializes 30 concurrent locked read-modify-write transactions correctly', async () => {
    const admin = await connect();
    await admin.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await admin.query('INSERT INTO counter VALUES (1, 0)');
    const workers = await Promise.all(Array.from({ length: 30 }, connect));
    const rounds = 3;

    await Promise.all(
      workers.map(async (client) => {
        for (let round = 0; round < rounds; round += 1) {
          await client.query('BEGIN');
          const { rows } = await client.query<{ n: number }>('SELECT n FROM counter WHERE id = 1 FOR UPDATE');
          // Write back what was read plus one: a lost update would show as a lower total.
          await client.query('UPDATE counter SET n = $1 WHERE id = 1', [rows[0].n + 1]);
          await client.query('COMMIT');
        }
      }),
    );

    const { rows } = await admin.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
    expect(rows[0].n).toBe(30 * rounds);
  });

  it('keeps each connection\'s parameterized queries whole when 30 connections run them at once', async () => {
    // pg sends Parse/Bind/Describe/Execute/Sync for a query with parameters, on the session's
    // one unnamed statement; if another connection's messages ran in between, a Bind would run
    // that connection's statement (a wrong answer) or find none (error 26000).
    const workers = await Promise.all(Array.from({ length: 30 }, connect));
    const results = await Promise.all(
      workers.map(async (client, index) => {
        const answers: string[] = [];
        for (let round = 0; round < 5; round += 1) {
          if (index % 3 === 0) await client.query('SELECT 1'); // a simple query drops the unnamed statement
          const { rows } = await client.query<{ answer: string }>(`SELECT 'client ${index} round ' || $1::text AS answer`, [round]);
          answers.push(rows[0].answer);
        }
        return answers;
      }),
    );
    results.forEach((answers, index) => expect(answers).toEqual([0, 1, 2, 3, 4].map((round) => `client ${index} round ${round}`)));
  });

  it('rolls back the transaction of a connection that goes away, and serves the others', async () => {
    const admin = await connect();
    await admin.query('CREATE TABLE note (body text)');
    const leaver = new Client({ connectionString: engine.url });
    await leaver.connect();
    await leaver.query('BEGIN');
    await leaver.query("INSERT INTO note VALUES ('never committed')");
    const waiting = admin.query<{ count: string }>('SELECT count(*) AS count FROM note');
    await leaver.end();
    const { rows } = await waiting;
    expect(rows[0].count).toBe('0');
  });

  it('reports a unique violation as 23505', async () => {
    const client = await connect();
    await client.query('CREATE TABLE school (urn text PRIMARY KEY)');
    await client.query("INSERT INTO school VALUES ('100001')");
    await expect(client.query("INSERT INTO school VALUES ('100001')")).rejects.toMatchObject({ code: '23505' });
  });

  it('generates uuids and puts the queue schema first on the search path', async () => {
    const client = await connect();
    const { rows } = await client.query<{ id: string; path: string }>('SELECT gen_random_uuid()::text AS id, current_setting($1) AS path', ['search_path']);
    expect(rows[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(rows[0].path).toBe(`${QUEUE_SCHEMA},public`);
  });

  it('refuses a second engine on the same data directory', async () => {
    await expect(startEngineProcess(dataDir)).rejects.toThrow(/already in use/);
  });

  it('keeps the data when reopened', async () => {
    const before = await connect();
    await before.query("INSERT INTO school VALUES ('100002')");
    await closeClients();
    await engine.stop();

    engine = await startEngineProcess(dataDir);
    const after = await connect();
    const { rows } = await after.query<{ urn: string }>('SELECT urn FROM school ORDER BY urn');
    expect(rows.map((row) => row.urn)).toEqual(['100001', '100002']);
  });
});

describe("BullMQ's Postgres backend on the embedded engine", () => {
  let dataDir: string;
  let engine: EngineProcess;
  const closeables: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    dataDir = tempDir();
    engine = await startEngineProcess(dataDir);
  });

  afterAll(async () => {
    // Workers before queues, both before the engine they are connected to.
    for (const closeable of closeables.reverse()) await closeable.close();
    await engine?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('processes an added job (the same createQueue/createWorker the services use)', async () => {
    const config: QueueConfig = { backend: 'postgres', databaseUrl: engine.url, embedded: true, prefix: QUEUE_PREFIX };
    const queue = createQueue<{ greeting: string }>(config, 'email');
    closeables.push(queue);

    const processed = new Promise<Job<{ greeting: string }>>((resolve, reject) => {
      const worker = createWorker<{ greeting: string }>(config, 'email', async (job) => `handled ${job.data.greeting}`);
      closeables.push(worker);
      worker.on('completed', (job) => resolve(job));
      worker.on('failed', (_job, error) => reject(error));
    });
    const added = await queue.add('booking-confirmation', { greeting: 'hello' });

    const job = await processed;
    expect(job.id).toBe(added.id);
    expect(job.returnvalue).toBe('handled hello');
    // The tables went into the queue schema, not public.
    const client = new Client({ connectionString: engine.url });
    await client.connect();
    const { rows } = await client.query<{ schema: string }>("SELECT schemaname AS schema FROM pg_tables WHERE tablename = 'job'");
    await client.end();
    expect(rows.map((row) => row.schema)).toEqual([QUEUE_SCHEMA]);
  });

  it('picks up a new job at once while a job weeks ahead is pending (the engine has no NOTIFY to wake workers)', async () => {
    const config: QueueConfig = { backend: 'postgres', databaseUrl: engine.url, embedded: true, prefix: QUEUE_PREFIX };
    const queue = createQueue<{ n: number }>(config, 'training-reminders');
    closeables.push(queue);
    await queue.add('weeks-ahead', { n: 1 }, { delay: 21 * 24 * 3600 * 1000 });
    const worker = createWorker<{ n: number }>(config, 'training-reminders', async (job) => job.data.n);
    closeables.push(worker);
    const processed = new Promise<number>((resolve) => worker.on('completed', (job) => resolve(job.data.n)));
    await worker.waitUntilReady();
    // Let the worker see the delayed job and settle into waiting for it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await queue.add('now', { n: 2 });
    // Without polling this waits for the delayed job's due time (capped at an hour): the test times out.
    await expect(processed).resolves.toBe(2);
  });
});
