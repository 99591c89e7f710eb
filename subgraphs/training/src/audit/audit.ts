import type { EntityManager } from 'typeorm';
import { AuditEntry } from './audit.entity';

export type AuditRecord = Pick<AuditEntry, 'subjectType' | 'subjectId' | 'action' | 'actor'> & { details?: Record<string, unknown> };

/** Records state changes inside the transaction that makes them, so the log and the data never disagree. */
export async function audit(manager: EntityManager, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await manager.getRepository(AuditEntry).insert(records.map((r) => ({ ...r, details: (r.details ?? {}) as never })));
}
