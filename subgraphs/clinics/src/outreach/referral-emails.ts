/** The referring school hears about every step of its referral (receipt included). */
import { emailJob, type OutboxJob } from '@sendco/queue';
import type { OutreachReferral } from './referral.entity';
import { PACKAGE_LABELS, STATUS_LABELS } from './referral.enums';

export function referralUpdateEmail(referral: OutreachReferral, note?: string | null): OutboxJob {
  return emailJob('outreach-referral-update', { name: referral.contactName ?? undefined, email: referral.contactEmail }, {
    referralId: referral.id,
    schoolUrn: referral.schoolUrn,
    packageLabel: PACKAGE_LABELS[referral.supportPackage],
    status: referral.status,
    statusLabel: STATUS_LABELS[referral.status],
    allocatedSchoolName: referral.allocatedSchoolName ?? undefined,
    note: note ?? undefined,
  });
}
