import type { EntityManager } from 'typeorm';
import { insertRows, writeTogether, type SqlStatement } from '@sendco/database';
import { AuditEntry } from './audit.entity';

export type AuditRecord = Pick<AuditEntry, 'subjectType' | 'subjectId' | 'action' | 'actor'> & { details?: Record<string, unknown> };

/** The INSERT of these records, for a transaction that sends its writes together (commitWithJobs' `writes`). */
export function auditInsert(manager: EntityManager, records: AuditRecord[]): SqlStatement {
  return insertRows(manager, AuditEntry, records.map((r) => ({ subjectType: r.subjectType, subjectId: r.subjectId, action: r.action, actor: r.actor, details: r.details ?? {} })));
}

/** Records state changes inside the transaction that makes them, so the log and the data never disagree. */
export async function audit(manager: EntityManager, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await writeTogether(manager, [auditInsert(manager, records)]);
}
