/**
 * Demo Enhanced Pathways data for trying the product (loaded into an empty table; see DEMO_DATA):
 * one round open now (window three weeks around today, with its forms, criteria and a board),
 * and one round decided last term (applications from the directory's demo schools, scored,
 * decided and published), so a newcomer sees the whole flow. Names and reasons are invented.
 */
import type { DataSource } from 'typeorm';
import { FormQuestionType, type FormQuestionDefinition } from '@sendco/forms';
import { PathwayApplication } from './applications/application.entity';
import { BoardMember, BoardScore } from './board/board.entities';
import { PathwayDecision } from './decisions/decision.entity';
import { FundingRoundStatus, PathwayApplicationStatus, PathwayDecisionOutcome } from './pathways.enums';
import { FundingRound, type ScoringCriterion } from './rounds/round.entity';

const DAY = 24 * 3600 * 1000;

export const DEMO_CRITERIA: ScoringCriterion[] = [
  { key: 'need', label: 'Evidence of need in the proposed cohort', weight: 3, maxScore: 5 },
  { key: 'provision', label: 'Quality of the planned provision', weight: 2, maxScore: 5 },
  { key: 'outcomes', label: 'Outcomes and how they will be measured', weight: 2, maxScore: 5 },
  { key: 'sustainability', label: 'Sustainability beyond the funded year', weight: 1, maxScore: 5 },
];

export const DEMO_APPLICATION_FORM: FormQuestionDefinition[] = [
  { key: 'summary', label: 'Summarise the pathway you propose (please do not name pupils)', required: true, type: FormQuestionType.LONG_TEXT },
  { key: 'lead', label: 'Who will lead the pathway in school?', required: true, type: FormQuestionType.SHORT_TEXT },
  { key: 'startDate', label: 'When could the pathway start?', required: true, type: FormQuestionType.DATE },
  { key: 'partnered', label: 'Will you work with a special school?', required: false, type: FormQuestionType.YES_NO },
];

export const DEMO_COHORT_FORM: FormQuestionDefinition[] = [
  { key: 'yearGroup', label: 'Year group', required: true, type: FormQuestionType.NUMBER, min: 0, max: 14, integer: true },
  { key: 'primaryNeed', label: 'Primary area of need', required: true, type: FormQuestionType.CHOICE, choices: ['Communication and interaction', 'Cognition and learning', 'SEMH', 'Sensory and/or physical'] },
  { key: 'ehcp', label: 'Has an EHCP?', required: true, type: FormQuestionType.YES_NO },
];

const DEMO_BOARD = [
  { memberSub: 'demo-board-education', name: 'Education representative', agency: 'Education' },
  { memberSub: 'demo-board-health', name: 'Health representative', agency: 'Health' },
  { memberSub: 'demo-board-care', name: 'Social care representative', agency: 'Social care' },
];

const londonDay = (at: Date) => at.toISOString().slice(0, 10);

export function demoRounds(now: Date): Partial<FundingRound>[] {
  const base = { criteria: DEMO_CRITERIA, applicationQuestions: DEMO_APPLICATION_FORM, cohortQuestions: DEMO_COHORT_FORM, createdBy: 'demo-data', contactEmail: 'enhanced-pathways@council.example.org' };
  return [
    {
      ...base,
      title: 'Enhanced Pathways: a further 20 pathways',
      description: 'Funding for a further 20 Enhanced Pathways. Complete the application form and the cohort form (one row per pupil, by your own pupil reference) during the window; the multi-agency board decides by the end of February.',
      pathwaysFunded: 20,
      opensAt: new Date(now.getTime() - 7 * DAY),
      closesAt: new Date(now.getTime() + 14 * DAY),
      boardDates: [londonDay(new Date(now.getTime() + 28 * DAY))],
      status: FundingRoundStatus.OPEN,
      nameApprovedSchools: false,
    },
    {
      ...base,
      title: 'Enhanced Pathways: pilot round',
      description: 'The pilot round: four pathways.',
      pathwaysFunded: 4,
      opensAt: new Date(now.getTime() - 150 * DAY),
      closesAt: new Date(now.getTime() - 130 * DAY),
      boardDates: [londonDay(new Date(now.getTime() - 120 * DAY))],
      status: FundingRoundStatus.DECIDED,
      publishedAt: new Date(now.getTime() - 118 * DAY),
      nameApprovedSchools: true,
    },
  ];
}

