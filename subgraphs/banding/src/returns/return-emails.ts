/**
 * The emails a return sends, recorded in the outbox in the transaction that changes it. They say
 * what the return is (school URN, version, numbers) and, to the school, which bands the council
 * adjusted by the school's own pupil references: never a name.
 */
import { emailJob, type BandingReturnFacts, type OutboxJob, type Recipient } from '@sendco/queue';
import type { BandingPupil } from '../pupils/pupil.entity';
import { QaVerdict } from '../pupils/pupil.entity';
import type { SampleProgress } from '../sample/sample-rule';
import type { BandingReturn } from './return.entity';

function facts(ret: BandingReturn, matrixVersion: number): BandingReturnFacts {
  return { schoolUrn: ret.schoolUrn, matrixVersion, ehcpCount: ret.ehcpCount, over25HoursCount: ret.over25HoursCount };
}

/** To the council's QA inbox. */
export function submittedEmail(ret: BandingReturn, matrixVersion: number, progress: SampleProgress, qaInbox: string, resubmitted: boolean): OutboxJob {
  return emailJob('banding-return-submitted', { name: 'SEND Banding QA', email: qaInbox }, {
    ...facts(ret, matrixVersion),
    resubmitted,
    pupils: progress.total,
    upTo25Hours: progress.upTo25Hours,
    over25Hours: progress.over25Hours,
  });
}

/** To the SENDCO who submitted the return; none when their sign-in carried no email address. */
export function decisionEmails(ret: BandingReturn, matrixVersion: number, pupils: readonly BandingPupil[]): OutboxJob[] {
  if (!ret.contactEmail) return [];
  const to: Recipient = { name: ret.contactName ?? undefined, email: ret.contactEmail };
  const adjusted = pupils
    .filter((p) => p.verdict === QaVerdict.ADJUSTED)
    .map((p) => ({ pupilRef: p.pupilRef, suggestedBand: p.band, agreedBand: p.agreedBand!, reason: p.reason ?? '' }));
  const vars = {
    ...facts(ret, matrixVersion),
    recipientName: ret.contactName ?? 'SENDCO',
    pupils: pupils.length,
    agreed: pupils.filter((p) => p.verdict === QaVerdict.AGREED).length,
    adjusted,
    comments: ret.comments ?? undefined,
  };
  return ret.status === 'APPROVED' ? [emailJob('banding-return-approved', to, vars)] : [emailJob('banding-return-returned', to, { ...vars, comments: ret.comments ?? '' })];
}
