/**
 * `npm run bench`: the booking-contention benchmark. Starts the whole product exactly as the e2e
 * tests do (tests/support/stack.ts: the launcher, gateway, subgraphs and jobs worker as child
 * processes, on real Postgres/Redis when DATABASE_URL / REDIS_URL are set, else on the embedded
 * PostgreSQL server + BullMQ-on-Postgres defaults; email to a TestMailbox), then books through the gateway as
 * the front ends do and measures:
 *
 *   - wall time and bookings/second, client-side latency p50/p95/max of each bookEvent;
 *   - how long until every confirmation / waiting-list notice / booker summary has arrived at
 *     the SMTP mailbox (the outbox relay and the jobs worker send them);
 *   - peak RSS (VmHWM, reset per scenario through clear_refs) and CPU seconds of each process;
 *   - issue 6's figures, each beside its baseline from the same run: the booking rush (500
 *     schools at once on a 100-place event) against the bare-SQL transaction of the same shape
 *     (sql-baseline.ts), booking answered → that delegate's email, emails per second through the
 *     jobs worker pooled vs one connection per email (mail-throughput.ts), and the contract's
 *     Events query at 32 connections through the gateway vs straight to the training subgraph,
 *     with a federated School + bookings query beside it (http-load.ts), and the same two queries
 *     through Hive Gateway on the same supergraph, with its JavaScript and its Rust query planner,
 *     with and without its in-flight deduplication of subgraph queries (hive-gateway.ts, a
 *     process of its own), each beside Apollo Gateway in the same minute.
 *
 * It also checks the outcome of every scenario (never oversold, first come first served, one
 * email per delegate and booker) and exits non-zero if anything is wrong. It is not a test and
 * asserts nothing about speed. Results: a table on stdout and tests/bench/results/<mode>.json.
 *
 *   npm run bench                         # embedded defaults (embedded PostgreSQL server)
 *   DATABASE_URL=… REDIS_URL=… npm run bench
 *   npm run bench -- --only=rush,mail,gateway   # a subset: scenario ids and the mail / gateway sections
 *
 * With real services the stack runs as deployed (NODE_ENV=production, the production defaults;
 * benchProfile below), and the rush is reported against issue 17's targets; BENCH_PROFILE=test
 * runs it with the e2e settings instead, BENCH_SET=NAME=value,… changes single settings for A/B runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { ReceivedMail, TestMailbox } from '../support/mailbox';
import { contractOperation, freePort, REPO_ROOT, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import type { HivePlanner } from './hive-gateway';
import { postJson, runHttpLoad, type HttpLoadResult } from './http-load';
import { measureMailThroughput, type MailThroughputResult } from './mail-throughput';
import { LockSampler, type LockSample } from './lock-sampler';
import { runSqlBaseline, type SqlBaselineResult } from './sql-baseline';
import { measureHttpFloor, type HttpFloorResult } from './http-floor';

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const CREATE_EVENT = contractOperation('training.graphql', 'CreateEvent');
const PUBLISH_EVENT = contractOperation('training.graphql', 'PublishEvent');
const EVENTS = contractOperation('training.graphql', 'Events');
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
/** The contract's register plus each place's workshop, to check first come first served per workshop. */
const REGISTER = `query BenchRegister($id: ID!) { event(id: $id) { id places { id delegateEmail status workshop { id } } } }`;

/** The booking rush books one place for each of 500 schools; the other scenarios use the first 200. */
const SCHOOL_COUNT = 500;
const MAIL_COUNT = Number(process.env.BENCH_MAIL_COUNT ?? 2000);
const HTTP_LOAD_MS = Number(process.env.BENCH_HTTP_MS ?? 5000);
const HTTP_CONNECTIONS = 32;
const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;

/** Starts, and the next time stops and writes, each service's CPU profile (see cpu-profile-preload.ts). */
function toggleCpuProfiles(meter: ProcessMeter): void {
  if (!PROFILE_DIR) return;
  for (const { pid } of meter.processes) process.kill(pid, 'SIGUSR2');
}

/**
 * BENCH_PERF_CTL: the control FIFO of a `perf record -a -D -1 --control=fifo:<ctl>` started beside
 * the benchmark (BENCHMARKS.md, "How to repeat"). perf samples only what is on a CPU, so unlike V8's
 * wall-clock profiles it does not count a process's wait for a core to the call it waits in; the
 * benchmark enables it for the rush's bookings only.
 */
function perfControl(command: 'enable' | 'disable'): void {
  const ctl = process.env.BENCH_PERF_CTL;
  if (!ctl) return;
  fs.writeFileSync(ctl, `${command}\n`);
  // BENCH_PERF_MAPS=<file>: the size of every /tmp/perf-<pid>.map (--perf-basic-prof's code map) at
  // both ends, so the lines between are the code V8 compiled during the rush.
  const maps = process.env.BENCH_PERF_MAPS;
  if (!maps) return;
  for (const name of fs.readdirSync('/tmp').filter((n) => /^perf-\d+\.map$/.test(n))) {
    fs.appendFileSync(maps, `${command} ${name} ${fs.statSync(path.join('/tmp', name)).size}\n`);
  }
}
const WARM_UP_BOOKINGS = Number(process.env.BENCH_WARMUP ?? 2000);
const IDEMPOTENCY_KEYS = process.env.BENCH_IDEMPOTENCY_KEYS !== '0';
const EMAIL_TIMEOUT_MS = Number(process.env.BENCH_EMAIL_TIMEOUT_MS ?? 15 * 60_000);
const DAY = 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------
// Small helpers

const inDays = (days: number, hour = 9) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, 30, 0, 0);
  return d.toISOString();
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an unsorted list. */
function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function fail(problems: string[], message: string): void {
  problems.push(message);
}

// ---------------------------------------------------------------------------------------------
// The stack's processes: peak RSS and CPU, from /proc (Linux only; skipped elsewhere)

interface ProcessInfo {
  pid: number;
  name: string;
}

interface ProcessSample {
  name: string;
  pid: number;
  /** VmHWM: since the reset at the start of the scenario if clear_refs worked, else since start. */
  peakRssMB: number;
  cpuSeconds: number;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readStat(pid: number): { ppid: number; cpuTicks: number; childrenCpuTicks: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]), childrenCpuTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return undefined;
  }
}

function processName(pid: number): string {
  let cmdline: string[] = [];
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return `pid ${pid}`;
  }
  const script = cmdline.find((a) => a.endsWith('.js'));
  if (!script) return path.basename(cmdline[0] || `pid ${pid}`);
  const rel = path.relative(REPO_ROOT, script).split(path.sep);
  if (rel[0] === 'packages' && rel[1] === 'stack') return 'launcher';
  if (rel[0] === 'subgraphs') return `${rel[1]} subgraph`;
  if (rel[0] === 'gateway' || rel[0] === 'jobs') return rel[0];
  return rel.join('/');
}

/** Every process below this one (the launcher, the services it spawned, the embedded server's processes). */
function descendants(): number[] {
  if (process.platform !== 'linux') return [];
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) parents.set(Number(entry), stat.ppid);
  }
  const found: number[] = [];
  const queue = [process.pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

function commandName(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The launcher and the services. The embedded PostgreSQL server's processes (a backend per
 * connection, coming and going) are measured together by serverCpuTicks instead.
 */
function stackProcesses(): ProcessInfo[] {
  return descendants()
    .filter((pid) => commandName(pid) !== 'postgres')
    .map((pid) => ({ pid, name: processName(pid) }));
}

function statusKB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Other stacks or test runs on this machine (e.g. someone's `npm run test:e2e`): they compete for
 * the same cores, so a scenario that overlapped one is flagged in the results.
 */
function foreignLoad(ours: Set<number>): string[] {
  if (process.platform !== 'linux') return [];
  const found: string[] = [];
  const ancestors = new Set<number>();
  for (let pid = process.pid; pid > 1 && !ancestors.has(pid); pid = readStat(pid)?.ppid ?? 0) ancestors.add(pid);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || ours.has(Number(entry)) || ancestors.has(Number(entry))) continue;
    // `flock /tmp/bench.lock … run.js` waiting its turn is no load; once it runs, its child is seen.
    if (commandName(Number(entry)) === 'flock') continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => /start-all\.js$|[/.]bin\/jest$|bench\/run\.js$/.test(a))) found.push(`${entry}: ${args.join(' ').trim().slice(0, 120)}`);
    } catch {
      // gone
    }
  }
  return found;
}

/**
 * CPU ticks used so far by the database and queue servers, by command name: every live
 * postgres / redis-server process's own time plus the time of the children it has reaped (a
 * Postgres backend that exits is added to the postmaster's), so the difference between two
 * readings counts backends that came and went in between. Real mode: the machine's servers,
 * whoever's they are. Embedded mode (`ours`): only the embedded server this benchmark started.
 */
function serverCpuTicks(scope: 'machine' | 'ours'): Map<string, number> {
  const totals = new Map<string, number>();
  if (process.platform !== 'linux') return totals;
  const entries = scope === 'ours' ? descendants().map(String) : fs.readdirSync('/proc');
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm !== 'postgres' && comm !== 'redis-server') continue;
      const stat = readStat(Number(entry));
      if (stat) totals.set(comm, (totals.get(comm) ?? 0) + stat.cpuTicks + stat.childrenCpuTicks);
    } catch {
      // gone
    }
  }
  return totals;
}

class ProcessMeter {
  private cpuAtStart = new Map<number, number>();
  private serversAtStart = new Map<string, number>();
  private selfCpuAtStart = process.cpuUsage();
  private foreignAtStart: string[] = [];
  resetWorks = true;

  constructor(
    readonly processes: ProcessInfo[],
    private readonly servers: 'machine' | 'ours',
  ) {}

