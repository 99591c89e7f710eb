/**
 * A permanent failure (a 5xx at send, or a bounce reported by the mail relay or an editor)
 * suppresses the address: nothing more is sent to it, and later sends count it as suppressed.
 */
import type { EntityManager } from 'typeorm';
import { audit } from '@sendco/database';
import { Subscriber } from './subscriber.entity';
import { SubscriptionStatus } from './subscriber.enums';
import { normaliseEmail } from './subscription-rules';

/** True when a subscriber with that address was found (and is now suppressed). Unknown addresses are left alone. */
export async function suppressAddress(manager: EntityManager, email: string, reason: string, actor: string, now = new Date()): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(Subscriber)
    .set({ status: SubscriptionStatus.SUPPRESSED, suppressedAt: now, suppressionReason: reason.slice(0, 500) })
    .where('email = :email', { email: normaliseEmail(email) })
    .returning(['id'])
    .execute();
  const ids = (result.raw as { id: string }[]).map((row) => row.id);
  await audit(manager, ids.map((id) => ({ subjectType: 'subscriber', subjectId: id, action: 'subscriber.suppressed', actor, details: { reason: reason.slice(0, 500) } })));
  return ids.length > 0;
}
