/**
 * The Enhanced Pathways demo data on a fresh stack (DEMO_DATA, as the embedded default loads it):
 * one round open now with its forms, criteria and board, and one decided round whose applications
 * a newcomer can see ranked, decided and reported on.
 */
import { contractOperation, startTestStack, type TestStack } from '../support/stack';

const op = (name: string) => contractOperation('pathways.graphql', name);
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack('pathways_demo', { env: { DEMO_DATA: 'true' } });
});

afterAll(async () => {
  await stack?.stop();
});

it('shows an open round a demo school can apply to, and a decided round with its panel and report', async () => {
  const chair = await stack.token('PATHWAYS_ADMIN');
  const rounds = (await stack.gql(op('FundingRounds'), {}, chair)).data.fundingRounds;
  expect(rounds.map((r: { title: string; status: string }) => [r.title, r.status])).toEqual([
    ['Enhanced Pathways: a further 20 pathways', 'OPEN'],
    ['Enhanced Pathways: pilot round', 'DECIDED'],
  ]);
  const [open, decided] = rounds;

  const form = (await stack.gql(op('FundingRound'), { id: open.id }, chair)).data.fundingRound;
  expect(form.criteria.length).toBe(4);
  expect(form.cohortQuestions.map((q: { key: string }) => q.key)).toEqual(['yearGroup', 'primaryNeed', 'ehcp']);
  const sendco = await stack.token('SENDCO', { schoolUrn: '900001', email: 'sendco@900001.example.org' });
  const started = await stack.gql(op('StartPathwayApplication'), { roundId: open.id, schoolUrn: '900001' }, sendco);
  expect(started.errors).toBeUndefined();
  expect(started.data.startPathwayApplication.status).toBe('DRAFT');

  const panel = (await stack.gql(op('FundingRoundPanel'), { id: decided.id }, chair)).data.fundingRound;
  expect(panel.boardMembers).toHaveLength(3);
  expect(panel.panel.map((row: { rank: number; application: { decision: string } }) => [row.rank, row.application.decision])).toEqual([
    [1, 'APPROVED'],
    [2, 'APPROVED'],
    [3, 'RESERVE'],
    [4, 'DECLINED'],
  ]);
  const report = (await stack.gql(op('FundingRoundReport'), { id: decided.id }, chair)).data.fundingRound.report;
  expect(report.byDecision).toEqual([
    { outcome: 'APPROVED', count: 2 },
    { outcome: 'DECLINED', count: 1 },
    { outcome: 'RESERVE', count: 1 },
  ]);
  const own = (await stack.gql(op('SchoolPathwayApplications'), { urn: '900001' }, sendco)).data.school.pathwayApplications;
  expect(own.map((a: { fundingRound: { status: string }; decision: string | null }) => [a.fundingRound.status, a.decision])).toEqual(
    expect.arrayContaining([['DECIDED', 'APPROVED'], ['OPEN', null]]),
  );
});
