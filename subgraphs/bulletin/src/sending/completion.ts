import type { EntityManager } from 'typeorm';
import { BulletinStatus } from '../bulletins/bulletin.enums';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Delivery, DeliveryState } from './delivery.entity';

/**
 * A bulletin is SENT once its fan-out has finished and no delivery is still to send. Checked
 * after every delivery that ends (and after the fan-out); the status condition makes the last
 * of several concurrent checks the only one that changes anything.
 */
export async function completeIfDone(manager: EntityManager, bulletinId: string, now = new Date()): Promise<boolean> {
  const stillToSend = manager
    .getRepository(Delivery)
    .createQueryBuilder('d')
    .select('1')
    .where('d.bulletin_id = :bulletinId')
    .andWhere('d.state IN (:...open)');
  const result = await manager
    .createQueryBuilder()
    .update(Bulletin)
    .set({ status: BulletinStatus.SENT, completedAt: now })
    .where('id = :bulletinId AND status = :sending AND fanout_done')
    .andWhere(`NOT EXISTS (${stillToSend.getQuery()})`)
    .setParameters({ bulletinId, sending: BulletinStatus.SENDING, open: [DeliveryState.PENDING, DeliveryState.SENDING] })
    .execute();
  return (result.affected ?? 0) > 0;
}
