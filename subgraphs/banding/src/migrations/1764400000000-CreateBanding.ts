import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditTableSql } from '@sendco/database';
import { outboxTableSql } from '@sendco/queue';

export class CreateBanding1764400000000 implements MigrationInterface {
  name = 'CreateBanding1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "banding"."matrix_version" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "version" int NOT NULL UNIQUE CHECK ("version" >= 1),
        "level_points" int[] NOT NULL,
        "published_at" timestamptz NOT NULL DEFAULT now(),
        "published_by" text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "banding"."matrix_area" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "matrix_id" uuid NOT NULL REFERENCES "banding"."matrix_version"("id") ON DELETE CASCADE,
        "key" text NOT NULL,
        "name" text NOT NULL,
        "position" int NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "matrix_area_key" ON "banding"."matrix_area" ("matrix_id", "key")`);
    await queryRunner.query(`
      CREATE TABLE "banding"."matrix_level" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "area_id" uuid NOT NULL REFERENCES "banding"."matrix_area"("id") ON DELETE CASCADE,
        "level" int NOT NULL CHECK ("level" >= 0),
        "descriptor" text NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "matrix_level_area_level" ON "banding"."matrix_level" ("area_id", "level")`);
    await queryRunner.query(`
      CREATE TABLE "banding"."matrix_band" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "matrix_id" uuid NOT NULL REFERENCES "banding"."matrix_version"("id") ON DELETE CASCADE,
        "band" int NOT NULL CHECK ("band" >= 1),
        "label" text NOT NULL,
        "description" text NOT NULL,
        "min_score" int NOT NULL CHECK ("min_score" >= 0),
        "primary_need_level" int
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "matrix_band_band" ON "banding"."matrix_band" ("matrix_id", "band")`);
    await queryRunner.query(`
      CREATE TABLE "banding"."banding_return" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "matrix_id" uuid NOT NULL REFERENCES "banding"."matrix_version"("id"),
        "school_urn" char(6) NOT NULL,
        "school_phase" text NOT NULL,
        "ehcp_count" int NOT NULL CHECK ("ehcp_count" >= 0),
        "over25_hours_count" int NOT NULL CHECK ("over25_hours_count" >= 0 AND "over25_hours_count" <= "ehcp_count"),
        "status" text NOT NULL CHECK ("status" IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED')),
        "contact_email" text,
        "contact_name" text,
        "started_by" text NOT NULL,
        "qa_comments" text,
        "decided_by" text,
        "submitted_at" timestamptz,
        "decided_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "return_school_matrix" ON "banding"."banding_return" ("school_urn", "matrix_id")`);
    await queryRunner.query(`CREATE INDEX "return_matrix_status_idx" ON "banding"."banding_return" ("matrix_id", "status")`);
    await queryRunner.query(`CREATE INDEX "return_waiting_idx" ON "banding"."banding_return" ("submitted_at", "id") WHERE status = 'SUBMITTED'`);
    await queryRunner.query(`
      CREATE TABLE "banding"."banding_pupil" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "return_id" uuid NOT NULL REFERENCES "banding"."banding_return"("id") ON DELETE CASCADE,
        "pupil_ref" text NOT NULL,
        "year_group" smallint NOT NULL CHECK ("year_group" BETWEEN 0 AND 13),
        "weekly_support_hours" numeric(4,1) NOT NULL CHECK ("weekly_support_hours" >= 0),
        "primary_need" text NOT NULL,
        "levels" jsonb NOT NULL,
        "evidence" text,
        "suggested_band" int NOT NULL,
        "qa_verdict" text CHECK ("qa_verdict" IN ('AGREED', 'ADJUSTED')),
        "agreed_band" int,
        "qa_reason" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CHECK (("qa_verdict" IS NULL) = ("agreed_band" IS NULL))
      )`);
    // Also serves "pupils of a return" (its leading column).
    await queryRunner.query(`CREATE UNIQUE INDEX "pupil_return_ref" ON "banding"."banding_pupil" ("return_id", "pupil_ref")`);
    await queryRunner.query(auditTableSql('banding'));
    await queryRunner.query(outboxTableSql('banding'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'audit_log', 'banding_pupil', 'banding_return', 'matrix_band', 'matrix_level', 'matrix_area', 'matrix_version']) {
      await queryRunner.query(`DROP TABLE "banding"."${table}"`);
    }
  }
}
