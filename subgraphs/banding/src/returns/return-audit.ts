import type { EntityManager } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { audit } from '@sendco/database';

/** The audit log's subject type for returns; pupils are recorded under their return. */
export const RETURN_SUBJECT = 'return';

/** Records a change to a return inside the transaction that makes it. */
export function auditReturnChange(manager: EntityManager, principal: Principal, returnId: string, action: string, details: Record<string, unknown> = {}): Promise<void> {
  return audit(manager, [{ subjectType: RETURN_SUBJECT, subjectId: returnId, action, actor: principal.sub, details }]);
}

/** Special-category data: who read which return, when, and by which way in. */
export function auditReturnReads(manager: EntityManager, principal: Principal, returnIds: readonly string[], via: string): Promise<void> {
  return audit(
    manager,
    returnIds.map((subjectId) => ({ subjectType: RETURN_SUBJECT, subjectId, action: 'return.read', actor: principal.sub, details: { via, roles: principal.roles } })),
  );
}