  /** Resets each process's peak RSS (clear_refs 5) and remembers its CPU time so far. */
  start(): void {
    this.foreignAtStart = foreignLoad(new Set(this.processes.map((p) => p.pid)));
    for (const { pid } of this.processes) {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        this.resetWorks = false;
      }
      this.cpuAtStart.set(pid, readStat(pid)?.cpuTicks ?? NaN);
    }
    try {
      fs.writeFileSync(`/proc/${process.pid}/clear_refs`, '5');
    } catch {
      // reported through resetWorks above
    }
    this.selfCpuAtStart = process.cpuUsage();
    this.serversAtStart = serverCpuTicks(this.servers);
  }

  /** Other stacks or test runs seen at the start or the end of the scenario. */
  otherLoad(): string[] {
    return [...new Set([...this.foreignAtStart, ...foreignLoad(new Set(this.processes.map((p) => p.pid)))])];
  }

  sample(): ProcessSample[] {
    const own = this.processes.map(({ pid, name }) => ({
      name,
      pid,
      peakRssMB: round(statusKB(pid, 'VmHWM') / 1024),
      cpuSeconds: round(((readStat(pid)?.cpuTicks ?? NaN) - (this.cpuAtStart.get(pid) ?? NaN)) / CLOCK_TICKS, 2),
    }));
    const self = process.cpuUsage(this.selfCpuAtStart);
    own.push({ name: 'benchmark (client + mailbox)', pid: process.pid, peakRssMB: round(statusKB(process.pid, 'VmHWM') / 1024), cpuSeconds: round((self.user + self.system) / 1e6, 2) });
    // The database and queue servers: CPU only (their RSS is mostly shared memory), all their processes.
    for (const [comm, ticks] of serverCpuTicks(this.servers)) {
      own.push({ name: `${comm} (all processes)`, pid: 0, peakRssMB: NaN, cpuSeconds: round((ticks - (this.serversAtStart.get(comm) ?? NaN)) / CLOCK_TICKS, 2) });
    }
    return own;
  }

  /** Peak RSS since each process started (no reset). Only meaningful before the first start(). */
  sinceStart(): ProcessSample[] {
    return this.processes.map(({ pid, name }) => ({ name, pid, peakRssMB: round(statusKB(pid, 'VmHWM') / 1024), cpuSeconds: round((readStat(pid)?.cpuTicks ?? NaN) / CLOCK_TICKS, 2) }));
  }
}

// ---------------------------------------------------------------------------------------------
// Mail: when did the scenario's emails arrive?

/** Polls the mailbox (every 10 ms) for the messages of one scenario, by recipient domain. */
class MailWatch {
  private seen = 0;
  private matched: ReceivedMail[] = [];
  firstAtMs?: number;
  allAtMs?: number;
  readonly done: Promise<void>;

