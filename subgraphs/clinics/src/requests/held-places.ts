/** How many places each clinic has held: the count the capacity rule (requests/request-rules.ts hasRoom) and placesLeft use. */
import type { DataSource, EntityManager } from 'typeorm';
import { ClinicRequest } from './clinic-request.entity';
import { HOLDS_PLACE } from './request-status';

/** Places held on each clinic (REQUESTED and CONFIRMED requests). */
export async function heldPlaces(manager: EntityManager | DataSource, clinicIds: readonly string[]): Promise<number[]> {
  const rows: { clinic_id: string; held: string }[] = clinicIds.length
    ? await manager
        .getRepository(ClinicRequest)
        .createQueryBuilder('r')
        .select('r.clinic_id', 'clinic_id')
        .addSelect('count(*)', 'held')
        .where('r.clinic_id IN (:...ids)', { ids: [...clinicIds] })
        .andWhere('r.status IN (:...holds)', { holds: HOLDS_PLACE })
        .groupBy('r.clinic_id')
        .getRawMany()
    : [];
  const byId = new Map(rows.map((r) => [r.clinic_id, Number(r.held)]));
  return clinicIds.map((id) => byId.get(id) ?? 0);
}
