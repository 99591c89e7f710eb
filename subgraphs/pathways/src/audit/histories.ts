import type { DataSource } from 'typeorm';
import { auditHistoryOf, type AuditEntryView } from '@sendco/federation';

/** The subjects pathways records changes of (`subject_type` in its audit log). */
export type PathwaysAuditSubject = 'funding_round' | 'pathway_application';

/** Every recorded change of one subject, oldest first, batched per request and subject type. */
export function historyOf(context: object, dataSource: DataSource, subjectType: PathwaysAuditSubject, id: string): Promise<AuditEntryView[]> {
  return auditHistoryOf(context, dataSource, subjectType, id);
}
