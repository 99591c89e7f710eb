import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A school's details from the national register (GIAS import): status, authority, address, dates. */
export class SchoolRegisterDetails1764700000000 implements MigrationInterface {
  name = 'SchoolRegisterDetails1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "directory"."school"
        ADD COLUMN "status" text NOT NULL DEFAULT 'OPEN' CHECK ("status" IN ('OPEN', 'OPEN_PROPOSED_TO_CLOSE', 'PROPOSED_TO_OPEN', 'CLOSED')),
        ADD COLUMN "la_code" text,
        ADD COLUMN "la_name" text,
        ADD COLUMN "establishment_type" text,
        ADD COLUMN "street" text,
        ADD COLUMN "town" text,
        ADD COLUMN "postcode" text,
        ADD COLUMN "website" text,
        ADD COLUMN "telephone" text,
        ADD COLUMN "trust" text,
        ADD COLUMN "resourced_provision" text,
        ADD COLUMN "opened_on" date,
        ADD COLUMN "closed_on" date,
        ADD COLUMN "register_seen_at" timestamptz`);
    await queryRunner.query(`CREATE INDEX "school_la_code_idx" ON "directory"."school" ("la_code")`);
    // One import at a time per database: its report compares against what the last one wrote.
    await queryRunner.query(`
      CREATE TABLE "directory"."register_import" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "la_code" text NOT NULL,
        "imported_by" text NOT NULL,
        "rows_read" int NOT NULL,
        "created" int NOT NULL,
        "updated" int NOT NULL,
        "closed" int NOT NULL,
        "unchanged" int NOT NULL,
        "skipped" int NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "directory"."register_import"`);
    await queryRunner.query(`DROP INDEX "directory"."school_la_code_idx"`);
    await queryRunner.query(`
      ALTER TABLE "directory"."school"
        DROP COLUMN "status", DROP COLUMN "la_code", DROP COLUMN "la_name", DROP COLUMN "establishment_type",
        DROP COLUMN "street", DROP COLUMN "town", DROP COLUMN "postcode", DROP COLUMN "website", DROP COLUMN "telephone",
        DROP COLUMN "trust", DROP COLUMN "resourced_provision", DROP COLUMN "opened_on", DROP COLUMN "closed_on",
        DROP COLUMN "register_seen_at"`);
  }
}
