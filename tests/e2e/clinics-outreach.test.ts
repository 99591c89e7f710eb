/**
 * Special School Outreach referrals through the gateway: a SENDCO refers (the contract's
 * ReferToOutreach), ADMIN allocates to a special school, the allocated school's provider moves it
 * on and closes it; the referring school is emailed at every step; who may see and change what;
 * the council's counts by status, package and month.
 */
import { codes, contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';

const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');
const REFER = contractOperation('clinics.graphql', 'ReferToOutreach');
const UPDATE = `mutation($id: ID!, $input: OutreachReferralChangeInput!) { updateOutreachReferral(id: $id, input: $input) { id status allocatedSchool { urn name } } }`;
const REFERRAL = `query($id: ID!) { outreachReferral(id: $id) { id status package needsSummary contactEmail school { urn name } allocatedSchool { urn } updates { status note allocatedSchoolUrn } history { action actor } } }`;
const REFERRALS = `query($filter: OutreachReferralFilter) { outreachReferrals(filter: $filter) { totalCount edges { node { id status } } } }`;
const COUNTS = `query($from: DateTime, $to: DateTime) { outreachReferralCounts(from: $from, to: $to) { total byStatus { status count } byPackage { package count } byMonth { month count } } }`;

const SPECIAL_A = '930001';
const SPECIAL_B = '930002';
const SCHOOL = '930010';
const OTHER_SCHOOL = '930011';
const CONTACT = 'sendco@tamar.example.org';

let stack: TestStack;
let admin: string;
let providerA: string;
let providerB: string;
let sendco: string;
let staff: string;
let otherSendco: string;
let council: string;

const summary = 'A group of Year 5 pupils with social communication needs find unstructured times hard; we want a consistent approach.';

async function refer(pkg: string, token = sendco): Promise<GraphQLResponse> {
  return stack.gql(REFER, { input: { schoolUrn: SCHOOL, package: pkg, needsSummary: summary, contactEmail: CONTACT } }, token);
}

async function step(id: string, input: Record<string, unknown>, token = admin): Promise<GraphQLResponse> {
  return stack.gql(UPDATE, { id, input }, token);
}

beforeAll(async () => {
  stack = await startTestStack('outreach');
  admin = await stack.token('ADMIN');
  providerA = await stack.token('CLINIC_PROVIDER', { schoolUrn: SPECIAL_A });
  providerB = await stack.token('CLINIC_PROVIDER', { schoolUrn: SPECIAL_B });
  sendco = await stack.token('SENDCO', { schoolUrn: SCHOOL });
  staff = await stack.token('SCHOOL_STAFF', { schoolUrn: SCHOOL });
  otherSendco = await stack.token('SENDCO', { schoolUrn: OTHER_SCHOOL });
  council = await stack.token('COUNCIL_OFFICER');
  const upserted = await stack.gql(
    UPSERT_SCHOOLS,
    {
      schools: [
        { urn: SPECIAL_A, name: 'Exe Valley Special School', phase: 'SPECIAL', ehcpCount: 100 },
        { urn: SPECIAL_B, name: 'Dart Special School', phase: 'SPECIAL', ehcpCount: 80 },
        { urn: SCHOOL, name: 'Tamar Primary School', phase: 'PRIMARY', ehcpCount: 6 },
        { urn: OTHER_SCHOOL, name: 'Fowey Secondary School', phase: 'SECONDARY', ehcpCount: 20 },
      ],
    },
    admin,
  );
  expect(upserted.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

describe('Outreach referrals', () => {
  let referralId: string;

  it("takes a SENDCO's referral (RECEIVED) and emails the school a receipt", async () => {
    const referred = await refer('LEADERSHIP');
    expect(referred.errors).toBeUndefined();
    expect(referred.data.referToOutreach).toMatchObject({ status: 'RECEIVED', package: 'LEADERSHIP' });
    referralId = referred.data.referToOutreach.id;
    const [receipt] = await stack.mailbox.waitForCount(CONTACT, 1);
    expect(receipt.subject).toBe('Special School Outreach referral: Received (Leadership package)');
    expect(receipt.text).toContain('has received your school');
    expect(receipt.html).toContain(referralId);
  });

  it('refuses anyone but the school\'s SENDCO, and bad input, recording nothing', async () => {
    expect(codes(await refer('LEADERSHIP', staff))).toEqual(['FORBIDDEN']);
    expect(codes(await refer('LEADERSHIP', otherSendco))).toEqual(['FORBIDDEN']);
    expect(codes(await refer('LEADERSHIP', providerA))).toEqual(['FORBIDDEN']);
    expect(codes(await refer('LEADERSHIP', ''))).toEqual(['UNAUTHENTICATED']);
    const bad = await stack.gql(REFER, { input: { schoolUrn: SCHOOL, package: 'LEADERSHIP', needsSummary: 'too short', contactEmail: 'not-an-email' } }, sendco);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.fields!.map((f) => f.field).sort()).toEqual(['contactEmail', 'needsSummary']);
    expect((await stack.gql(REFERRALS, {}, council)).data.outreachReferrals.totalCount).toBe(1);
  });

  it('only lets ADMIN allocate, only to a special school, and refuses steps out of order', async () => {
    expect(codes(await step(referralId, { status: 'ALLOCATED', allocatedSchoolUrn: SPECIAL_A }, providerA))).toEqual(['FORBIDDEN']);
    expect(codes(await step(referralId, { status: 'IN_PROGRESS' }))).toEqual(['CONFLICT']);
    const notSpecial = await step(referralId, { status: 'ALLOCATED', allocatedSchoolUrn: OTHER_SCHOOL });
    expect(codes(notSpecial)).toEqual(['BAD_USER_INPUT']);
    expect(notSpecial.errors![0].extensions!.fields).toEqual([{ field: 'allocatedSchoolUrn', message: 'Fowey Secondary School is not a special school' }]);
    expect(codes(await step(referralId, { status: 'ALLOCATED', allocatedSchoolUrn: '999999' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await step(referralId, { status: 'ALLOCATED' }))).toEqual(['BAD_USER_INPUT']);
    expect((await stack.gql(REFERRAL, { id: referralId }, sendco)).data.outreachReferral.status).toBe('RECEIVED');

    const allocated = await step(referralId, { status: 'ALLOCATED', allocatedSchoolUrn: SPECIAL_A, note: 'Exe Valley have capacity this term.' });
    expect(allocated.data.updateOutreachReferral).toEqual({ id: referralId, status: 'ALLOCATED', allocatedSchool: { urn: SPECIAL_A, name: 'Exe Valley Special School' } });
    const mails = await stack.mailbox.waitForCount(CONTACT, 2);
    const mail = mails.find((m) => /Allocated/.test(m.subject))!;
    expect(mail.text).toContain('Exe Valley Special School');
    expect(mail.text).toContain('Exe Valley have capacity this term.');
  });

  it('shows the referral to the allocated school, not to another special school or another school', async () => {
    expect((await stack.gql(REFERRAL, { id: referralId }, providerA)).data.outreachReferral.needsSummary).toBe(summary);
    expect((await stack.gql(REFERRALS, {}, providerA)).data.outreachReferrals.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([referralId]);
    expect(codes(await stack.gql(REFERRAL, { id: referralId }, providerB))).toEqual(['FORBIDDEN']);
    expect((await stack.gql(REFERRALS, {}, providerB)).data.outreachReferrals.totalCount).toBe(0);
    expect(codes(await stack.gql(REFERRAL, { id: referralId }, otherSendco))).toEqual(['FORBIDDEN']);
    expect((await stack.gql(REFERRALS, {}, otherSendco)).data.outreachReferrals.totalCount).toBe(0);
    expect(codes(await stack.gql(REFERRALS, {}))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await step(referralId, { status: 'IN_PROGRESS' }, providerB))).toEqual(['FORBIDDEN']);
  });

  it('lets the allocated school move it on and close it with a note, emailing the school each time', async () => {
    expect((await step(referralId, { status: 'IN_PROGRESS' }, providerA)).data.updateOutreachReferral.status).toBe('IN_PROGRESS');
    expect(codes(await step(referralId, { status: 'CLOSED' }, providerA))).toEqual(['BAD_USER_INPUT']);
    expect((await step(referralId, { status: 'CLOSED', note: 'Strategy agreed and two staff trained.' }, providerA)).data.updateOutreachReferral.status).toBe('CLOSED');
    expect(codes(await step(referralId, { status: 'IN_PROGRESS' }, providerA))).toEqual(['CONFLICT']);
    expect(codes(await step(referralId, { status: 'ALLOCATED', allocatedSchoolUrn: SPECIAL_B }))).toEqual(['CONFLICT']);

    const mails = await stack.mailbox.waitForCount(CONTACT, 4);
    // The worker sends in parallel, so arrival order is not the order of the steps.
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Special School Outreach referral: Received (Leadership package)',
      'Special School Outreach referral: Allocated to a special school (Leadership package)',
      'Special School Outreach referral: Support in progress (Leadership package)',
      'Special School Outreach referral: Closed (Leadership package)',
    ].sort());
    expect(mails.find((m) => /Closed/.test(m.subject))!.text).toContain('Strategy agreed and two staff trained.');

    const referral = (await stack.gql(REFERRAL, { id: referralId }, staff)).data.outreachReferral;
    expect(referral.updates).toEqual([
      { status: 'RECEIVED', note: null, allocatedSchoolUrn: null },
      { status: 'ALLOCATED', note: 'Exe Valley have capacity this term.', allocatedSchoolUrn: SPECIAL_A },
      { status: 'IN_PROGRESS', note: null, allocatedSchoolUrn: null },
      { status: 'CLOSED', note: 'Strategy agreed and two staff trained.', allocatedSchoolUrn: null },
    ]);
    expect(referral.history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
      ['outreach_referral.received', `sendco-${SCHOOL}`],
      ['outreach_referral.allocated', 'admin-council'],
      ['outreach_referral.in_progress', `clinic_provider-${SPECIAL_A}`],
      ['outreach_referral.closed', `clinic_provider-${SPECIAL_A}`],
    ]);
  });

  it('gives council officers the counts by status, package and month in one query', async () => {
    expect((await refer('BESPOKE')).data.referToOutreach.package).toBe('BESPOKE');
    expect((await refer('KEY_WORKER_DEVELOPMENT')).data.referToOutreach.status).toBe('RECEIVED');
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

    const counts = await stack.gql(COUNTS, { from: '2023-09-01T00:00:00+01:00' }, council);
    expect(counts.errors).toBeUndefined();
    expect(counts.data.outreachReferralCounts).toEqual({
      total: 3,
      byStatus: [
        { status: 'RECEIVED', count: 2 },
        { status: 'ALLOCATED', count: 0 },
        { status: 'IN_PROGRESS', count: 0 },
        { status: 'CLOSED', count: 1 },
      ],
      byPackage: [
        { package: 'LEADERSHIP', count: 1 },
        { package: 'KEY_WORKER_DEVELOPMENT', count: 1 },
        { package: 'BESPOKE', count: 1 },
      ],
      byMonth: [{ month, count: 3 }],
    });
    expect((await stack.gql(COUNTS, { to: '2023-09-01T00:00:00+01:00' }, council)).data.outreachReferralCounts).toMatchObject({ total: 0, byMonth: [] });
    expect((await stack.gql(REFERRALS, { filter: { status: 'RECEIVED' } }, admin)).data.outreachReferrals.totalCount).toBe(2);
    expect(codes(await stack.gql(COUNTS, {}, sendco))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(COUNTS, {}, providerA))).toEqual(['FORBIDDEN']);
  });
});

describe("the needs summary names no child", () => {
  it("screens the needs summary with the one rule for children's data: a name or a date of birth is refused saying why, titles pass", async () => {
    const before = (await stack.gql(REFERRALS, {}, council)).data.outreachReferrals.totalCount;
    const referWith = (needsSummary: string) => stack.gql(REFER, { input: { schoolUrn: SCHOOL, package: 'LEADERSHIP', needsSummary, contactEmail: CONTACT } }, sendco);
    for (const [text, reason] of [
      ['Amelia Jones in Year 5 finds unstructured times hard.', /^needsSummary must not name anyone/],
      ['A pupil born 04/11/2016 finds unstructured times hard.', /^needsSummary must not give a date of birth/],
    ] as const) {
      const refused = await referWith(text);
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0].extensions!.fields).toEqual([{ field: 'needsSummary', message: expect.stringMatching(reason) }]);
    }
    expect((await stack.gql(REFERRALS, {}, council)).data.outreachReferrals.totalCount).toBe(before);
    const accepted = await referWith('Key Stage 2 pupils with Social, Emotional and Mental Health needs; the Educational Psychologist advised a consistent approach.');
    expect(codes(accepted)).toEqual([]);
    expect((await stack.gql(REFERRALS, {}, council)).data.outreachReferrals.totalCount).toBe(before + 1);
  });
});
