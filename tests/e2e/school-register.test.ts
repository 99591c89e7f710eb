/**
 * The national schools register into the directory, through the gateway as an ADMIN front end
 * sends it (`importSchoolRegister`) and from a shell (`npm run import:gias`): a GIAS
 * edubasealldata file in the real column layout, Windows-1252 encoded, with several hundred
 * schools of the council's authority and some of another, a school with a name only Latin-1
 * spells, a closed school that bookings refer to, a school whose phase moved, and a children's
 * centre the directory does not serve.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generatedAuthority, GIAS_HEADER, giasCsv, windows1252, type FixtureSchool } from '../support/gias-fixture';
import { codes, contractOperation, REPO_ROOT, startTestStack, type TestStack } from '../support/stack';
import { schoolAndOnlineEvent } from '../support/training';

const IMPORT = `mutation Import($input: ImportSchoolRegisterInput!) {
  importSchoolRegister(input: $input) {
    laCode dryRun rowsRead otherAuthorityRows unchanged notInFile
    created { urn name }
    updated { urn name changes { field from to } }
    closed { urn name changes { field from to } }
    skipped { line urn reason }
  }
}`;
const SCHOOL = `query School($urn: ID!) { school(urn: $urn) { urn name phase ehcpCount status closedOn openedOn localAuthorityCode localAuthorityName establishmentType town postcode trust bookings { reference } } }`;
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');

const LATIN1_NAME = "St Thérèse's Catholic Primary School, Côte";
const oxfordshire: FixtureSchool[] = generatedAuthority(420).map((school) => {
  if (school.urn === '123001') return { ...school, status: 'Closed', closeDate: '31-08-2025' };
  if (school.urn === '123002') return { ...school, name: LATIN1_NAME };
  if (school.urn === '123003') return { ...school, status: 'Closed', closeDate: '31-08-2019' };
  return school;
});
const camden = generatedAuthority(80, '202', 200000);
const file = windows1252(giasCsv([...oxfordshire, ...camden]));
const base64 = (bytes: Buffer) => bytes.toString('base64');
const childrensCentres = oxfordshire.filter((s) => s.type === "Children's centre").map((s) => s.urn);

let stack: TestStack;
let admin: string;

beforeAll(async () => {
  stack = await startTestStack('register');
  admin = await stack.token('ADMIN');
  // What the council had before the register: 123000 as SECONDARY with its EHCP count, 123001
  // (closing) with a booking, and a school of its own that GIAS does not list.
  const { id: eventId } = await schoolAndOnlineEvent(stack, { urn: '123001', name: 'School 1, Secondary', phase: 'SECONDARY' }, { title: 'Phase Transfer', category: 'PHASE_TRANSFER', capacity: 10, daysAhead: 30 });
  const booked = await stack.gql(
    BOOK_EVENT,
    { input: { eventId, schoolUrn: '123001', idempotencyKey: 'register-test-booking', delegates: [{ name: 'Sam Patel', email: 'sam@example.org' }] } },
    await stack.token('SENDCO', { schoolUrn: '123001' }),
  );
  expect(booked.errors).toBeUndefined();
  const upserted = await stack.gql(
    contractOperation('directory.graphql', 'UpsertSchools'),
    { schools: [{ urn: '123000', name: 'School 0, Primary', phase: 'SECONDARY', ehcpCount: 17 }, { urn: '940100', name: 'Council Own Provision', phase: 'PRIMARY', ehcpCount: 3 }] },
    admin,
  );
  expect(upserted.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

describe('importSchoolRegister', () => {
  it("is for ADMIN only, and names a file's missing columns and bad rows without importing anything", async () => {
    for (const token of [await stack.token('TRAINING_ADMIN'), await stack.token('COUNCIL_OFFICER'), undefined]) {
      const refused = await stack.gql(IMPORT, { input: { file: base64(file), laCode: '931' } }, token);
      expect(codes(refused)[0]).toMatch(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    const noColumns = await stack.gql(IMPORT, { input: { file: base64(Buffer.from('URN,Name\r\n123456,X\r\n')), laCode: '931' } }, admin);
    expect(noColumns.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.file', message: expect.stringContaining('"LA (code)"') }] });
    const badRows = giasCsv([{ urn: '12345', name: 'Short URN', type: 'Community school', phase: 'Primary' }, ...oxfordshire.slice(0, 5), { urn: '123999', name: 'Bad date', type: 'Community school', phase: 'Primary', openDate: '2011-09-01' }]);
    const refused = await stack.gql(IMPORT, { input: { file: base64(Buffer.from(badRows)), laCode: '931' } }, admin);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['input.file.2.URN', 'input.file.8.OpenDate']);
    expect((await stack.gql(SCHOOL, { urn: '123004' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const notBase64 = await stack.gql(IMPORT, { input: { file: 'not base64!', laCode: '931' } }, admin);
    expect(notBase64.errors?.[0].extensions?.fields).toEqual([{ field: 'input.file', message: expect.stringContaining('base64') }]);
    const badCode = await stack.gql(IMPORT, { input: { file: base64(file), laCode: 'Oxon' } }, admin);
    expect(badCode.errors?.[0].extensions?.fields).toEqual([{ field: 'input.laCode', message: expect.stringContaining('3-digit') }]);
  });

  it('a dry run reports and changes nothing', async () => {
    const dry = await stack.gql(IMPORT, { input: { file: base64(file), laCode: '931', dryRun: true } }, admin);
    expect(dry.errors).toBeUndefined();
    expect(dry.data.importSchoolRegister.dryRun).toBe(true);
    expect(dry.data.importSchoolRegister.created.length).toBeGreaterThan(300);
    expect((await stack.gql(SCHOOL, { urn: '123004' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it("imports the authority's schools: adds the open ones, moves a phase, closes without deleting, keeps the council's own", async () => {
    const imported = await stack.gql(IMPORT, { input: { file: base64(file), laCode: '931' } }, admin);
    expect(imported.errors).toBeUndefined();
    const report = imported.data.importSchoolRegister;
    expect(report).toMatchObject({ laCode: '931', dryRun: false, rowsRead: 420, otherAuthorityRows: 80, unchanged: 0, notInFile: [] });
    // Skipped: the children's centres (not served) and 123003 (closed before it reached the directory).
    expect(report.skipped.map((s: { urn: string }) => s.urn).sort()).toEqual([...childrensCentres, '123003'].sort());
    expect(report.skipped.find((s: { urn: string }) => s.urn === '123003').reason).toMatch(/closed on 2019-08-31/);
    const created = report.created.map((s: { urn: string }) => s.urn);
    expect(created).toHaveLength(420 - childrensCentres.length - 1 - 2);
    expect(created).not.toContain('123000');
    expect(created.some((urn: string) => urn.startsWith('2'))).toBe(false);

    // The moved phase, with every register change listed.
    const moved = report.updated.find((s: { urn: string }) => s.urn === '123000');
    expect(moved.changes).toEqual(expect.arrayContaining([{ field: 'phase', from: 'SECONDARY', to: 'PRIMARY' }, { field: 'localAuthorityCode', from: null, to: '931' }]));
    const school0 = (await stack.gql(SCHOOL, { urn: '123000' }, admin)).data.school;
    expect(school0).toMatchObject({ phase: 'PRIMARY', ehcpCount: 17, status: 'OPEN', localAuthorityName: 'Oxfordshire', establishmentType: 'Community school', openedOn: '2011-09-01' });

    // Closed: marked, dated, and what refers to it is still there.
    expect(report.closed).toEqual([{ urn: '123001', name: 'School 1, Secondary', changes: expect.arrayContaining([{ field: 'status', from: 'OPEN', to: 'CLOSED' }, { field: 'closedOn', from: null, to: '2025-08-31' }]) }]);
    const closed = (await stack.gql(SCHOOL, { urn: '123001' }, admin)).data.school;
    expect(closed).toMatchObject({ status: 'CLOSED', closedOn: '2025-08-31' });
    expect(closed.bookings).toHaveLength(1);

    // The Windows-1252 name, read right; special schools and a pupil referral unit by their type.
    expect((await stack.gql(SCHOOL, { urn: '123002' })).data.school.name).toBe(LATIN1_NAME);
    expect((await stack.gql(SCHOOL, { urn: '123007' })).data.school).toMatchObject({ phase: 'SPECIAL', establishmentType: 'Academy special converter' });
    expect((await stack.gql(SCHOOL, { urn: '123013' })).data.school.phase).toBe('ALTERNATIVE_PROVISION');
    // The council's own school is untouched; the other authority's schools are not taken in.
    expect((await stack.gql(SCHOOL, { urn: '940100' }, admin)).data.school).toMatchObject({ name: 'Council Own Provision', ehcpCount: 3, status: 'OPEN', localAuthorityCode: null });
    expect((await stack.gql(SCHOOL, { urn: '200000' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('is idempotent: the same file again (gzipped this time) changes nothing, and a later release with drifted columns neither', async () => {
    const again = (await stack.gql(IMPORT, { input: { file: base64(gzipSync(file)), laCode: '931' } }, admin)).data.importSchoolRegister;
    expect(again).toMatchObject({ created: [], updated: [], closed: [], unchanged: 420 - childrensCentres.length - 1, notInFile: [] });
    // A later release: columns in another order, one the import does not read dropped, new ones
    // added, and "LA (code)" spelt "LA(code)".
    const header = [...GIAS_HEADER.filter((h) => h !== 'Easting').reverse(), 'QAB (name)', 'SiteName'];
    const [headerLine, ...rows] = giasCsv(oxfordshire, header).split('\r\n');
    expect(headerLine).toContain(',LA (code),');
    const drifted = [headerLine.replace(',LA (code),', ',LA(code),'), ...rows].join('\r\n');
    const report = (await stack.gql(IMPORT, { input: { file: base64(Buffer.from(drifted)), laCode: '931' } }, admin)).data.importSchoolRegister;
    expect(report).toMatchObject({ rowsRead: 420, otherAuthorityRows: 0, created: [], updated: [], closed: [], unchanged: 420 - childrensCentres.length - 1 });
  });

  it('reports a school an earlier file had that a new file lacks, and keeps it', async () => {
    const without = oxfordshire.filter((s) => s.urn !== '123010');
    const report = (await stack.gql(IMPORT, { input: { file: base64(Buffer.from(giasCsv(without))), laCode: '931' } }, admin)).data.importSchoolRegister;
    expect(report).toMatchObject({ created: [], updated: [], closed: [], notInFile: ['123010'] });
    expect((await stack.gql(SCHOOL, { urn: '123010' })).data.school.status).toBe('OPEN');
  });
});

describe('npm run import:gias', () => {
  it('imports from a shell into the same directory, with a readable report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gias-'));
    const moved = oxfordshire.map((s) => (s.urn === '123005' ? { ...s, phase: 'Primary', type: 'Academy converter' } : s));
    fs.writeFileSync(path.join(dir, 'edubasealldata.csv'), windows1252(giasCsv(moved)));
    const run = promisify(execFile);
    const cli = path.join(REPO_ROOT, 'subgraphs/directory/dist/gias/import-gias-cli.js');
    const { stdout } = await run(process.execPath, [cli, path.join(dir, 'edubasealldata.csv'), '--la', '931'], { env: { ...stack.env, LOG_LEVEL: 'silent' } });
    expect(stdout).toMatch(/LA 931: 420 rows read/);
    expect(stdout).toMatch(/updated 1, closed 0/);
    expect(stdout).toContain('~ 123005');
    expect((await stack.gql(SCHOOL, { urn: '123005' })).data.school.phase).toBe('PRIMARY');
    const usage = await run(process.execPath, [cli], { env: stack.env }).catch((error: { code: number; stderr: string }) => error);
    expect(usage).toMatchObject({ code: 64, stderr: expect.stringContaining('usage: npm run import:gias') });
  });
});
