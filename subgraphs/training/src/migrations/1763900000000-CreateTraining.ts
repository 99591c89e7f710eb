import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableSql } from '@sendco/queue';
import { auditTableSql } from '@sendco/database';

export class CreateTraining1763900000000 implements MigrationInterface {
  name = 'CreateTraining1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "training"."event" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "title" text NOT NULL,
        "category" text NOT NULL,
        "summary" text,
        "starts_at" timestamptz NOT NULL,
        "ends_at" timestamptz NOT NULL,
        "format" text NOT NULL,
        "venue_name" text,
        "venue_address" text,
        "venue_postcode" text,
        "joining_url" text,
        "capacity" int NOT NULL CHECK ("capacity" >= 0),
        "booking_closes_at" timestamptz,
        "cancellation_deadline" timestamptz,
        "cpd_hours" numeric(4,1) NOT NULL DEFAULT 0,
        "audience" text[] NOT NULL DEFAULT '{}',
        "price_per_delegate_pence" int NOT NULL DEFAULT 0 CHECK ("price_per_delegate_pence" >= 0),
        "status" text NOT NULL DEFAULT 'DRAFT',
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CHECK ("ends_at" > "starts_at")
      )`);
    await queryRunner.query(`CREATE INDEX "event_status_starts_idx" ON "training"."event" ("status", "starts_at", "id")`);
    await queryRunner.query(`
      CREATE TABLE "training"."workshop" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "event_id" uuid NOT NULL REFERENCES "training"."event"("id") ON DELETE CASCADE,
        "title" text NOT NULL,
        "phase" text NOT NULL,
        "capacity" int NOT NULL CHECK ("capacity" >= 0),
        "position" int NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`CREATE INDEX "workshop_event_idx" ON "training"."workshop" ("event_id")`);
    await queryRunner.query(`
      CREATE TABLE "training"."booking" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "reference" text NOT NULL UNIQUE,
        "event_id" uuid NOT NULL REFERENCES "training"."event"("id"),
        "school_urn" char(6) NOT NULL,
        "purchase_order" text,
        "idempotency_key" text,
        "booked_by" text NOT NULL,
        "booker_name" text,
        "booker_email" text,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "booking_event_idx" ON "training"."booking" ("event_id")`);
    await queryRunner.query(`CREATE INDEX "booking_school_idx" ON "training"."booking" ("school_urn")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "booking_idempotency_key" ON "training"."booking" ("school_urn", "idempotency_key") WHERE idempotency_key IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "training"."place" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "booking_id" uuid NOT NULL REFERENCES "training"."booking"("id") ON DELETE CASCADE,
        "event_id" uuid NOT NULL REFERENCES "training"."event"("id"),
        "workshop_id" uuid REFERENCES "training"."workshop"("id"),
        "school_urn" char(6) NOT NULL,
        "delegate_name" text NOT NULL,
        "delegate_email" text NOT NULL,
        "job_title" text,
        "access_requirements" text,
        "dietary_requirements" text,
        "status" text NOT NULL CHECK ("status" IN ('CONFIRMED', 'WAITLISTED', 'CANCELLED', 'ATTENDED', 'NO_SHOW')),
        "queue_seq" bigserial NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "place_booking_idx" ON "training"."place" ("booking_id")`);
    await queryRunner.query(`CREATE INDEX "place_event_status_idx" ON "training"."place" ("event_id", "status")`);
    await queryRunner.query(`CREATE INDEX "place_workshop_idx" ON "training"."place" ("workshop_id")`);
    await queryRunner.query(auditTableSql('training'));
    await queryRunner.query(outboxTableSql('training'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'audit_log', 'place', 'booking', 'workshop', 'event']) {
      await queryRunner.query(`DROP TABLE "training"."${table}"`);
    }
  }
}
