/**
 * `npm run bench` (first part): the banding county summary and export with 300 schools and 12,000
 * pupils. Starts the whole product as the e2e tests do (real Postgres/Redis when DATABASE_URL /
 * REDIS_URL are set, else the embedded defaults), fills it through the gateway as schools and the
 * council would (untimed: 300 returns started, 40 pupils each uploaded as CSV, submitted; 200
 * approved with verdicts, 50 returned, 50 left waiting), waits for the emails to settle, then
 * times `bandingSummary` and `bandingExportCsv` through the gateway as a council officer.
 *
 * It checks the figures (exits non-zero if they are wrong) and asserts nothing about speed.
 * Results: a table on stdout and tests/bench/results/banding-<mode>.json. BENCH_BANDING=0 skips it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { contractOperation, REPO_ROOT, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { CI, CL, csvOf, PUBLISH_MATRIX, QA_RETURN, SEMH, sendcoToken, SP, START_RETURN, SUBMIT_RETURN, TEST_MATRIX, UPLOAD_PUPILS, type PupilRow } from '../support/banding';

const SCHOOLS = 300;
const PUPILS_PER_SCHOOL = 40;
const APPROVED = 200;
const RETURNED = 50;
/** Schools filling in at once. */
const CONCURRENCY = 8;
const TIMED_RUNS = 20;
const QA_INBOX = 'qa@bench-banding.example.org';
const PHASES = ['PRIMARY', 'SECONDARY', 'ALL_THROUGH'];

const SUMMARY = `query BenchSummary { bandingSummary { schoolsStarted schoolsSubmitted schoolsAwaitingQa schoolsApproved pupils approvedPupils agreementRate
  bandDistribution { band count suggested } byPhase { phase schoolsStarted pupils agreementRate bandDistribution { band count suggested } } } }`;
const EXPORT = `query BenchExport { bandingExportCsv }`;
const PUPIL_IDS = `query BenchPupils($id: ID!) { bandingReturn(id: $id) { pupils { id band } } }`;

const urnOf = (i: number) => String(930000 + i);

