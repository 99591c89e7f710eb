/**
 * Enhanced Pathways through the gateway with the project's contract operations
 * (tests/contract/pathways.graphql), against the real processes, database, queue and an SMTP
 * listener: the application window, the role boundaries (another school, a member with a
 * conflict, scoring twice), the funded-number cap under concurrent approvals, the outcome
 * emails and the bulletin draft.
 */
import { createTopics } from '../support/bulletin';
import { codes, contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';

const op = (name: string) => contractOperation('pathways.graphql', name);
const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');

const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const dayIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

const SCHOOL = '930001';
const OTHER = '930002';
const CAP_SCHOOLS = ['930011', '930012', '930013', '930014', '930015', '930016'];
const SCHOOLS = [SCHOOL, OTHER, ...CAP_SCHOOLS].map((urn, i) => ({ urn, name: `Pathway School ${i + 1}`, phase: 'PRIMARY', ehcpCount: 10 }));

const CRITERIA = [
  { key: 'need', label: 'Evidence of need', weight: 3, maxScore: 5 },
  { key: 'plan', label: 'Quality of the plan', weight: 1, maxScore: 5 },
];
const APPLICATION_FORM = [{ key: 'summary', label: 'Summary', required: true, type: 'LONG_TEXT' }];
const COHORT_FORM = [
  { key: 'yearGroup', label: 'Year group', required: true, type: 'NUMBER', min: 0, max: 14, integer: true },
  { key: 'notes', label: 'Notes', required: false, type: 'LONG_TEXT' },
];

let stack: TestStack;
let chair: string;
let council: string;
const tokens: Record<string, string> = {};
let memberA: string;
let memberB: string;
let outsider: string;

function roundInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Enhanced Pathways test round',
    description: 'A test round.',
    pathwaysFunded: 2,
    opensAt: inDays(-1),
    closesAt: inDays(3),
    boardDates: [dayIn(6)],
    criteria: CRITERIA,
    applicationQuestions: APPLICATION_FORM,
    cohortQuestions: COHORT_FORM,
    contactEmail: 'pathways@council.example.org',
    nameApprovedSchools: true,
    ...overrides,
  };
}

function ok<T = any>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

async function openRound(overrides: Record<string, unknown> = {}): Promise<string> {
  const id = ok(await stack.gql(op('CreateFundingRound'), { input: roundInput(overrides) }, chair)).createFundingRound.id;
  ok(await stack.gql(op('AddBoardMember'), { roundId: id, input: { memberSub: 'member-a', name: 'Member A', agency: 'Health' } }, chair));
  ok(await stack.gql(op('AddBoardMember'), { roundId: id, input: { memberSub: 'member-b', name: 'Member B', agency: 'Education' } }, chair));
  ok(await stack.gql(op('OpenFundingRound'), { id }, chair));
  return id;
}

const GOOD = { answers: [{ key: 'summary', value: 'A nurture pathway for Years 5 and 6.' }], cohort: [{ pupilRef: 'P0101', answers: [{ key: 'yearGroup', value: '5' }] }] };

async function submitted(roundId: string, urn: string): Promise<string> {
  const id = ok(await stack.gql(op('StartPathwayApplication'), { roundId, schoolUrn: urn }, tokens[urn])).startPathwayApplication.id;
  ok(await stack.gql(op('SavePathwayApplication'), { id, input: GOOD }, tokens[urn]));
  ok(await stack.gql(op('SubmitPathwayApplication'), { id }, tokens[urn]));
  return id;
}

const scores = (need: number, plan: number) => ({ scores: [{ criterion: 'need', score: need }, { criterion: 'plan', score: plan }], comment: 'Scored.' });

