import type { EntityManager } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { audit } from '@sendco/database';

/** The audit log's subject type for returns; pupils are recorded under their return. */
export const RETURN_SUBJECT = 'return';

/** Records a change to a return inside the transaction that makes it. */
export function auditReturnChange(manager: EntityManager, principal: Principal, returnId: string, action: string, details: Record<string, unknown> = {}): Promise<void> {
  return audit(manager, [{ subjectType: RETURN_SUBJECT, subjectId: returnId, action, actor: principal.sub, details }]);
}

/** The returns whose read each request (its GraphQL context) has recorded already. */
const readsByRequest = new WeakMap<object, Set<string>>();

/**
 * Special-category data: who read which return, when, and by which way in. With `request` (the
 * GraphQL context), a return is recorded once per request however many ways it is read (by id,
 * then its pupils, or twice under aliases): the first way in is the one kept.
 */
export function auditReturnReads(manager: EntityManager, principal: Principal, returnIds: readonly string[], via: string, request?: object): Promise<void> {
  let ids = [...new Set(returnIds)];
  if (request) {
    const recorded = readsByRequest.get(request) ?? new Set<string>();
    readsByRequest.set(request, recorded);
    ids = ids.filter((id) => !recorded.has(id));
    for (const id of ids) recorded.add(id);
  }
  if (!ids.length) return Promise.resolve();
  return audit(
    manager,
    ids.map((subjectId) => ({ subjectType: RETURN_SUBJECT, subjectId, action: 'return.read', actor: principal.sub, details: { via, roles: principal.roles } })),
  );
}