  constructor(
    private readonly mailbox: TestMailbox,
    private readonly domain: string,
    readonly expected: number,
    private readonly t0: number,
    timeoutMs = EMAIL_TIMEOUT_MS,
  ) {
    this.done = new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        this.scan();
        if (this.matched.length && this.firstAtMs === undefined) this.firstAtMs = performance.now() - this.t0;
        if (this.matched.length >= this.expected) {
          this.allAtMs = performance.now() - this.t0;
          clearInterval(timer);
          resolve();
        } else if (performance.now() - this.t0 > timeoutMs) {
          clearInterval(timer);
          reject(new Error(`only ${this.matched.length} of ${this.expected} emails to @${this.domain} arrived within ${timeoutMs / 1000} s`));
        }
      }, 10);
    });
  }

  private scan(): void {
    const all = this.mailbox.messages;
    for (; this.seen < all.length; this.seen += 1) {
      if (all[this.seen].envelopeTo.some((to) => to.endsWith(`@${this.domain}`))) this.matched.push(all[this.seen]);
    }
  }

  messages(): ReceivedMail[] {
    this.scan();
    return this.matched;
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures

interface School {
  urn: string;
  name: string;
  phase: string;
  ehcpCount: number;
}

const SCHOOLS: School[] = Array.from({ length: SCHOOL_COUNT }, (_, i) => ({
  urn: String(920000 + i),
  name: `Bench School ${i}`,
  phase: i % 2 ? 'PRIMARY' : 'SECONDARY',
  ehcpCount: i % 50,
}));

interface Delegate {
  name: string;
  email: string;
  workshopId?: string;
}

interface BookingRequest {
  schoolUrn: string;
  token: string;
  booker: string;
  delegates: Delegate[];
  eventId: string;
}

interface Attempt {
  request: BookingRequest;
  ms: number;
  /** performance.now() when the answer had been read. */
  answeredAt: number;
  response?: GraphQLResponse;
  error?: string;
}

interface Context {
  stack: TestStack;
  trainingAdmin: string;
  /** A SENDCO token per school and scenario, made before timing starts. */
  sendcoToken(school: School, booker: string): Promise<string>;
}

async function createPublishedEvent(ctx: Context, input: Record<string, unknown>): Promise<string> {
  const created = await ctx.stack.gql(
    CREATE_EVENT,
    {
      input: {
        category: 'PREPARING_FOR_OFSTED',
        summary: 'Benchmark event.',
        startsAt: inDays(30),
        endsAt: inDays(30, 12),
        format: 'IN_PERSON',
        venue: { name: 'County Hall', address: 'New Road, Oxford', postcode: 'OX1 1ND' },
        cpdHours: 3,
        audience: ['PRIMARY', 'SECONDARY'],
        ...input,
      },
    },
    ctx.trainingAdmin,
  );
  if (created.errors) throw new Error(`createEvent failed: ${JSON.stringify(created.errors)}`);
  const id = created.data.createEvent.id as string;
  const published = await ctx.stack.gql(PUBLISH_EVENT, { id }, ctx.trainingAdmin);
  if (published.errors || published.data?.publishEvent?.status !== 'PUBLISHED') throw new Error(`publishEvent failed: ${JSON.stringify(published)}`);
  return id;
}

async function eventNode(ctx: Context, title: string): Promise<any> {
  const found = await ctx.stack.gql(EVENTS, { filter: { text: title } });
  const node = found.data?.events?.edges?.find((e: { node: { title: string } }) => e.node.title === title)?.node;
  if (!node) throw new Error(`event "${title}" not in the public list: ${JSON.stringify(found)}`);
  return node;
}

async function book(ctx: Context, request: BookingRequest): Promise<Attempt> {
  const started = performance.now();
  try {
    // Each booking with its own idempotency key, as the front ends send them (BENCH_IDEMPOTENCY_KEYS=0: none, as before 3 December).
    const key = IDEMPOTENCY_KEYS ? { idempotencyKey: `bench-${request.eventId}-${request.booker}` } : {};
    const variables = { input: { eventId: request.eventId, schoolUrn: request.schoolUrn, delegates: request.delegates, ...key } };
    const { json: response } = await postJson<GraphQLResponse>(ctx.stack.gatewayUrl, { query: BOOK_EVENT, variables }, { authorization: `Bearer ${request.token}` });
    const answeredAt = performance.now();
    return { request, ms: answeredAt - started, answeredAt, response };
  } catch (error) {
    const answeredAt = performance.now();
    return { request, ms: answeredAt - started, answeredAt, error: String(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface EventPlan {
  title: string;
  capacity: number;
  workshops?: { title: string; phase: string; capacity: number }[];
  /** Expected outcome, per workshop title (or '' for an event without workshops). */
  expected: Record<string, { confirmed: number; waitlisted: number }>;
}

interface Scenario {
  id: string;
  name: string;
  description: string;
  /** Run the bookings all at once (Promise.all) or one after another. */
  concurrent: boolean;
  events: EventPlan[];
  /** The bookings to make, given the events' ids and workshop ids by title. */
  bookings(events: { id: string; workshops: Map<string, string> }[]): { eventIndex: number; school: School; delegates: (i: number) => (Omit<Delegate, 'email'> & { local: string })[] }[];
}

export interface ScenarioResult {
  id: string;
  name: string;
  description: string;
  concurrent: boolean;
  bookings: number;
  delegates: number;
  wallMs: number;
  bookingsPerSecond: number;
  latencyMs: { min: number; mean: number; p50: number; p95: number; p99: number; max: number };
  emails: {
    expected: number;
    received: number;
    /** From the first request to the first / last email arriving at the mailbox. */
    firstAtMs?: number;
    allAtMs?: number;
    /** From the last bookEvent response to the last email. */
    drainAfterLastResponseMs?: number;
    emailsPerSecond?: number;
    /** From each booking's answer to its delegates' emails (confirmation or waiting-list notice) in the mailbox. */
    delegateEmailAfterAnswerMs?: { p50: number; p95: number; max: number };
  };
  /** The booking rush only: the bare-SQL transaction of the same shape, run before and after it. */
  baseline?: {
    before: SqlBaselineResult;
    after: SqlBaselineResult;
    transactionsPerSecond: number;
    bookingsToBaseline: number;
    /**
     * The same transaction behind the barest Node HTTP service, and behind a bare proxy in front of
     * it (http-floor.ts): the most of the baseline one or two HTTP hops can keep on this machine.
     */
    httpFloor?: HttpFloorResult & { before?: HttpFloorResult; after: HttpFloorResult; oneHopToBaseline: number; twoHopsToBaseline: number };
  };
  /** The booking rush only: what the event lock's holder was doing while others waited (pg_stat_activity). */
  lockSample?: LockSample;
  outcome: { confirmed: number; waitlisted: number; errors: number };
  expectedOutcome: { confirmed: number; waitlisted: number };
  /** Peak RSS and CPU seconds from the first request to the last bookEvent response. */
  processesDuringBookings: ProcessSample[];
  /** The same over the whole scenario, until the last email arrived. */
  processes: ProcessSample[];
  /** Other stacks or test runs on the machine during the scenario: its timings are disturbed. */
  otherLoad: string[];
  ok: boolean;
  problems: string[];
}

function scenarios(): Scenario[] {
  const one = (local: string) => () => [{ name: `Delegate ${local}`, local }];
  return [
    {
      id: 'rush',
      name: '500 concurrent, 1 event of 100',
      description:
        'The booking rush (issue 6): 500 schools each book one place, all at once, on one 100-place event: 100 CONFIRMED, 400 WAITLISTED. Compared with the bare-SQL transaction of the same shape, run just before and after it.',
      concurrent: true,
      events: [{ title: 'Bench rush: 500 schools, 100 places', capacity: 100, expected: { '': { confirmed: 100, waitlisted: 400 } } }],
      bookings: () => SCHOOLS.slice(0, 500).map((school, i) => ({ eventIndex: 0, school, delegates: one(`d${i}`) })),
    },
    {
      id: 'a',
      name: '200 concurrent, 1 event of 40',
      description: '200 single-delegate bookings from 200 schools, all at once, on one 40-place event: 40 CONFIRMED, 160 WAITLISTED.',
      concurrent: true,
      events: [{ title: 'Bench A: contended session', capacity: 40, expected: { '': { confirmed: 40, waitlisted: 160 } } }],
      bookings: () => SCHOOLS.slice(0, 200).map((school, i) => ({ eventIndex: 0, school, delegates: one(`d${i}`) })),
    },
    {
      id: 'b',
      name: '200 concurrent, conference 2x20',
      description: '200 single-delegate bookings, all at once, on a 40-place conference with two 20-place workshops (100 ask for each): 20 CONFIRMED + 80 WAITLISTED per workshop.',
      concurrent: true,
      events: [
        {
          title: 'Bench B: SEND Live conference',
          capacity: 40,
          workshops: [
            { title: 'Primary workshop', phase: 'PRIMARY', capacity: 20 },
            { title: 'Secondary workshop', phase: 'SECONDARY', capacity: 20 },
          ],
          expected: { 'Primary workshop': { confirmed: 20, waitlisted: 80 }, 'Secondary workshop': { confirmed: 20, waitlisted: 80 } },
        },
      ],
      bookings: (events) =>
        SCHOOLS.slice(0, 200).map((school, i) => {
          const workshop = i % 2 ? 'Primary workshop' : 'Secondary workshop';
          return { eventIndex: 0, school, delegates: () => [{ name: `Delegate d${i}`, local: `d${i}`, workshopId: events[0].workshops.get(workshop) }] };
        }),
    },
    {
      id: 'c',
      name: '100 sequential, 1 event of 50',
      description: '100 single-delegate bookings one after another (each waits for the previous answer) on a 50-place event: the first 50 CONFIRMED, the rest WAITLISTED.',
      concurrent: false,
      events: [{ title: 'Bench C: sequential session', capacity: 50, expected: { '': { confirmed: 50, waitlisted: 50 } } }],
      bookings: () => SCHOOLS.slice(0, 100).map((school, i) => ({ eventIndex: 0, school, delegates: one(`d${i}`) })),
    },
    {
      id: 'd',
      name: '50 concurrent x 4 delegates, 1 event of 40',
      description: '50 bookings of 4 delegates each, all at once, on one 40-place event: 10 bookings wholly CONFIRMED, 40 wholly WAITLISTED (40 + 160 places).',
      concurrent: true,
      events: [{ title: 'Bench D: group bookings', capacity: 40, expected: { '': { confirmed: 40, waitlisted: 160 } } }],
      bookings: () =>
        SCHOOLS.slice(0, 50).map((school, i) => ({
          eventIndex: 0,
          school,
          delegates: () => [0, 1, 2, 3].map((k) => ({ name: `Delegate d${i}-${k}`, local: `d${i}-${k}` })),
        })),
    },
    {
      id: 'e',
      name: '200 concurrent, 10 events of 10',
      description: '200 single-delegate bookings, all at once, spread over 10 events of 10 places (20 each): the same load as (a) with ten row locks instead of one; 10 CONFIRMED + 10 WAITLISTED per event.',
      concurrent: true,
      events: Array.from({ length: 10 }, (_, k) => ({ title: `Bench E: session ${k}`, capacity: 10, expected: { '': { confirmed: 10, waitlisted: 10 } } })),
      bookings: () => SCHOOLS.slice(0, 200).map((school, i) => ({ eventIndex: i % 10, school, delegates: one(`d${i}`) })),
    },
  ];
}

async function runScenario(ctx: Context, meter: ProcessMeter, scenario: Scenario): Promise<ScenarioResult> {
  const problems: string[] = [];
  const domain = `${scenario.id}.bench.example.org`;

  // Set-up, not timed: events, workshop ids, tokens, request bodies.
  const events: { id: string; workshops: Map<string, string> }[] = [];
  for (const plan of scenario.events) {
    const id = await createPublishedEvent(ctx, { title: plan.title, capacity: plan.capacity, workshops: plan.workshops ?? [], ...(plan.workshops ? { category: 'CONFERENCE' } : {}) });
    const node = plan.workshops ? await eventNode(ctx, plan.title) : undefined;
    events.push({ id, workshops: new Map((node?.workshops ?? []).map((w: { id: string; title: string }) => [w.title, w.id])) });
  }
  const requests: BookingRequest[] = [];
  for (const [i, b] of scenario.bookings(events).entries()) {
    const booker = `booker${i}@${domain}`;
    requests.push({
      eventId: events[b.eventIndex].id,
      schoolUrn: b.school.urn,
      booker,
      token: await ctx.sendcoToken(b.school, booker),
      delegates: b.delegates(i).map(({ local, ...d }) => ({ ...d, email: `${local}@${domain}` })),
    });
  }
  const delegateCount = requests.reduce((n, r) => n + r.delegates.length, 0);
  const expectedEmails = delegateCount + requests.length; // each delegate one email, each booker a summary
  // The rush's baseline runs on an event of its own, just before and just after the bookings.
  const baselineEventId = scenario.id === 'rush' ? await createPublishedEvent(ctx, { title: 'Bench rush: bare-SQL baseline', capacity: 100 }) : undefined;
  if (baselineEventId) {
    // Uncounted, like the services' warm-up: the baseline's own code and connections hot too.
    const warmEventId = await createPublishedEvent(ctx, { title: 'Bench rush: bare-SQL baseline warm-up', capacity: 100 });
    for (let round = 0; round < 2; round += 1) await runSqlBaseline(ctx.stack.databaseUrl, warmEventId, requests.length);
  }
  const baselineBefore = baselineEventId ? await runSqlBaseline(ctx.stack.databaseUrl, baselineEventId, requests.length) : undefined;
  // The two-hop ceiling the throughput goal is a share of (issue 17): like the SQL baseline, measured
  // just before and just after the bookings, so a machine whose speed drifts in between counts both ways.
  const floorBefore = baselineEventId ? await measureHttpFloor(ctx.stack.databaseUrl, baselineEventId, requests.length) : undefined;

  // BENCH_LOCK_SAMPLE=1: Postgres's view of the event lock during the rush (a separate connection
  // sampling pg_stat_activity every 5 ms; it costs Postgres CPU, so it is off for timed runs).
  const lockSampler = scenario.id === 'rush' && process.env.BENCH_LOCK_SAMPLE ? new LockSampler(ctx.stack.databaseUrl) : undefined;
  await lockSampler?.start();

  if (scenario.id === 'rush') {
    toggleCpuProfiles(meter);
    await sleep(200);
    perfControl('enable');
  }

  // Timed.
  meter.start();
  const t0 = performance.now();
  const mail = new MailWatch(ctx.stack.mailbox, domain, expectedEmails, t0);
  let attempts: Attempt[];
  if (scenario.concurrent) {
    attempts = await Promise.all(requests.map((r) => book(ctx, r)));
  } else {
    attempts = [];
    for (const r of requests) attempts.push(await book(ctx, r));
  }
  const wallMs = performance.now() - t0;
  const processesDuringBookings = meter.sample();
  const lockSample = await lockSampler?.stop();
  if (scenario.id === 'rush') {
    perfControl('disable');
    toggleCpuProfiles(meter);
  }
  let mailError: string | undefined;
  await mail.done.catch((error: Error) => (mailError = error.message));
  const processes = meter.sample();
  const otherLoad = meter.otherLoad();
  if (mailError) fail(problems, mailError);

  // Checks, not timed.
  const errors = attempts.filter((a) => a.error || a.response?.errors || !a.response?.data?.bookEvent);
  for (const e of errors.slice(0, 5)) fail(problems, `booking by ${e.request.schoolUrn} failed: ${e.error ?? JSON.stringify(e.response?.errors ?? e.response)}`);
  if (errors.length > 5) fail(problems, `… and ${errors.length - 5} more failed bookings`);
  const returned = attempts.flatMap((a) => (a.response?.data?.bookEvent?.places ?? []) as { id: string; status: string; delegateEmail: string; workshop: { id: string } | null }[]);
  const statusById = new Map(returned.map((p) => [p.id, p.status]));
  const confirmed = returned.filter((p) => p.status === 'CONFIRMED').length;
  const waitlisted = returned.filter((p) => p.status === 'WAITLISTED').length;
  const expectedOutcome = { confirmed: 0, waitlisted: 0 };

  for (const [k, plan] of scenario.events.entries()) {
    const register = await ctx.stack.gql(REGISTER, { id: events[k].id }, ctx.trainingAdmin);
    if (register.errors) {
      fail(problems, `register of "${plan.title}": ${JSON.stringify(register.errors)}`);
      continue;
    }
    const places = register.data.event.places as { id: string; status: string; delegateEmail: string; workshop: { id: string } | null }[];
    for (const place of places) {
      if (statusById.get(place.id) !== place.status) fail(problems, `"${plan.title}": place ${place.id} is ${place.status} in the register but bookEvent said ${statusById.get(place.id)}`);
    }
    const titleOf = new Map([...events[k].workshops].map(([title, id]) => [id, title]));
    for (const [workshop, want] of Object.entries(plan.expected)) {
      expectedOutcome.confirmed += want.confirmed;
      expectedOutcome.waitlisted += want.waitlisted;
      const mine = places.filter((p) => (p.workshop ? titleOf.get(p.workshop.id) : '') === workshop);
      const label = workshop ? `"${plan.title}" / ${workshop}` : `"${plan.title}"`;
      const got = { confirmed: mine.filter((p) => p.status === 'CONFIRMED').length, waitlisted: mine.filter((p) => p.status === 'WAITLISTED').length };
      if (got.confirmed !== want.confirmed || got.waitlisted !== want.waitlisted || mine.length !== want.confirmed + want.waitlisted) {
        fail(problems, `${label}: ${got.confirmed} CONFIRMED / ${got.waitlisted} WAITLISTED of ${mine.length}, expected ${want.confirmed} / ${want.waitlisted}`);
      }
      // First come first served: in queue order, every confirmed place comes before every waiting one.
      const firstWaiting = mine.findIndex((p) => p.status === 'WAITLISTED');
      if (firstWaiting >= 0 && mine.slice(firstWaiting).some((p) => p.status === 'CONFIRMED')) fail(problems, `${label}: a place was confirmed after an earlier one was waitlisted`);
    }
    const node = await eventNode(ctx, plan.title);
    const waitTotal = Object.values(plan.expected).reduce((n, w) => n + w.waitlisted, 0);
    if (node.placesLeft !== 0 || node.waitlistLength !== waitTotal) fail(problems, `"${plan.title}": placesLeft ${node.placesLeft}, waitlistLength ${node.waitlistLength}; expected 0 and ${waitTotal}`);
    for (const w of node.workshops ?? []) if (w.placesLeft !== 0) fail(problems, `"${plan.title}" / ${w.title}: placesLeft ${w.placesLeft}, expected 0`);
  }
  if (scenario.id === 'd') {
    // Groups are decided whole here (40 is a multiple of 4): no booking is split.
    const split = attempts.filter((a) => new Set((a.response?.data?.bookEvent?.places ?? []).map((p: { status: string }) => p.status)).size > 1);
    if (split.length) fail(problems, `${split.length} group bookings were split between CONFIRMED and WAITLISTED`);
  }
  if (!scenario.concurrent) {
    // One after another, the order is known: the first `capacity` bookings are the confirmed ones.
    const capacity = scenario.events[0].capacity;
    const wrong = attempts.filter((a, i) => a.response?.data?.bookEvent?.places?.[0]?.status !== (i < capacity ? 'CONFIRMED' : 'WAITLISTED'));
    if (wrong.length) fail(problems, `${wrong.length} sequential bookings got the wrong status for their turn`);
  }

  // Emails: exactly one per delegate (an invitation if confirmed, else a waiting-list notice) and one summary per booker.
  await sleep(1000); // room for duplicates to show up
  const received = mail.messages();
  // The calendar part's Content-Type method: the benchmark's mailbox reads headers only (the e2e tests read the .ics itself).
  const invitations = received.filter((m) => m.calendarMethods.includes('REQUEST'));
  const notices = received.filter((m) => /waiting list/i.test(m.subject));
  const perAddress = new Map<string, number>();
  for (const m of received) for (const to of m.envelopeTo) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
  const duplicated = [...perAddress].filter(([, n]) => n > 1);
  if (received.length !== expectedEmails) fail(problems, `${received.length} emails arrived, expected ${expectedEmails}`);
  if (invitations.length !== confirmed) fail(problems, `${invitations.length} invitations for ${confirmed} confirmed places`);
  if (notices.length !== waitlisted) fail(problems, `${notices.length} waiting-list notices for ${waitlisted} waitlisted places`);
  if (duplicated.length) fail(problems, `${duplicated.length} addresses got more than one email (e.g. ${duplicated[0][0]} × ${duplicated[0][1]})`);
  for (const r of requests) if (!perAddress.has(r.booker)) {
    fail(problems, `booker ${r.booker} got no summary`);
    break;
  }

  const delegateEmailAfterAnswer: number[] = [];
  const receivedAt = new Map<string, number>();
  for (const m of received) for (const to of m.envelopeTo) if (!receivedAt.has(to)) receivedAt.set(to, m.receivedAt);
  for (const a of attempts) {
    for (const d of a.request.delegates) {
      const at = receivedAt.get(d.email.toLowerCase());
      if (at !== undefined) delegateEmailAfterAnswer.push(at - a.answeredAt);
    }
  }
  let baseline: ScenarioResult['baseline'];
  if (baselineEventId && baselineBefore) {
    const after = await runSqlBaseline(ctx.stack.databaseUrl, baselineEventId, requests.length);
    const transactionsPerSecond = round((baselineBefore.transactionsPerSecond + after.transactionsPerSecond) / 2);
    const floorAfter = await measureHttpFloor(ctx.stack.databaseUrl, baselineEventId, requests.length);
    const meanTps = (a: { transactionsPerSecond: number }, b: { transactionsPerSecond: number }) => round((a.transactionsPerSecond + b.transactionsPerSecond) / 2);
    const floor: HttpFloorResult & { before?: HttpFloorResult; after: HttpFloorResult } = floorBefore
      ? {
          oneHop: { transactionsPerSecond: meanTps(floorBefore.oneHop, floorAfter.oneHop), wallMs: round((floorBefore.oneHop.wallMs + floorAfter.oneHop.wallMs) / 2) },
          twoHops: { transactionsPerSecond: meanTps(floorBefore.twoHops, floorAfter.twoHops), wallMs: round((floorBefore.twoHops.wallMs + floorAfter.twoHops.wallMs) / 2) },
          before: floorBefore,
          after: floorAfter,
        }
      : { ...floorAfter, after: floorAfter };
    baseline = {
      before: baselineBefore,
      after,
      transactionsPerSecond,
      bookingsToBaseline: round(requests.length / (wallMs / 1000) / transactionsPerSecond, 2),
      httpFloor: {
        ...floor,
        oneHopToBaseline: round(floor.oneHop.transactionsPerSecond / transactionsPerSecond, 2),
        twoHopsToBaseline: round(floor.twoHops.transactionsPerSecond / transactionsPerSecond, 2),
      },
    };
  }

  const latencies = attempts.map((a) => a.ms);
  const lastResponseMs = wallMs;
  return {
    id: scenario.id,
    name: scenario.name,
    description: scenario.description,
    concurrent: scenario.concurrent,
    bookings: requests.length,
    delegates: delegateCount,
    wallMs: round(wallMs),
    bookingsPerSecond: round(requests.length / (wallMs / 1000)),
    latencyMs: {
      min: round(Math.min(...latencies)),
      mean: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(Math.max(...latencies)),
    },
    emails: {
      expected: expectedEmails,
      received: received.length,
      firstAtMs: mail.firstAtMs === undefined ? undefined : round(mail.firstAtMs),
      allAtMs: mail.allAtMs === undefined ? undefined : round(mail.allAtMs),
      drainAfterLastResponseMs: mail.allAtMs === undefined ? undefined : round(Math.max(0, mail.allAtMs - lastResponseMs)),
      emailsPerSecond: mail.allAtMs === undefined ? undefined : round(expectedEmails / (mail.allAtMs / 1000)),
      delegateEmailAfterAnswerMs: delegateEmailAfterAnswer.length
        ? { p50: round(percentile(delegateEmailAfterAnswer, 50)), p95: round(percentile(delegateEmailAfterAnswer, 95)), max: round(Math.max(...delegateEmailAfterAnswer)) }
        : undefined,
    },
    baseline,
    lockSample,
    outcome: { confirmed, waitlisted, errors: errors.length },
    expectedOutcome,
    processesDuringBookings,
    processes,
    otherLoad,
    ok: problems.length === 0,
    problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Emails per second and the gateway's cost: the other figures of issue 6

/** The product's defaults, whatever the stack itself was started with. */
const POOLED_DEFAULTS = { SMTP_POOL_CONNECTIONS: undefined, SMTP_POOL_MESSAGES: undefined, EMAIL_WORKER_CONCURRENCY: undefined };
/** The transport as it was before pooling: every email on a new connection, 5 at a time. */
const ONE_CONNECTION_PER_EMAIL = { SMTP_POOL_CONNECTIONS: '5', SMTP_POOL_MESSAGES: '1', EMAIL_WORKER_CONCURRENCY: '5' };

export interface MailSection {
  /** The product's defaults (pooled), then one connection per email. */
  runs: MailThroughputResult[];
  pooledToPerEmail: number;
  otherLoad: string[];
}

async function runMailSection(ctx: Context, meter: ProcessMeter): Promise<MailSection> {
  meter.start();
  const pooled = await measureMailThroughput(ctx.stack.env, ctx.stack.mailbox, 'pooled', POOLED_DEFAULTS, MAIL_COUNT, EMAIL_TIMEOUT_MS);
  // A quarter as many: at 20-30 emails a second the full count would take minutes.
  const perEmail = await measureMailThroughput(ctx.stack.env, ctx.stack.mailbox, 'per-email', ONE_CONNECTION_PER_EMAIL, Math.max(100, Math.round(MAIL_COUNT / 4)), EMAIL_TIMEOUT_MS);
  return { runs: [pooled, perEmail], pooledToPerEmail: round(pooled.emailsPerSecond / perEmail.emailsPerSecond, 2), otherLoad: meter.otherLoad() };
}

const SCHOOL_WITH_BOOKINGS = `query BenchSchool($urn: ID!) { school(urn: $urn) { urn name phase ehcpCount bookings { id reference event { id title startsAt } places { id delegateName status } } } }`;

/** A load run with the CPU milliseconds each service spent per answered request (steadier than req/s on a busy machine). */
export type MeteredLoad = HttpLoadResult & { cpuMsPerRequest: Record<string, number>; /** The machine's 1-minute load average when the run ended. */ loadAverage: number };

/** Hive Gateway on the same supergraph with one of its query planners, measured beside Apollo Gateway. */
export interface HiveRun {
  planner: HivePlanner;
  /** Hive Gateway's in-flight deduplication of identical subgraph queries (its default; Apollo Gateway has none). */
  dedupe: boolean;
  label: string;
  /** Why this mode could not be measured (e.g. no prebuilt Rust planner for this platform); then nothing else is set. */
  unavailable?: string;
  /** Events, alternately through Hive Gateway and through Apollo Gateway (the product), round by round. */
  events?: { hive: MeteredLoad[]; apollo: MeteredLoad[]; hiveToApollo: number; hiveToSubgraph: number };
  /** School with its bookings, once through Hive Gateway and then once through Apollo Gateway. */
  schoolWithBookings?: { hive: MeteredLoad; apollo: MeteredLoad; hiveToApollo: number };
  /** One answer of each query compared with the product gateway's: no GraphQL errors, the same data. */
  sameAnswers?: { events: boolean; schoolWithBookings: boolean };
}

/** One line of the side-by-side table: mean req/s over the rounds, mean p50/p99, CPU per request weighted by requests. */
export interface SideBySideRow {
  query: 'Events' | 'School with bookings';
  gateway: string;
  rounds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  cpuMsPerRequest: Record<string, number>;
  /** Requests per second as a share of the bare training subgraph's (Events only). */
  toSubgraph?: number;
}

export interface GatewaySection {
  connections: number;
  durationMs: number;
  /** The contract's Events query (first 10), alternately through the gateway and straight to the training subgraph. */
  events: { gateway: MeteredLoad[]; subgraph: MeteredLoad[]; gatewayToSubgraph: number };
  /** A federated query through the gateway: a school (directory) with its bookings (training). */
  schoolWithBookings: MeteredLoad;
  /** Hive Gateway (bench-only, tests/bench/hive-gateway.ts): its JavaScript planner, then its Rust planner. */
  hive: HiveRun[];
  /** Package versions of the gateways compared. */
  versions: Record<string, string>;
  sideBySide: SideBySideRow[];
  otherLoad: string[];
}

/** CPU ticks so far of each of the stack's processes, of any extra ones (a Hive Gateway) and of this one, by name. */
function cpuTicksByName(meter: ProcessMeter, extra: ProcessInfo[] = []): Map<string, number> {
  const ticks = new Map([...meter.processes, ...extra].map(({ pid, name }) => [name, readStat(pid)?.cpuTicks ?? NaN]));
  const self = process.cpuUsage();
  ticks.set('benchmark client', ((self.user + self.system) / 1e6) * CLOCK_TICKS);
  return ticks;
}

const noGraphQLErrors = (body: string) => (body.includes('"errors"') ? body.slice(0, 300) : undefined);

async function runGatewaySection(ctx: Context, meter: ProcessMeter): Promise<GatewaySection> {
  // Enough published events for a page of ten, whatever ran before.
  for (let k = 0; k < 10; k += 1) await createPublishedEvent(ctx, { title: `Bench listing ${k}`, capacity: 30 });
  const trainingUrl = `http://127.0.0.1:${ctx.stack.env.TRAINING_PORT}/graphql`;
  const eventsBody = JSON.stringify({ query: EVENTS, variables: { first: 10 } });
  const school = SCHOOLS[0];
  const sendco = await ctx.sendcoToken(school, `booker@gateway.bench.example.org`);
  // Other stacks or test runs seen at the end of any run (the section takes minutes).
  const otherLoad = new Set<string>();
  const load = async (url: string, body: string, headers: Record<string, string> = {}, extra: ProcessInfo[] = []): Promise<MeteredLoad> => {
    const before = cpuTicksByName(meter, extra);
    const result = await runHttpLoad({ url, body, headers, connections: HTTP_CONNECTIONS, durationMs: HTTP_LOAD_MS, check: noGraphQLErrors });
    const after = cpuTicksByName(meter, extra);
    // Includes the warm-up second's requests' CPU over the measured ones: a slight overestimate, the same for every run.
    const perRequest = [...after]
      .map(([name, ticks]) => [name, round(((ticks - (before.get(name) ?? NaN)) / CLOCK_TICKS / result.requests) * 1000, 2)] as const)
      .filter(([name, ms]) => ms > 0.05 && !/launcher|jobs/.test(name));
    for (const other of meter.otherLoad()) otherLoad.add(other);
    return { ...result, cpuMsPerRequest: Object.fromEntries(perRequest), loadAverage: round(os.loadavg()[0], 2) };
  };

  // Not counted: the first seconds through each path pay for JIT and plan caches (seen as a slower first round).
  await runHttpLoad({ url: ctx.stack.gatewayUrl, body: eventsBody, connections: HTTP_CONNECTIONS, durationMs: 2000, check: noGraphQLErrors });
  await runHttpLoad({ url: trainingUrl, body: eventsBody, connections: HTTP_CONNECTIONS, durationMs: 2000, check: noGraphQLErrors });

  toggleCpuProfiles(meter);
  meter.start();
  const gateway: MeteredLoad[] = [];
  const subgraph: MeteredLoad[] = [];
  // Alternated, so a disturbance in the middle of the run falls on both.
  for (let round = 0; round < 2; round += 1) {
    gateway.push(await load(ctx.stack.gatewayUrl, eventsBody));
    subgraph.push(await load(trainingUrl, eventsBody));
  }
  const schoolBody = JSON.stringify({ query: SCHOOL_WITH_BOOKINGS, variables: { urn: school.urn } });
  const auth = { authorization: `Bearer ${sendco}` };
  const schoolWithBookings = await load(ctx.stack.gatewayUrl, schoolBody, auth);
  toggleCpuProfiles(meter);
  const total = (runs: HttpLoadResult[]) => runs.reduce((n, r) => n + r.requests, 0);
  const gatewayToSubgraph = round(total(gateway) / total(subgraph), 2);
  console.log(`Apollo Gateway/subgraph ${gatewayToSubgraph}`);

  // Hive Gateway on the same supergraph and subgraphs, one planner at a time, each in a process of
  // its own (metered like the product's gateway), its rounds alternated with Apollo Gateway's.
  const expected = { events: await answerOf(ctx.stack.gatewayUrl, eventsBody), schoolWithBookings: await answerOf(ctx.stack.gatewayUrl, schoolBody, auth) };
  const hive: HiveRun[] = [];
  const modes = [
    { planner: 'js', dedupe: false },
    { planner: 'js', dedupe: true },
    { planner: 'rust', dedupe: false },
    { planner: 'rust', dedupe: true },
  ] as const;
  for (const { planner, dedupe } of modes) {
    const label = `Hive Gateway, ${planner === 'js' ? 'JS' : 'Rust'} planner${dedupe ? ', dedupe on' : ''}`;
    process.stdout.write(`    ${label} … `);
    let child: HiveChild;
    try {
      child = await startHiveGateway(ctx.stack.env, planner, dedupe);
    } catch (error) {
      const unavailable = String((error as Error).message ?? error).slice(0, 2000);
      console.log(`not measured: ${unavailable.split('\n')[0]}`);
      hive.push({ planner, dedupe, label, unavailable });
      continue;
    }
    try {
      const extra = [{ pid: child.pid, name: 'hive gateway' }];
      const answers = { events: await answerOf(child.url, eventsBody), schoolWithBookings: await answerOf(child.url, schoolBody, auth) };
      const sameAnswers = {
        events: !answers.events.errors && !expected.events.errors && JSON.stringify(answers.events.data) === JSON.stringify(expected.events.data),
        schoolWithBookings: !answers.schoolWithBookings.errors && !expected.schoolWithBookings.errors && JSON.stringify(answers.schoolWithBookings.data) === JSON.stringify(expected.schoolWithBookings.data),
      };
      // Not counted: JIT and plan caches, as for the product's gateway above.
      await runHttpLoad({ url: child.url, body: eventsBody, connections: HTTP_CONNECTIONS, durationMs: 2000, check: noGraphQLErrors });
      await runHttpLoad({ url: child.url, body: schoolBody, headers: auth, connections: HTTP_CONNECTIONS, durationMs: 1000, check: noGraphQLErrors });
      if (PROFILE_DIR) process.kill(child.pid, 'SIGUSR2');
      const hiveRuns: MeteredLoad[] = [];
      const apolloRuns: MeteredLoad[] = [];
      for (let round = 0; round < 2; round += 1) {
        hiveRuns.push(await load(child.url, eventsBody, {}, extra));
        apolloRuns.push(await load(ctx.stack.gatewayUrl, eventsBody, {}, extra));
      }
      const hiveSchool = await load(child.url, schoolBody, auth, extra);
      if (PROFILE_DIR) process.kill(child.pid, 'SIGUSR2');
      const apolloSchool = await load(ctx.stack.gatewayUrl, schoolBody, auth, extra);
      hive.push({
        planner,
        dedupe,
        label,
        events: { hive: hiveRuns, apollo: apolloRuns, hiveToApollo: round(total(hiveRuns) / total(apolloRuns), 2), hiveToSubgraph: round(mean(hiveRuns) / mean(subgraph), 2) },
        schoolWithBookings: { hive: hiveSchool, apollo: apolloSchool, hiveToApollo: round(hiveSchool.requests / apolloSchool.requests, 2) },
        sameAnswers,
      });
      console.log(`${mean(hiveRuns)} req/s vs Apollo Gateway ${mean(apolloRuns)} req/s beside it`);
    } finally {
      await child.stop();
    }
  }

  const measured = hive.filter((h) => h.events);
  const sideBySide: SideBySideRow[] = [
    { ...summarize('Events', 'training subgraph (bare)', subgraph), toSubgraph: 1 },
    { ...summarize('Events', 'Apollo Gateway (product)', [...gateway, ...measured.flatMap((h) => h.events!.apollo)]) },
    ...measured.map((h) => summarize('Events', h.label, h.events!.hive)),
    summarize('School with bookings', 'Apollo Gateway (product)', [schoolWithBookings, ...measured.map((h) => h.schoolWithBookings!.apollo)]),
    ...measured.map((h) => summarize('School with bookings', h.label, [h.schoolWithBookings!.hive])),
  ].map((row) => (row.query === 'Events' ? { ...row, toSubgraph: round(row.requestsPerSecond / mean(subgraph), 2) } : row));
  return {
    connections: HTTP_CONNECTIONS,
    durationMs: HTTP_LOAD_MS,
    events: { gateway, subgraph, gatewayToSubgraph },
    schoolWithBookings,
    hive,
    versions: packageVersions(['@apollo/gateway', '@apollo/server', 'express', '@graphql-hive/gateway-runtime', '@graphql-hive/router-runtime', '@graphql-hive/router-query-planner', '@graphql-mesh/transport-http', 'graphql-yoga']),
    sideBySide,
    otherLoad: [...otherLoad, ...meter.otherLoad()].filter((v, i, all) => all.indexOf(v) === i),
  };
}

const mean = (runs: HttpLoadResult[]) => round(runs.reduce((n, r) => n + r.requestsPerSecond, 0) / runs.length);

function summarize(query: SideBySideRow['query'], gateway: string, runs: MeteredLoad[]): SideBySideRow {
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const cpu = new Map<string, number>();
  for (const r of runs) for (const [name, ms] of Object.entries(r.cpuMsPerRequest)) cpu.set(name, (cpu.get(name) ?? 0) + ms * r.requests);
  return {
    query,
    gateway,
    rounds: runs.length,
    requestsPerSecond: mean(runs),
    latencyMs: { p50: round(runs.reduce((n, r) => n + r.latencyMs.p50, 0) / runs.length), p99: round(runs.reduce((n, r) => n + r.latencyMs.p99, 0) / runs.length) },
    cpuMsPerRequest: Object.fromEntries([...cpu].map(([name, total]) => [name, round(total / requests, 2)])),
  };
}

/** One answer, outside the timed runs, to compare gateways' data. */
async function answerOf(url: string, body: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return (await response.json()) as GraphQLResponse;
}

/** The installed version of each package, from the repository's node_modules ('-' if absent). */
function packageVersions(names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => {
      for (const dir of ['', 'gateway', 'tests']) {
        try {
          return [name, JSON.parse(fs.readFileSync(path.join(REPO_ROOT, dir, 'node_modules', name, 'package.json'), 'utf8')).version as string];
        } catch {
          // not installed here
        }
      }
      return [name, '-'];
    }),
  );
}

interface HiveChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts tests/dist/bench/hive-gateway.js with the stack's environment (so the subgraphs' URLs
 * and ports are the stack's) on a port of its own; resolves when it says it is ready, rejects
 * with its output if it exits first or takes longer than a minute.
 */
async function startHiveGateway(stackEnv: NodeJS.ProcessEnv, planner: HivePlanner, dedupe: boolean): Promise<HiveChild> {
  const port = await freePort();
  const env = Object.fromEntries(Object.entries({ ...stackEnv, PORT: String(port) }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, [path.join(__dirname, 'hive-gateway.js'), `--planner=${planner}`, `--dedupe=${dedupe ? 'on' : 'off'}`], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : -1);
      resolve();
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 60 s: ${output.trim()}`)), 60_000);
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (process.env.E2E_VERBOSE) process.stderr.write(chunk);
      const match = output.match(/hive-gateway ready (\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited with ${exited} before it was ready: ${output.trim()}`));
    });
  });
  const stop = async () => {
    if (exited !== null) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exit, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    if (exited === null) child.kill('SIGKILL');
  };
  try {
    return { url: await ready, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Issue 17's figures of the rush as deployed (what the independent client measured), each with its
 * target: throughput as a share of the machine's own two-hop HTTP ceiling (the same SQL behind two
 * bare Node hops, measured in the same run), p99, and the delegate's email p95.
 */
export interface DeployedTargets {
  bookingsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  delegateEmailP95Ms?: number;
  twoHopCeilingPerSecond?: number;
  /** bookings/s ÷ the two-hop ceiling's tx/s; the goal is at least 0.5. */
  shareOfTwoHopCeiling?: number;
  met: { throughput?: boolean; p99: boolean; email?: boolean };
}

export const TARGETS = { shareOfTwoHopCeiling: 0.5, p99Ms: 2500, delegateEmailP95Ms: 3000 } as const;

function deployedTargets(rush: ScenarioResult): DeployedTargets {
  const ceiling = rush.baseline?.httpFloor?.twoHops.transactionsPerSecond;
  const share = ceiling ? round(rush.bookingsPerSecond / ceiling, 2) : undefined;
  const email = rush.emails.delegateEmailAfterAnswerMs?.p95;
  return {
    bookingsPerSecond: rush.bookingsPerSecond,
    p50Ms: rush.latencyMs.p50,
    p99Ms: rush.latencyMs.p99,
    delegateEmailP95Ms: email,
    twoHopCeilingPerSecond: ceiling,
    shareOfTwoHopCeiling: share,
    met: {
      throughput: share === undefined ? undefined : share >= TARGETS.shareOfTwoHopCeiling,
      p99: rush.latencyMs.p99 < TARGETS.p99Ms,
      email: email === undefined ? undefined : email < TARGETS.delegateEmailP95Ms,
    },
  };
}

function targetsReport(rush: ScenarioResult | undefined, profile: string): string {
  if (!rush) return '';
  const t = deployedTargets(rush);
  const yes = (v?: boolean) => (v === undefined ? '-' : v ? 'yes' : 'NO');
  const flag = rush.otherLoad.length ? ' (disturbed)' : '';
  return table(
    [`the rush (issue 17), profile ${profile}`, 'measured', 'target', 'met?'],
    [
      ['throughput ÷ two-hop HTTP ceiling, same run', `${t.bookingsPerSecond} bookings/s ÷ ${t.twoHopCeilingPerSecond ?? '-'} tx/s = ${t.shareOfTwoHopCeiling === undefined ? '-' : `${Math.round(t.shareOfTwoHopCeiling * 100)}%`}${flag}`, `>= ${TARGETS.shareOfTwoHopCeiling * 100}%`, yes(t.met.throughput)],
      ['p50 / p99 of bookEvent', `${seconds(t.p50Ms)} / ${seconds(t.p99Ms)} s`, `p99 < ${seconds(TARGETS.p99Ms)} s`, yes(t.met.p99)],
      ["booking answered -> that delegate's email, p95", `${seconds(t.delegateEmailP95Ms)} s`, `< ${seconds(TARGETS.delegateEmailP95Ms)} s`, yes(t.met.email)],
    ],
  );
}

function figuresReport(rush: ScenarioResult | undefined, mail: MailSection | undefined, gateway: GatewaySection | undefined): string {
  const rows: (string | number | undefined)[][] = [];
  const flag = (otherLoad: string[]) => (otherLoad.length ? ' (disturbed)' : '');
  if (rush) {
    rows.push([
      '500 schools book 1 place each at once, 100-place event',
      `${rush.bookingsPerSecond} bookings/s, p50 ${seconds(rush.latencyMs.p50)} s, p99 ${seconds(rush.latencyMs.p99)} s, ${rush.outcome.confirmed} confirmed`,
      rush.baseline ? `bare SQL ${rush.baseline.transactionsPerSecond} tx/s (${rush.baseline.before.transactionsPerSecond} before, ${rush.baseline.after.transactionsPerSecond} after)` : undefined,
      rush.baseline ? `${Math.round(rush.baseline.bookingsToBaseline * 100)}%${flag(rush.otherLoad)}` : undefined,
    ]);
    const floor = rush.baseline?.httpFloor;
    if (floor) {
      rows.push([
        '  ceiling: the same SQL behind a bare Node HTTP service, 1 hop',
        `${floor.oneHop.transactionsPerSecond} tx/s`,
        'bare SQL, same run',
        `${Math.round(floor.oneHopToBaseline * 100)}%${flag(rush.otherLoad)}`,
      ]);
      rows.push([
        '  ceiling: and behind a bare proxy too, 2 hops (gateway shape)',
        `${floor.twoHops.transactionsPerSecond} tx/s${floor.before ? ` (${floor.before.twoHops.transactionsPerSecond} before, ${floor.after.twoHops.transactionsPerSecond} after)` : ''}`,
        'bare SQL, same run',
        `${Math.round(floor.twoHopsToBaseline * 100)}%${flag(rush.otherLoad)}`,
      ]);
    }
    const d = rush.emails.delegateEmailAfterAnswerMs;
    rows.push(['booking answered -> that delegate\'s email, during the rush', d ? `p50 ${seconds(d.p50)} s, p95 ${seconds(d.p95)} s` : undefined, undefined, undefined]);
  }
  if (mail) {
    const [pooled, perEmail] = mail.runs;
    rows.push([
      `emails through the jobs worker into the SMTP listener`,
      `${pooled.emailsPerSecond}/s pooled (${pooled.emails} emails)`,
      `${perEmail.emailsPerSecond}/s one connection per email (${perEmail.emails})`,
      `${mail.pooledToPerEmail}x${flag(mail.otherLoad)}`,
    ]);
  }
  if (gateway) {
    const cpu = (run: MeteredLoad) => Object.entries(run.cpuMsPerRequest).map(([name, ms]) => `${name.replace(' subgraph', '')} ${ms}`).join(', ');
    rows.push([
      `Events, ${gateway.connections} connections: gateway vs training subgraph`,
      `${mean(gateway.events.gateway)} req/s (p99 ${gateway.events.gateway[0].latencyMs.p99} ms); CPU ms/request: ${cpu(gateway.events.gateway[1])}`,
      `${mean(gateway.events.subgraph)} req/s (p99 ${gateway.events.subgraph[0].latencyMs.p99} ms); CPU ms/request: ${cpu(gateway.events.subgraph[1])}`,
      `${gateway.events.gatewayToSubgraph}${flag(gateway.otherLoad)}`,
    ]);
    rows.push([
      `School with its bookings (federated), ${gateway.connections} connections`,
      `${gateway.schoolWithBookings.requestsPerSecond} req/s (p99 ${gateway.schoolWithBookings.latencyMs.p99} ms); CPU ms/request: ${cpu(gateway.schoolWithBookings)}`,
      undefined,
      undefined,
    ]);
    for (const h of gateway.hive) {
      if (!h.events || !h.schoolWithBookings) {
        rows.push([`Events: ${h.label} vs Apollo Gateway`, `not measured: ${h.unavailable?.split('\n')[0].slice(0, 100)}`, undefined, undefined]);
        continue;
      }
      rows.push([
        `Events: ${h.label} vs Apollo Gateway (same minute)`,
        `${mean(h.events.hive)} req/s (p99 ${h.events.hive[0].latencyMs.p99} ms); CPU ms/request: ${cpu(h.events.hive[1])}`,
        `${mean(h.events.apollo)} req/s (p99 ${h.events.apollo[0].latencyMs.p99} ms); CPU ms/request: ${cpu(h.events.apollo[1])}`,
        `${h.events.hiveToApollo} (${h.events.hiveToSubgraph} of subgraph)${flag(gateway.otherLoad)}`,
      ]);
      rows.push([
        `School with its bookings: ${h.label} vs Apollo Gateway`,
        `${h.schoolWithBookings.hive.requestsPerSecond} req/s (p99 ${h.schoolWithBookings.hive.latencyMs.p99} ms); CPU ms/request: ${cpu(h.schoolWithBookings.hive)}`,
        `${h.schoolWithBookings.apollo.requestsPerSecond} req/s (p99 ${h.schoolWithBookings.apollo.latencyMs.p99} ms); CPU ms/request: ${cpu(h.schoolWithBookings.apollo)}`,
        `${h.schoolWithBookings.hiveToApollo}${flag(gateway.otherLoad)}`,
      ]);
    }
  }
  return rows.length ? table(['figure (issue 6)', 'product', 'baseline', 'ratio'], rows) : '';
}

/** The gateways side by side: every gateway's rounds of each query in this run, and what each process spent per request. */
function sideBySideReport(gateway: GatewaySection | undefined): string {
  if (!gateway) return '';
  const cpuOf = (row: SideBySideRow, name: string) => row.cpuMsPerRequest[name];
  const gatewayCpu = (row: SideBySideRow) => cpuOf(row, 'hive gateway') !== undefined && /Hive/.test(row.gateway) ? cpuOf(row, 'hive gateway') : /Apollo/.test(row.gateway) ? cpuOf(row, 'gateway') : undefined;
  const unavailable = gateway.hive.filter((h) => h.unavailable).map((h) => `${h.label}: not measured (${h.unavailable!.split('\n')[0]})`);
  return [
    `Gateways side by side, ${gateway.connections} connections, ${gateway.durationMs / 1000} s rounds (means over the rounds; CPU ms per answered request):`,
    table(
      ['query', 'gateway', 'rounds', 'req/s', 'vs subgraph', 'p50 ms', 'p99 ms', 'gateway CPU', 'training CPU', 'directory CPU', 'client CPU'],
      gateway.sideBySide.map((row) => [
        row.query,
        row.gateway,
        row.rounds,
        row.requestsPerSecond,
        row.toSubgraph,
        row.latencyMs.p50,
        row.latencyMs.p99,
        gatewayCpu(row),
        cpuOf(row, 'training subgraph'),
        cpuOf(row, 'directory subgraph'),
        cpuOf(row, 'benchmark client'),
      ]),
    ),
    ...gateway.hive.filter((h) => h.sameAnswers).map((h) => `${h.label}: same answers as Apollo Gateway (Events ${h.sameAnswers!.events ? 'yes' : 'NO'}, School with bookings ${h.sameAnswers!.schoolWithBookings ? 'yes' : 'NO'})`),
    ...unavailable,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Environment description

async function postgresVersion(databaseUrl: string): Promise<string | undefined> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisVersion(redisUrl: string | undefined): Promise<string | undefined> {
  if (!redisUrl) return undefined;
  const url = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    let data = '';
    const done = (v?: string) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(2000, () => done());
    socket.on('error', () => done());
    socket.on('connect', () => socket.write(url.password ? `AUTH ${decodeURIComponent(url.password)}\r\nINFO server\r\n` : 'INFO server\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      const match = data.match(/redis_version:([^\r\n]+)/);
      if (match) done(match[1]);
    });
  });
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function table(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === undefined || (typeof c === 'number' && Number.isNaN(c)) ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const seconds = (ms?: number) => (ms === undefined ? undefined : (ms / 1000).toFixed(2));

function report(results: ScenarioResult[], meterResetWorks: boolean): string {
  const main = table(
    ['scenario', 'bookings', 'wall s', 'bookings/s', 'p50 ms', 'p95 ms', 'max ms', 'emails', 'first email s', 'all emails s', 'result'],
    results.map((r) => [
      `(${r.id}) ${r.name}`,
      r.bookings,
      seconds(r.wallMs),
      r.bookingsPerSecond,
      Math.round(r.latencyMs.p50),
      Math.round(r.latencyMs.p95),
      Math.round(r.latencyMs.max),
      `${r.emails.received}/${r.emails.expected}`,
      seconds(r.emails.firstAtMs),
      seconds(r.emails.allAtMs),
      (r.ok ? 'ok' : 'WRONG') + (r.otherLoad.length ? ' (disturbed)' : ''),
    ]),
  );
  const names = [...new Set(results.flatMap((r) => r.processes.map((p) => p.name)))];
  const procs = names.length
    ? table(
        ['process', ...results.map((r) => `(${r.id}) MB | cpu s`)],
        names.map((name) => [name, ...results.map((r) => {
          const p = r.processes.find((x) => x.name === name);
          const during = r.processesDuringBookings.find((x) => x.name === name);
          return p ? `${Number.isFinite(p.peakRssMB) ? p.peakRssMB : '-'} | ${during?.cpuSeconds ?? '-'} + ${round(p.cpuSeconds - (during?.cpuSeconds ?? 0), 2)}` : undefined;
        })]),
      )
    : '';
  return [
    main,
    '"all emails s" runs from the first request until the last confirmation / waiting-list notice / booker summary reached the SMTP mailbox.',
    procs &&
      `\nPer process and scenario: peak RSS in MB (VmHWM${meterResetWorks ? ', reset at the start of each scenario' : ', since the process started'}) | CPU seconds while booking + CPU seconds after the last booking until the last email:\n${procs}`,
  ]
    .filter(Boolean)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------

/**
 * How the services are configured. `deployed` (the default with real services): as a council
 * would run them, NODE_ENV=production with the production defaults (LOG_LEVEL info to stdout,
 * OUTBOX_POLL_MS 2000, 30 anonymous mutations a minute, no demo data), only what a deployment must
 * set anyway (the banding inbox, the bulletin link secret, a METRICS_TOKEN). `test`
 * (BENCH_PROFILE=test, and always on the embedded defaults, which production refuses): the e2e
 * tests' settings (NODE_ENV=test, LOG_LEVEL warn, OUTBOX_POLL_MS 500, the anonymous limit at
 * 10,000), as the rounds before 3 December measured.
 */
function benchProfile(mode: 'real' | 'embedded'): { name: 'deployed' | 'test'; env: NodeJS.ProcessEnv } {
  const asked = process.env.BENCH_PROFILE ?? (mode === 'real' ? 'deployed' : 'test');
  if (asked !== 'deployed' && asked !== 'test') throw new Error(`BENCH_PROFILE must be deployed or test, not ${asked}`);
  if (asked === 'test') return { name: 'test', env: {} };
  if (mode !== 'real') throw new Error('BENCH_PROFILE=deployed needs real services (DATABASE_URL, REDIS_URL): production refuses the embedded defaults');
  return {
    name: 'deployed',
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.LOG_LEVEL, // unset: the production default, info
      OUTBOX_POLL_MS: undefined,
      ANONYMOUS_MUTATIONS_PER_WINDOW: undefined,
      DEMO_DATA: undefined,
      BANDING_QA_EMAIL: 'banding.qa@bench.example.org',
      BULLETIN_TOKEN_SECRET: randomBytes(32).toString('hex'),
      METRICS_TOKEN: randomBytes(24).toString('hex'),
    },
  };
}

async function main(): Promise<number> {
  const mode = process.env.DATABASE_URL ? 'real' : 'embedded';
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const chosen = scenarios().filter((s) => !only || only.includes(s.id));
  const sections = ['mail', 'gateway'].filter((id) => !only || only.includes(id));
  console.log(`benchmark: ${mode} mode (${mode === 'real' ? 'Postgres at DATABASE_URL, ' + (process.env.REDIS_URL ? 'BullMQ on Redis' : 'BullMQ on Postgres') : 'embedded PostgreSQL server, BullMQ on Postgres'}), ${[...chosen.filter((s) => s.id === 'rush'), ...sections, ...chosen.filter((s) => s.id !== 'rush')].map((s) => (typeof s === 'string' ? s : s.id)).join(', ')}`);

  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg().map((n) => round(n, 2));
  const t = performance.now();
  // The email transport settings pass through, so a run can reproduce the old one-connection-per-email shape.
  // NODE_OPTIONS too, for `--perf-basic-prof` when perf samples the rush (BENCH_PERF_CTL).
  const passThrough = Object.fromEntries(['SMTP_POOL_CONNECTIONS', 'SMTP_POOL_MESSAGES', 'EMAIL_WORKER_CONCURRENCY', 'SUBGRAPH_CONNECTIONS', 'DB_POOL_SIZE', 'NODE_OPTIONS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
  // BENCH_CPU_PROF_DIR: every service writes a V8 CPU profile of the booking rush there (cpu-profile-preload.ts).
  const profiling = PROFILE_DIR ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile-preload.js')}`, BENCH_CPU_PROF_DIR: PROFILE_DIR } : {};
  const profile = benchProfile(mode);
  // BENCH_SET=NAME=value,NAME=value: one setting changed on top of the profile, for A/B runs (BENCHMARKS.md, "How to repeat").
  const set = Object.fromEntries((process.env.BENCH_SET ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1) || undefined]));
  const stack = await startTestStack('bench', { env: { ...profile.env, ...passThrough, ...profiling, ...set }, mailboxReading: 'headers' });
  const startupMs = performance.now() - t;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop().catch((error) => console.error('stopping the stack failed:', error));
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));

  try {
    console.log(`stack ready in ${seconds(startupMs)} s (profile: ${profile.name}${Object.keys(set).length ? `, ${JSON.stringify(set)}` : ''})`);
    const admin = await stack.token('ADMIN');
    const trainingAdmin = await stack.token('TRAINING_ADMIN', { email: 'training.team@example.org' });
    const upserted = await stack.gql(UPSERT_SCHOOLS, { schools: SCHOOLS }, admin);
    if (upserted.errors || upserted.data?.upsertSchools?.length !== SCHOOLS.length) throw new Error(`upsertSchools failed: ${JSON.stringify(upserted.errors ?? upserted.data)}`);
    const ctx: Context = {
      stack,
      trainingAdmin,
      sendcoToken: (school, booker) => stack.token('SENDCO', { schoolUrn: school.urn, email: booker, name: `Booker at ${school.name}`, sub: `sendco-${school.urn}-${booker}` }),
    };

    // Warm-up (not reported): the first requests through each process pay for query planning,
    // connection pools and the first SMTP connections, and V8 compiles the hot paths with its
    // optimising compiler on a background thread for the first few thousand requests. With 50
    // warm-up bookings a third of every service's CPU during the rush was that compiler (perf,
    // BENCHMARKS.md "Third round"); a service that has been up for a day has long since done it.
    // So the warm-up books BENCH_WARMUP times in rounds of at most 500 at once, each round on an
    // event of its own with places for a fifth of it (the rush's mix of confirmed and waiting
    // list), and waits for every email. BENCH_WARMUP=50 gives the cold figures of earlier rounds.
    for (let done = 0, round = 0; done < WARM_UP_BOOKINGS; round += 1) {
      const size = Math.min(SCHOOLS.length, WARM_UP_BOOKINGS - done);
      const domain = `warmup${round}.bench.example.org`;
      const warmId = await createPublishedEvent(ctx, { title: `Bench warm-up ${round + 1}`, capacity: Math.max(1, Math.floor(size / 5)) });
      const warmMail = new MailWatch(stack.mailbox, domain, 2 * size, performance.now());
      const warm = await Promise.all(
        SCHOOLS.slice(0, size).map(async (school, i) =>
          book(ctx, { eventId: warmId, schoolUrn: school.urn, booker: `booker${i}@${domain}`, token: await ctx.sendcoToken(school, `booker${i}@${domain}`), delegates: [{ name: `Warm ${i}`, email: `d${i}@${domain}` }] }),
        ),
      );
      const warmErrors = warm.filter((a) => a.error || a.response?.errors);
      if (warmErrors.length) throw new Error(`warm-up bookings failed: ${warmErrors[0].error ?? JSON.stringify(warmErrors[0].response?.errors)}`);
      await warmMail.done;
      done += size;
    }
    // Now every process is up (the launcher starts the jobs worker after the gateway is ready).
    const meter = new ProcessMeter(stackProcesses(), stack.embedded ? 'ours' : 'machine');
    const afterWarmUp = meter.sinceStart();

    const results: ScenarioResult[] = [];
    let mail: MailSection | undefined;
    let gateway: GatewaySection | undefined;
    const sectionProblems: string[] = [];
    const runSections = async () => {
      if (sections.includes('mail')) {
        process.stdout.write(`(mail) ${MAIL_COUNT} emails through the jobs worker, pooled vs one connection per email … `);
        mail = await runMailSection(ctx, meter);
        console.log(mail.runs.map((r) => `${r.label} ${r.emailsPerSecond}/s`).join(', '));
        if (mail.otherLoad.length) console.log(`    ! timings disturbed: other stacks or tests were running (e.g. ${mail.otherLoad[0]})`);
      }
      if (sections.includes('gateway')) {
        process.stdout.write(`(gateway) Events and School+bookings at ${HTTP_CONNECTIONS} connections … `);
        gateway = await runGatewaySection(ctx, meter);
        for (const r of [...gateway.events.gateway, ...gateway.events.subgraph, gateway.schoolWithBookings]) {
          if (r.errors) sectionProblems.push(`gateway section: ${r.errors} failed requests, e.g. ${r.firstError}`);
        }
        for (const h of gateway.hive) {
          for (const r of [...(h.events?.hive ?? []), ...(h.events?.apollo ?? []), ...(h.schoolWithBookings ? [h.schoolWithBookings.hive, h.schoolWithBookings.apollo] : [])]) {
            if (r.errors) sectionProblems.push(`gateway section, ${h.label}: ${r.errors} failed requests, e.g. ${r.firstError}`);
          }
          for (const [query, same] of Object.entries(h.sameAnswers ?? {})) {
            if (!same) sectionProblems.push(`gateway section, ${h.label}: its answer to ${query} differs from Apollo Gateway's (or has errors)`);
          }
        }
        if (gateway.otherLoad.length) console.log(`    ! timings disturbed: other stacks or tests were running (e.g. ${gateway.otherLoad[0]})`);
      }
    };
    // The rush first, then emails and the gateway, then the older scenarios.
    const ordered = [...chosen.filter((s) => s.id === 'rush'), undefined, ...chosen.filter((s) => s.id !== 'rush')];
    for (const scenario of ordered) {
      if (!scenario) {
        await runSections();
        continue;
      }
      process.stdout.write(`(${scenario.id}) ${scenario.name} … `);
      let result: ScenarioResult;
      try {
        result = await runScenario(ctx, meter, scenario);
      } catch (error) {
        console.log('FAILED');
        console.error(error);
        results.push({
          id: scenario.id, name: scenario.name, description: scenario.description, concurrent: scenario.concurrent, bookings: 0, delegates: 0, wallMs: NaN, bookingsPerSecond: NaN,
          latencyMs: { min: NaN, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN }, emails: { expected: 0, received: 0 }, outcome: { confirmed: 0, waitlisted: 0, errors: 0 },
          expectedOutcome: { confirmed: 0, waitlisted: 0 }, processesDuringBookings: [], processes: [], otherLoad: [], ok: false, problems: [String(error)],
        });
        continue;
      }
      results.push(result);
      console.log(`${seconds(result.wallMs)} s, emails after ${seconds(result.emails.allAtMs)} s, ${result.ok ? 'ok' : 'WRONG'}`);
      for (const problem of result.problems) console.log(`    ✗ ${problem}`);
      if (result.otherLoad.length) console.log(`    ! timings disturbed: other stacks or tests were running (${result.otherLoad.length} processes, e.g. ${result.otherLoad[0]})`);
      if (result.lockSample) console.log(`    event lock holder while others waited: ${JSON.stringify(result.lockSample.holderState)}; statements: ${JSON.stringify(result.lockSample.holderStatement)}`);
      if (result.baseline) console.log(`    bare-SQL baseline ${result.baseline.transactionsPerSecond} tx/s: bookings reach ${Math.round(result.baseline.bookingsToBaseline * 100)}% of it`);
    }

    const out = {
      mode,
      profile: profile.name,
      settings: set,
      startedAt: startedAt.toISOString(),
      commit: gitCommit(),
      machine: {
        cpus: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model,
        memoryGB: round(os.totalmem() / 1024 ** 3),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
      },
      services: {
        database: `${mode === 'real' ? 'PostgreSQL' : 'embedded PostgreSQL'} ${(await postgresVersion(stack.databaseUrl)) ?? '?'}`,
        queue: process.env.REDIS_URL ? `BullMQ on Redis ${(await redisVersion(process.env.REDIS_URL)) ?? '?'}` : 'BullMQ on Postgres',
        mail: 'TestMailbox (smtp-server on loopback, in the benchmark process)',
      },
      stackStartupMs: round(startupMs),
      /** Peak RSS since each process started, and CPU seconds so far, after start-up and the warm-up. */
      processesAfterWarmUp: afterWarmUp,
      loadAverageAtStart,
      clearRefsWorked: meter.resetWorks,
      /** The figures of issue 6, each beside its baseline from the same run. */
      figures: { rush: results.find((r) => r.id === 'rush'), mail, gateway },
      /** Issue 17: the rush as deployed against its targets. */
      targets: (() => {
        const rush = results.find((r) => r.id === 'rush');
        return rush && Number.isFinite(rush.bookingsPerSecond) ? deployedTargets(rush) : undefined;
      })(),
      scenarios: results,
      problems: sectionProblems,
      ok: results.every((r) => r.ok) && sectionProblems.length === 0,
    };
    const file = path.join(REPO_ROOT, 'tests', 'bench', 'results', `${mode}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(out, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);

    console.log(`\n${out.machine.cpus} CPUs (${out.machine.cpuModel}), Node ${out.machine.node}; ${out.services.database}; ${out.services.queue}\n`);
    const targets = targetsReport(out.figures.rush, profile.name);
    if (targets) console.log(`${targets}\n`);
    const figures = figuresReport(out.figures.rush, mail, gateway);
    if (figures) console.log(`${figures}\n`);
    const sideBySide = sideBySideReport(gateway);
    if (sideBySide) console.log(`${sideBySide}\n`);
    console.log(report(results, meter.resetWorks));
    console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
    if (!out.ok) {
      console.error(`\nWRONG RESULTS in ${[...results.filter((r) => !r.ok).map((r) => `(${r.id})`), ...sectionProblems].join(', ')}: see the problems above.`);
      return 1;
    }
    return 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
