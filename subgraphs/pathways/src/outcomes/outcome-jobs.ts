/**
 * What publishing a round sends, pure and unit-tested: one pathway-outcome email per submitted
 * application (to the school's contact, with the decision and reason), and one bulletin draft
 * for the Enhanced Pathways topic (approved schools named only if the round allows). Recorded in
 * the outbox in the transaction that publishes; the jobs worker sends the emails (one job per
 * application, its id derived from the application so a repeat is harmless) and the bulletin
 * subgraph makes the draft once per sourceKey.
 */
import { bulletinDraftJob, emailJob, type EmailOutboxJob, type OutboxJob } from '@sendco/queue';
import type { PathwayApplication } from '../applications/application.entity';
import { PathwayDecisionOutcome } from '../pathways.enums';
import type { FundingRound } from '../rounds/round.entity';

export const PATHWAYS_TOPIC = 'enhanced-pathways';

export function bulletinSourceKey(round: Pick<FundingRound, 'id'>): string {
  return `pathways:round:${round.id}`;
}

export function outcomeEmails(round: FundingRound, applications: readonly PathwayApplication[], schoolNames: ReadonlyMap<string, string>): EmailOutboxJob[] {
  return applications
    .filter((a) => a.decision)
    .map((a) =>
      emailJob('pathway-outcome', { name: a.contactName ?? undefined, email: a.contactEmail }, {
        roundTitle: round.title,
        schoolUrn: a.schoolUrn,
        schoolName: schoolNames.get(a.schoolUrn) ?? a.schoolUrn,
        recipientName: a.contactName ?? undefined,
        decision: a.decision!,
        reason: a.decisionReason ?? '',
        contactEmail: round.contactEmail,
      }),
    );
}

/** The bulletin item: how many pathways went to how many applicants, and the approved schools when the round says they may be named. */
export function outcomeBulletin(round: FundingRound, applications: readonly PathwayApplication[], schoolNames: ReadonlyMap<string, string>): OutboxJob {
  const approved = applications.filter((a) => a.decision === PathwayDecisionOutcome.APPROVED);
  const reserve = applications.filter((a) => a.decision === PathwayDecisionOutcome.RESERVE);
  const lines = [
    `The multi-agency board has decided ${round.title}: ${approved.length} of the ${round.pathwaysFunded} funded pathway${round.pathwaysFunded === 1 ? '' : 's'} approved from ${applications.length} application${applications.length === 1 ? '' : 's'}${reserve.length ? `, with ${reserve.length} on the reserve list` : ''}.`,
    'Every applicant school has been emailed its decision and the reason.',
  ];
  if (round.nameApprovedSchools && approved.length) {
    const names = approved.map((a) => schoolNames.get(a.schoolUrn) ?? a.schoolUrn).sort((x, y) => x.localeCompare(y));
    lines.push(`Approved schools:\n\n${names.map((n) => `- ${n}`).join('\n')}`);
  }
  return bulletinDraftJob({
    sourceKey: bulletinSourceKey(round),
    title: `Enhanced Pathways: ${round.title} decided`,
    intro: `The outcome of ${round.title}.`,
    items: [{ heading: `${round.title}: the board's decisions`, body: lines.join('\n\n'), topic: PATHWAYS_TOPIC }],
  });
}
