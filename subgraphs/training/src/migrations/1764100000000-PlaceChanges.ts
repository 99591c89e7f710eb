import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cancellations, delegate swaps, calendar updates and reminders. */
export class PlaceChanges1764100000000 implements MigrationInterface {
  name = 'PlaceChanges1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "training"."event"
        ADD COLUMN "reminder_hours_before" int NOT NULL DEFAULT 48 CHECK ("reminder_hours_before" BETWEEN 0 AND 720),
        ADD COLUMN "cancelled_reason" text`);
    await queryRunner.query(`
      ALTER TABLE "training"."place"
        ADD COLUMN "invite_sequence" int NOT NULL DEFAULT 0,
        ADD COLUMN "reminded_at" timestamptz,
        ADD COLUMN "cancelled_reason" text`);
    // The waiting list is read oldest first, per event, on every freed place.
    await queryRunner.query(`CREATE INDEX "place_waitlist_idx" ON "training"."place" ("event_id", "queue_seq") WHERE status = 'WAITLISTED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "training"."place_waitlist_idx"`);
    await queryRunner.query(`ALTER TABLE "training"."place" DROP COLUMN "invite_sequence", DROP COLUMN "reminded_at", DROP COLUMN "cancelled_reason"`);
    await queryRunner.query(`ALTER TABLE "training"."event" DROP COLUMN "reminder_hours_before", DROP COLUMN "cancelled_reason"`);
  }
}
