import type { DataSource } from 'typeorm';
import { auditHistoryOf, type AuditEntryView } from '@sendco/federation';

/** The subjects clinics records changes of (`subject_type` in its audit log). */
export type ClinicsAuditSubject = 'clinic' | 'clinic_request' | 'clinic_theme' | 'outreach_referral';

/** Every recorded change of one subject, oldest first, batched per request and subject type. */
export function historyOf(context: object, dataSource: DataSource, subjectType: ClinicsAuditSubject, id: string): Promise<AuditEntryView[]> {
  return auditHistoryOf(context, dataSource, subjectType, id);
}