function ok<T = any>(response: GraphQLResponse<T>, what: string): T {
  if (response.errors) throw new Error(`${what}: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

/** Runs `work` over items with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  }));
}

/** 40 pupils, half on more than 25 hours, with levels spread over the matrix (deterministic). */
function pupilsOf(school: number): PupilRow[] {
  const areas = [CI, CL, SEMH, SP];
  return Array.from({ length: PUPILS_PER_SCHOOL }, (_, j) => {
    const levels = [0, 1, 2, 3].map((k) => (school + j * (k + 1) + k) % 4) as PupilRow['levels'];
    const primaryIndex = levels.findIndex((l) => l > 0);
    if (primaryIndex < 0) levels[0] = 1;
    return { ref: `B${school}-${j}`, year: j % 14, hours: j % 2 ? 30 : 15, primary: areas[Math.max(0, primaryIndex)], levels };
  });
}

async function timed(stack: TestStack, query: string, token: string): Promise<{ ms: number; data: any }> {
  const t = performance.now();
  const response = await stack.gql(query, {}, token);
  const ms = performance.now() - t;
  return { ms, data: ok(response, 'timed query') };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<number> {
  if (process.env.BENCH_BANDING === '0') return 0;
  const mode = process.env.DATABASE_URL ? 'real' : 'embedded';
  console.log(`banding benchmark: ${mode} mode, ${SCHOOLS} schools × ${PUPILS_PER_SCHOOL} pupils`);
  const stack = await startTestStack('bench_banding', { env: { BANDING_QA_EMAIL: QA_INBOX } });
  try {
    const admin = await stack.token('ADMIN');
    const council = await stack.token('COUNCIL_OFFICER', { sub: 'bench-officer' });
    ok(await stack.gql(PUBLISH_MATRIX, { input: TEST_MATRIX }, admin), 'publish matrix');
    const schools = Array.from({ length: SCHOOLS }, (_, i) => ({ urn: urnOf(i), name: `Bench School ${i}`, phase: PHASES[i % PHASES.length], ehcpCount: 60 }));
    ok(await stack.gql(contractOperation('directory.graphql', 'UpsertSchools'), { schools }, admin), 'upsert schools');

    const fillStarted = performance.now();
    let emails = 0;
    await pool(schools, CONCURRENCY, async (school, i) => {
      const sendco = await sendcoToken(stack, school.urn);
      const { id } = ok(await stack.gql(START_RETURN, { urn: school.urn, ehcpCount: 60, over25HoursCount: 20 }, sendco), 'start').startBandingReturn;
      ok(await stack.gql(UPLOAD_PUPILS, { returnId: id, csv: csvOf(pupilsOf(i)) }, sendco), 'upload');
      ok(await stack.gql(SUBMIT_RETURN, { id }, sendco), 'submit');
      emails += 1;
      if (i >= APPROVED + RETURNED) return; // left waiting for QA
      const { pupils } = ok(await stack.gql(PUPIL_IDS, { id }, council), 'pupils').bandingReturn;
      // Every fifth pupil adjusted one band up (or down from the top).
      const verdicts = pupils.map((p: { id: string; band: number }, j: number) =>
        j % 5 === 0 ? { pupilId: p.id, verdict: 'ADJUSTED', band: p.band < 4 ? p.band + 1 : 3, reason: 'Moderation panel' } : { pupilId: p.id, verdict: 'AGREED' },
      );
      const input = i < APPROVED ? { outcome: 'APPROVED', pupils: verdicts } : { outcome: 'RETURNED', comments: 'Please check the evidence.', pupils: verdicts };
      ok(await stack.gql(QA_RETURN, { id, input }, council), 'qa');
      emails += 1;
    });
    const fillMs = performance.now() - fillStarted;
    console.log(`filled in ${(fillMs / 1000).toFixed(1)} s; waiting for ${emails} emails to settle`);
    await stack.mailbox.waitFor((all) => all.length >= emails, `${emails} emails`, 15 * 60_000);

    const problems: string[] = [];
    for (let i = 0; i < 3; i += 1) await timed(stack, SUMMARY, council); // warm-up
    const summaryMs: number[] = [];
    let summary: any;
    for (let i = 0; i < TIMED_RUNS; i += 1) {
      const run = await timed(stack, SUMMARY, council);
      summaryMs.push(run.ms);
      summary = run.data.bandingSummary;
    }
    const expected = { schoolsStarted: SCHOOLS, schoolsSubmitted: SCHOOLS, schoolsAwaitingQa: SCHOOLS - APPROVED - RETURNED, schoolsApproved: APPROVED, pupils: SCHOOLS * PUPILS_PER_SCHOOL, approvedPupils: APPROVED * PUPILS_PER_SCHOOL };
    for (const [key, value] of Object.entries(expected)) if (summary[key] !== value) problems.push(`summary ${key} is ${summary[key]}, expected ${value}`);
    if (Math.abs(summary.agreementRate - 0.8) > 1e-9) problems.push(`agreementRate is ${summary.agreementRate}, expected 0.8`);
    const agreedTotal = summary.bandDistribution.reduce((n: number, b: any) => n + b.count, 0);
    if (agreedTotal !== APPROVED * PUPILS_PER_SCHOOL) problems.push(`agreed distribution sums to ${agreedTotal}`);

    await timed(stack, EXPORT, council); // warm-up
    const exportMs: number[] = [];
    let exportRows = 0;
    for (let i = 0; i < 5; i += 1) {
      const run = await timed(stack, EXPORT, council);
      exportMs.push(run.ms);
      exportRows = run.data.bandingExportCsv.trim().split('\r\n').length - 1;
    }
    if (exportRows !== APPROVED * PUPILS_PER_SCHOOL) problems.push(`export has ${exportRows} rows, expected ${APPROVED * PUPILS_PER_SCHOOL}`);

    const result = {
      mode,
      at: new Date().toISOString(),
      machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model, loadAverage: os.loadavg().map(round), node: process.version },
      data: { schools: SCHOOLS, pupils: SCHOOLS * PUPILS_PER_SCHOOL, approvedReturns: APPROVED, returnedReturns: RETURNED },
      fillSeconds: round(fillMs / 1000),
      summaryMs: { runs: TIMED_RUNS, p50: round(percentile(summaryMs, 50)), p95: round(percentile(summaryMs, 95)), max: round(Math.max(...summaryMs)) },
      exportMs: { runs: exportMs.length, rows: exportRows, p50: round(percentile(exportMs, 50)), max: round(Math.max(...exportMs)) },
      ok: problems.length === 0,
      problems,
    };
    const file = path.join(REPO_ROOT, 'tests', 'bench', 'results', `banding-${mode}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`bandingSummary over ${TIMED_RUNS} runs through the gateway: p50 ${result.summaryMs.p50} ms, p95 ${result.summaryMs.p95} ms, max ${result.summaryMs.max} ms`);
    console.log(`bandingExportCsv (${exportRows} rows) over ${exportMs.length} runs: p50 ${result.exportMs.p50} ms, max ${result.exportMs.max} ms`);
    console.log(`load average ${result.machine.loadAverage.join(' ')} on ${result.machine.cpus} CPUs; results written to ${path.relative(process.cwd(), file)}`);
    for (const problem of problems) console.error(`WRONG: ${problem}`);
    return problems.length ? 1 : 0;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
