import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every booking asks, holding the event's row lock, whether its delegates already hold or wait
 * for a place on the event (bookings/booking-state.ts, `already_booked`). With only
 * `place_event_status_idx` that read visits every active place of the event, so it grew with the
 * waiting list under the lock that serialises the event's bookings (BENCHMARKS.md, issue 17:
 * 0.06 ms with 500 places, 0.5 ms with 5,000, 1.9 ms with 20,000). This index answers it from the
 * delegates' addresses alone, whatever the list's length.
 */
export class PlaceEventEmailIndex1764720000000 implements MigrationInterface {
  name = 'PlaceEventEmailIndex1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "place_event_email_idx" ON "training"."place" ("event_id", "delegate_email")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "training"."place_event_email_idx"`);
  }
}