beforeAll(async () => {
  stack = await startTestStack('pathways');
  const admin = await stack.token('ADMIN');
  chair = await stack.token('PATHWAYS_ADMIN', { email: 'chair@council.example.org' });
  council = await stack.token('COUNCIL_OFFICER');
  for (const s of SCHOOLS) tokens[s.urn] = await stack.token('SENDCO', { schoolUrn: s.urn, email: `sendco@${s.urn}.example.org`, name: `SENDCO ${s.urn}` });
  memberA = await stack.token('BOARD_MEMBER', { sub: 'member-a' });
  memberB = await stack.token('BOARD_MEMBER', { sub: 'member-b' });
  outsider = await stack.token('BOARD_MEMBER', { sub: 'member-z' });
  ok(await stack.gql(UPSERT_SCHOOLS, { schools: SCHOOLS }, admin));
});

afterAll(async () => {
  await stack?.stop();
});

describe('rounds', () => {
  it('only PATHWAYS_ADMIN creates one; bad fields are named; questions and criteria freeze once open', async () => {
    expect(codes(await stack.gql(op('CreateFundingRound'), { input: roundInput() }, tokens[SCHOOL]))).toEqual(['FORBIDDEN']);
    const bad = await stack.gql(op('CreateFundingRound'), { input: roundInput({ closesAt: inDays(-2), boardDates: ['2020-01-01'], criteria: [{ key: 'x', label: 'X', weight: 1, maxScore: 0 }] }) }, chair);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.fields!.map((f) => f.field).sort()).toEqual(['boardDates.0', 'closesAt', 'criteria.0.maxScore']);
    const id = await openRound();
    const frozen = await stack.gql(op('UpdateFundingRound'), { id, input: { criteria: CRITERIA.slice(0, 1) } }, chair);
    expect(codes(frozen)).toEqual(['CONFLICT']);
    expect(ok(await stack.gql(op('UpdateFundingRound'), { id, input: { title: 'Renamed round' } }, chair)).updateFundingRound.title).toBe('Renamed round');
  });
});

describe('the application window', () => {
  it('refuses to start an application before the window opens, naming the window in Europe/London', async () => {
    const id = await openRound({ opensAt: inDays(1), closesAt: inDays(3) });
    const early = await stack.gql(op('StartPathwayApplication'), { roundId: id, schoolUrn: SCHOOL }, tokens[SCHOOL]);
    expect(codes(early)).toEqual(['BOOKING_CLOSED']);
    expect(early.errors![0].message).toMatch(/not open yet: the window is .* (GMT|BST) to .* (GMT|BST)\./);
  });

  it('lets the school draft, save and submit inside it, and nothing once it has closed', async () => {
    const roundId = await openRound();
    const started = ok(await stack.gql(op('StartPathwayApplication'), { roundId, schoolUrn: SCHOOL }, tokens[SCHOOL])).startPathwayApplication;
    expect(started).toMatchObject({ status: 'DRAFT', schoolUrn: SCHOOL, contactEmail: `sendco@${SCHOOL}.example.org` });
    // Starting again returns the same application: one per school per round.
    expect(ok(await stack.gql(op('StartPathwayApplication'), { roundId, schoolUrn: SCHOOL }, tokens[SCHOOL])).startPathwayApplication.id).toBe(started.id);

    const incomplete = await stack.gql(op('SubmitPathwayApplication'), { id: started.id }, tokens[SCHOOL]);
    expect(incomplete.errors![0].extensions!.fields!.map((f) => f.field)).toEqual(['answers.summary', 'cohort']);

    const named = await stack.gql(op('SavePathwayApplication'), { id: started.id, input: { cohort: [{ pupilRef: 'Jane Smith', answers: [] }, { pupilRef: 'P0002', answers: [{ key: 'notes', value: 'Born 03/04/2016.' }] }] } }, tokens[SCHOOL]);
    expect(named.errors![0].extensions!.fields!.map((f) => f.field)).toEqual(['cohort.0.pupilRef', 'cohort.1.answers.notes']);

    const saved = ok(await stack.gql(op('SavePathwayApplication'), { id: started.id, input: GOOD }, tokens[SCHOOL])).savePathwayApplication;
    expect(saved.cohort).toEqual([{ pupilRef: 'P0101', answers: [{ key: 'yearGroup', label: 'Year group', value: '5' }] }]);
    expect(ok(await stack.gql(op('SubmitPathwayApplication'), { id: started.id }, tokens[SCHOOL])).submitPathwayApplication.status).toBe('SUBMITTED');

    ok(await stack.gql(op('CloseFundingRound'), { id: roundId }, chair));
    const late = await stack.gql(op('SavePathwayApplication'), { id: started.id, input: GOOD }, tokens[SCHOOL]);
    expect(codes(late)).toEqual(['BOOKING_CLOSED']);
    expect(late.errors![0].message).toMatch(/have closed: the window was /);
    expect(codes(await stack.gql(op('StartPathwayApplication'), { roundId, schoolUrn: OTHER }, tokens[OTHER]))).toEqual(['BOOKING_CLOSED']);
  });

  it('lets a school withdraw before the board', async () => {
    const roundId = await openRound();
    const id = await submitted(roundId, SCHOOL);
    const withdrawn = ok(await stack.gql(op('WithdrawPathwayApplication'), { id, reason: 'Staffing changed.' }, tokens[SCHOOL])).withdrawPathwayApplication;
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', withdrawnReason: 'Staffing changed.' });
  });
});

