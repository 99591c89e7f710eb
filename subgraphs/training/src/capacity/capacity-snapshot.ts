import type { EntityManager } from 'typeorm';
import { HOLDS_PLACE } from '../bookings/place-status';
import { Place } from '../bookings/place.entity';
import type { TrainingEvent } from '../events/event.entity';
import type { Workshop } from '../events/workshop.entity';
import type { CapacitySnapshot } from './capacity';

/** Places held on the event and on each workshop. Read it under the event's row lock, or it is stale at once. */
export async function readCapacitySnapshot(manager: EntityManager, event: TrainingEvent, workshops: Workshop[]): Promise<CapacitySnapshot> {
  const rows: { workshop_id: string | null; taken: string }[] = await manager
    .getRepository(Place)
    .createQueryBuilder('p')
    .select('p.workshop_id', 'workshop_id')
    .addSelect('count(*)', 'taken')
    .where('p.event_id = :id', { id: event.id })
    .andWhere('p.status IN (:...holds)', { holds: HOLDS_PLACE })
    .groupBy('p.workshop_id')
    .getRawMany();
  const takenByWorkshop = new Map(rows.map((r) => [r.workshop_id, Number(r.taken)]));
  return {
    eventCapacity: event.capacity,
    eventTaken: rows.reduce((sum, r) => sum + Number(r.taken), 0),
    workshops: new Map(workshops.map((w) => [w.id, { capacity: w.capacity, taken: takenByWorkshop.get(w.id) ?? 0 }])),
  };
}