/** The decided round's applications: the directory's demo mainstream schools. */
const DECIDED = [
  { urn: '900001', outcome: PathwayDecisionOutcome.APPROVED, reason: 'A clear, well-evidenced cohort and a strong partnership with a special school.', scores: [5, 4, 4, 3] },
  { urn: '900002', outcome: PathwayDecisionOutcome.APPROVED, reason: 'Strong outcomes plan; the board asks for termly reviews.', scores: [4, 4, 5, 3] },
  { urn: '900003', outcome: PathwayDecisionOutcome.RESERVE, reason: 'A good application; on the reserve list should a funded school not go ahead.', scores: [3, 3, 3, 3] },
  { urn: '900005', outcome: PathwayDecisionOutcome.DECLINED, reason: 'The cohort is already supported through existing provision.', scores: [2, 3, 2, 2] },
];

export async function seedDemoPathways(dataSource: DataSource, now: Date = new Date()): Promise<void> {
  await dataSource.transaction(async (manager) => {
    if ((await manager.getRepository(FundingRound).count()) > 0) return;
    const [open, decided] = await manager.getRepository(FundingRound).save(demoRounds(now).map((r) => manager.getRepository(FundingRound).create(r)));
    for (const round of [open, decided]) await manager.getRepository(BoardMember).save(DEMO_BOARD.map((m) => ({ ...m, roundId: round.id, addedBy: 'demo-data' })));
    for (const [i, d] of DECIDED.entries()) {
      const application = await manager.getRepository(PathwayApplication).save({
        roundId: decided.id,
        schoolUrn: d.urn,
        status: PathwayApplicationStatus.SUBMITTED,
        answers: [
          { key: 'summary', label: DEMO_APPLICATION_FORM[0].label, value: 'A nurture-based pathway for pupils in Years 5 and 6, with weekly outreach from a special school.' },
          { key: 'lead', label: DEMO_APPLICATION_FORM[1].label, value: 'The SENDCO' },
          { key: 'startDate', label: DEMO_APPLICATION_FORM[2].label, value: londonDay(new Date(now.getTime() - 100 * DAY)) },
        ],
        cohort: [1, 2, 3].map((n) => ({
          pupilRef: `P${d.urn.slice(-2)}${String(n).padStart(2, '0')}`,
          answers: [
            { key: 'yearGroup', label: 'Year group', value: String(4 + n) },
            { key: 'primaryNeed', label: 'Primary area of need', value: n === 2 ? 'SEMH' : 'Communication and interaction' },
            { key: 'ehcp', label: 'Has an EHCP?', value: n === 3 ? 'no' : 'yes' },
          ],
        })),
        contactEmail: `sendco@${d.urn}.demo.example.org`,
        contactName: 'The SENDCO',
        submittedAt: new Date(now.getTime() - (140 - i) * DAY),
        decision: d.outcome,
        decisionReason: d.reason,
        createdBy: 'demo-data',
      });
      await manager.getRepository(BoardScore).save(
        DEMO_BOARD.map((m, j) => ({
          roundId: decided.id,
          applicationId: application.id,
          memberSub: m.memberSub,
          scores: DEMO_CRITERIA.map((c, k) => ({ criterion: c.key, score: Math.max(0, Math.min(c.maxScore, d.scores[k] + (j === 1 ? -1 : 0))) })),
          comment: 'Scored at the board.',
        })),
      );
      await manager.getRepository(PathwayDecision).save({ applicationId: application.id, roundId: decided.id, outcome: d.outcome, reason: d.reason, decidedBy: 'demo-data' });
    }
  });
}