describe('role boundaries', () => {
  let roundId: string;
  let applicationId: string;

  beforeAll(async () => {
    roundId = await openRound();
    applicationId = await submitted(roundId, SCHOOL);
    ok(await stack.gql(op('CloseFundingRound'), { id: roundId }, chair));
  });

  it('never shows an application to another school, nor lets it act for one', async () => {
    expect(codes(await stack.gql(op('PathwayApplication'), { id: applicationId }, tokens[OTHER]))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(op('StartPathwayApplication'), { roundId, schoolUrn: SCHOOL }, tokens[OTHER]))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(op('WithdrawPathwayApplication'), { id: applicationId }, tokens[OTHER]))).toEqual(['FORBIDDEN']);
    const other = await stack.gql(op('SchoolPathwayApplications'), { urn: SCHOOL }, tokens[OTHER]);
    expect(other.data.school.pathwayApplications).toBeNull();
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(ok(await stack.gql(op('PathwayApplication'), { id: applicationId }, tokens[SCHOOL])).pathwayApplication.schoolUrn).toBe(SCHOOL);
    expect(ok(await stack.gql(op('PathwayApplication'), { id: applicationId }, council)).pathwayApplication.school.name).toBe('Pathway School 1');
    const own = ok(await stack.gql(op('SchoolPathwayApplications'), { urn: SCHOOL }, tokens[SCHOOL])).school.pathwayApplications;
    expect(own.map((a: { id: string }) => a.id)).toContain(applicationId);
  });

  it('lets only members of the round’s board score, once each, hiding others’ scores until then', async () => {
    expect(codes(await stack.gql(op('ScorePathwayApplication'), { applicationId, input: scores(4, 4) }, outsider))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(op('ScorePathwayApplication'), { applicationId, input: scores(4, 4) }, tokens[SCHOOL]))).toEqual(['FORBIDDEN']);
    const badScores = await stack.gql(op('ScorePathwayApplication'), { applicationId, input: scores(6, 1) }, memberA);
    expect(badScores.errors![0].extensions!.fields!.map((f) => f.field)).toEqual(['scores.0.score']);

    ok(await stack.gql(op('ScorePathwayApplication'), { applicationId, input: scores(4, 2) }, memberA));
    expect(codes(await stack.gql(op('ScorePathwayApplication'), { applicationId, input: scores(5, 5) }, memberA))).toEqual(['CONFLICT']);
    // Member B has not scored: A's scores are hidden from them, and from the panel's totals.
    expect(codes(await stack.gql(op('PathwayApplicationScores'), { id: applicationId }, memberB))).toEqual(['FORBIDDEN']);
    const hidden = ok(await stack.gql(op('FundingRoundPanel'), { id: roundId }, memberB)).fundingRound.panel;
    expect(hidden).toEqual([expect.objectContaining({ hidden: true, weightedTotal: null, rank: null })]);
    const seen = ok(await stack.gql(op('PathwayApplicationScores'), { id: applicationId }, memberA)).pathwayApplication.boardScores;
    expect(seen).toEqual([{ memberSub: 'member-a', comment: 'Scored.', scores: [{ criterion: 'need', score: 4 }, { criterion: 'plan', score: 2 }] }]);
  });

  it('stops a member who declared a conflict from scoring or seeing the scores', async () => {
    ok(await stack.gql(op('DeclarePathwayConflict'), { applicationId, reason: 'My partner teaches there.' }, memberB));
    expect(codes(await stack.gql(op('ScorePathwayApplication'), { applicationId, input: scores(5, 5) }, memberB))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(op('PathwayApplicationScores'), { id: applicationId }, memberB))).toEqual(['FORBIDDEN']);
    const panel = ok(await stack.gql(op('FundingRoundPanel'), { id: roundId }, chair)).fundingRound.panel;
    expect(panel).toEqual([expect.objectContaining({ rank: 1, weightedTotal: 14, spread: 0, scoreCount: 1, conflicts: 1, hidden: false })]);
  });
});

