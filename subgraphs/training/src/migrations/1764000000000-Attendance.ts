import type { MigrationInterface, QueryRunner } from 'typeorm';

/** CPD certificates: one per attended place, ever, so recording attendance again sends no second one. */
export class Attendance1764000000000 implements MigrationInterface {
  name = 'Attendance1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "training"."certificate" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "serial" bigserial NOT NULL UNIQUE,
        "place_id" uuid NOT NULL UNIQUE REFERENCES "training"."place"("id") ON DELETE CASCADE,
        "event_id" uuid NOT NULL REFERENCES "training"."event"("id"),
        "delegate_name" text NOT NULL,
        "cpd_hours" numeric(4,1) NOT NULL,
        "issued_by" text NOT NULL,
        "issued_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "certificate_event_idx" ON "training"."certificate" ("event_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "training"."certificate"`);
  }
}
