import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditTableSql } from '@sendco/database';
import { outboxTableSql } from '@sendco/queue';

/** The themes the council's briefing names: the managed list starts with them (ADMIN adds more). */
export const FIRST_THEMES = [
  ['Sensory processing', 'Understanding sensory needs and adapting the environment and the day.'],
  ['SEMH strategies', 'Social, emotional and mental health: regulation, relationships and practical classroom strategies.'],
  ['EHCP support', 'Requests for assessment, outcomes, provision and annual reviews.'],
  ['Restorative approaches', 'Repairing harm and rebuilding relationships: restorative conversations and practice.'],
];

export class CreateClinics1764300000000 implements MigrationInterface {
  name = 'CreateClinics1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "clinics"."theme" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "name" text NOT NULL UNIQUE,
        "description" text,
        "active" boolean NOT NULL DEFAULT true,
        "position" int NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "theme_name_lower_key" ON "clinics"."theme" (lower("name"))`);
    for (const [i, [name, description]] of FIRST_THEMES.entries()) {
      await queryRunner.query(`INSERT INTO "clinics"."theme" ("name", "description", "position") VALUES ($1, $2, $3)`, [name, description, i + 1]);
    }
    await queryRunner.query(`
      CREATE TABLE "clinics"."clinic" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "theme" text NOT NULL REFERENCES "clinics"."theme"("name") ON UPDATE CASCADE,
        "description" text NOT NULL,
        "delivering_school_urn" char(6) NOT NULL,
        "mode" text NOT NULL CHECK ("mode" IN ('FACE_TO_FACE', 'ONLINE')),
        "location_name" text,
        "location_address" text,
        "location_postcode" text,
        "joining_url" text,
        "starts_at" timestamptz NOT NULL,
        "ends_at" timestamptz NOT NULL,
        "capacity" int NOT NULL CHECK ("capacity" >= 1),
        "contact_email" text NOT NULL,
        "booking_questions" jsonb NOT NULL DEFAULT '[]',
        "status" text NOT NULL DEFAULT 'SCHEDULED' CHECK ("status" IN ('SCHEDULED', 'CANCELLED')),
        "cancelled_reason" text,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CHECK ("ends_at" > "starts_at")
      )`);
    await queryRunner.query(`CREATE INDEX "clinic_status_starts_idx" ON "clinics"."clinic" ("status", "starts_at", "id")`);
    await queryRunner.query(`CREATE INDEX "clinic_school_idx" ON "clinics"."clinic" ("delivering_school_urn")`);
    await queryRunner.query(`CREATE INDEX "clinic_theme_idx" ON "clinics"."clinic" ("theme")`);
    await queryRunner.query(`
      CREATE TABLE "clinics"."clinic_request" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "clinic_id" uuid NOT NULL REFERENCES "clinics"."clinic"("id"),
        "school_urn" char(6) NOT NULL,
        "attendee_name" text NOT NULL,
        "attendee_email" text NOT NULL,
        "attendee_role" text,
        "answers" jsonb NOT NULL DEFAULT '[]',
        "status" text NOT NULL CHECK ("status" IN ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED')),
        "decision_message" text,
        "decided_at" timestamptz,
        "cancelled_reason" text,
        "invite_sequence" int NOT NULL DEFAULT 0,
        "requested_by" text NOT NULL,
        "requester_name" text,
        "requester_email" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "clinic_request_clinic_status_idx" ON "clinics"."clinic_request" ("clinic_id", "status")`);
    await queryRunner.query(`CREATE INDEX "clinic_request_school_idx" ON "clinics"."clinic_request" ("school_urn")`);
    // One place per attendee per clinic, whatever the timing of two submissions.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "clinic_request_one_active_per_attendee" ON "clinics"."clinic_request" ("clinic_id", "attendee_email") WHERE "status" IN ('REQUESTED', 'CONFIRMED')`,
    );
    await queryRunner.query(`
      CREATE TABLE "clinics"."outreach_referral" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "school_urn" char(6) NOT NULL,
        "package" text NOT NULL CHECK ("package" IN ('LEADERSHIP', 'KEY_WORKER_DEVELOPMENT', 'BESPOKE')),
        "needs_summary" text NOT NULL,
        "contact_name" text,
        "contact_email" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('RECEIVED', 'ALLOCATED', 'IN_PROGRESS', 'CLOSED')),
        "allocated_school_urn" char(6),
        "allocated_school_name" text,
        "referred_by" text NOT NULL,
        "received_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "outreach_referral_school_idx" ON "clinics"."outreach_referral" ("school_urn")`);
    await queryRunner.query(`CREATE INDEX "outreach_referral_allocated_idx" ON "clinics"."outreach_referral" ("allocated_school_urn")`);
    await queryRunner.query(`CREATE INDEX "outreach_referral_received_idx" ON "clinics"."outreach_referral" ("received_at", "id")`);
    await queryRunner.query(`
      CREATE TABLE "clinics"."outreach_referral_update" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "referral_id" uuid NOT NULL REFERENCES "clinics"."outreach_referral"("id"),
        "status" text NOT NULL,
        "allocated_school_urn" char(6),
        "note" text,
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "outreach_referral_update_referral_idx" ON "clinics"."outreach_referral_update" ("referral_id")`);
    await queryRunner.query(auditTableSql('clinics'));
    await queryRunner.query(outboxTableSql('clinics'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'audit_log', 'outreach_referral_update', 'outreach_referral', 'clinic_request', 'clinic', 'theme']) {
      await queryRunner.query(`DROP TABLE "clinics"."${table}"`);
    }
  }
}