describe('decisions', () => {
  let roundId: string;
  let ids: string[];

  beforeAll(async () => {
    roundId = await openRound({ pathwaysFunded: 2 });
    ids = [];
    for (const urn of CAP_SCHOOLS) ids.push(await submitted(roundId, urn));
    ok(await stack.gql(op('CloseFundingRound'), { id: roundId }, chair));
  });

  it('never approves more than the funded number, however many approvals arrive at once', async () => {
    const answers = await Promise.all(ids.map((applicationId) => stack.gql(op('DecidePathwayApplication'), { applicationId, outcome: 'APPROVED', reason: 'Strong application.' }, chair)));
    const approved = answers.filter((a) => !a.errors);
    expect(approved).toHaveLength(2);
    expect(answers.filter((a) => a.errors).map((a) => codes(a)[0])).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT']);
    const report = ok(await stack.gql(op('FundingRoundReport'), { id: roundId }, council)).fundingRound.report;
    expect(report.byDecision).toContainEqual({ outcome: 'APPROVED', count: 2 });
    expect(report.undecided).toBe(4);
  });

  it('changes a decision with a new reason, keeping every one, and decides the rest', async () => {
    const approvedIds = new Set<string>();
    for (const id of ids) {
      const a = ok(await stack.gql(op('PathwayApplication'), { id }, chair)).pathwayApplication;
      if (a.decision === 'APPROVED') approvedIds.add(id);
    }
    const [first] = [...approvedIds];
    const changed = ok(await stack.gql(op('DecidePathwayApplication'), { applicationId: first, outcome: 'RESERVE', reason: 'Moved to reserve after discussion.' }, chair)).decidePathwayApplication;
    expect(changed.decisionHistory.map((d: { outcome: string }) => d.outcome)).toEqual(['APPROVED', 'RESERVE']);
    expect(codes(await stack.gql(op('DecidePathwayApplication'), { applicationId: first, outcome: 'DECLINED', reason: ' ' }, chair))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await stack.gql(op('DecidePathwayApplication'), { applicationId: first, outcome: 'DECLINED', reason: 'x' }, memberA))).toEqual(['FORBIDDEN']);
    const rest = ids.filter((id) => !approvedIds.has(id));
    ok(await stack.gql(op('DecidePathwayApplication'), { applicationId: rest[0], outcome: 'APPROVED', reason: 'Funded from the freed place.' }, chair));
    for (const id of rest.slice(1)) ok(await stack.gql(op('DecidePathwayApplication'), { applicationId: id, outcome: 'DECLINED', reason: 'Below the line.' }, chair));
    // The school does not see its decision before publication.
    const school = CAP_SCHOOLS[ids.indexOf(rest[0])];
    expect(ok(await stack.gql(op('PathwayApplication'), { id: rest[0] }, tokens[school])).pathwayApplication.decision).toBeNull();
    const csv = ok(await stack.gql(op('FundingRoundReport'), { id: roundId }, chair)).fundingRound.reportCsv;
    expect(csv.split('\r\n')[0]).toBe('School URN,School,Status,Submitted at,Pupils,Scores,Weighted total,Spread,Rank,Decision,Reason');
    expect(csv).toContain('Funded from the freed place.');
  });

  it('publishes once: each applicant school gets exactly one outcome email, and a bulletin item is drafted', async () => {
    const editor = await stack.token('BULLETIN_EDITOR', { email: 'editor@council.example.org' });
    await createTopics(stack, editor);
    const refused = await stack.gql(op('PublishFundingRound'), { id: roundId }, memberA);
    expect([codes(refused), refused.errors?.[0]?.message]).toEqual([['FORBIDDEN'], expect.any(String)]);
    const [first, again] = [
      ok(await stack.gql(op('PublishFundingRound'), { id: roundId }, chair)).publishFundingRound,
      ok(await stack.gql(op('PublishFundingRound'), { id: roundId }, chair)).publishFundingRound,
    ];
    expect(first.status).toBe('DECIDED');
    expect(again.publishedAt).toBe(first.publishedAt);
    expect(codes(await stack.gql(op('DecidePathwayApplication'), { applicationId: ids[0], outcome: 'DECLINED', reason: 'Too late.' }, chair))).toEqual(['CONFLICT']);

    // Published: each school now sees its own decision and reason.
    const decisions = new Map<string, string>();
    const reasons = new Map<string, string>();
    for (const [i, id] of ids.entries()) {
      const seen = ok(await stack.gql(op('PathwayApplication'), { id }, tokens[CAP_SCHOOLS[i]])).pathwayApplication;
      decisions.set(CAP_SCHOOLS[i], seen.decision);
      reasons.set(CAP_SCHOOLS[i], seen.decisionReason);
    }
    expect([...decisions.values()].filter((d) => d === 'APPROVED')).toHaveLength(2);

    // The draft is made after the emails are queued (same transaction): once it is there, so are they.
    const DRAFTS = `query { bulletinDrafts(first: 50) { edges { node { title status sourceKey topics items { heading bodyText topic } } } } }`;
    let draft: any;
    for (const deadline = Date.now() + 60_000; !draft && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      const drafts = ok(await stack.gql(DRAFTS, {}, editor)).bulletinDrafts.edges.map((e: { node: unknown }) => e.node);
      draft = drafts.find((d: { sourceKey: string }) => d.sourceKey === `pathways:round:${roundId}`);
    }
    expect(draft).toMatchObject({ status: 'DRAFT', topics: ['enhanced-pathways'], title: 'Enhanced Pathways: Enhanced Pathways test round decided' });
    const approvedNames = CAP_SCHOOLS.filter((urn) => decisions.get(urn) === 'APPROVED').map((urn) => SCHOOLS.find((x) => x.urn === urn)!.name);
    const declinedNames = CAP_SCHOOLS.filter((urn) => decisions.get(urn) === 'DECLINED').map((urn) => SCHOOLS.find((x) => x.urn === urn)!.name);
    for (const name of approvedNames) expect(draft.items[0].bodyText).toContain(name);
    for (const name of declinedNames) expect(draft.items[0].bodyText).not.toContain(name);

    for (const urn of CAP_SCHOOLS) {
      const [mail] = await stack.mailbox.waitForCount(`sendco@${urn}.example.org`, 1);
      const decision = decisions.get(urn);
      expect(mail.subject).toMatch(decision === 'APPROVED' ? /your application is approved/ : decision === 'RESERVE' ? /reserve list/ : /was not approved/);
      expect(mail.text).toContain(reasons.get(urn));
      expect(mail.html).toBeTruthy();
    }
    // Published twice, relayed at least once: still exactly one outcome email per application.
    for (const urn of CAP_SCHOOLS) expect(stack.mailbox.to(`sendco@${urn}.example.org`).filter((m) => /Enhanced Pathways/.test(m.subject))).toHaveLength(1);
  });
});
