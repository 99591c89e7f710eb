import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSchool1763900000000 implements MigrationInterface {
  name = 'CreateSchool1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "directory"."school" (
        "urn" char(6) PRIMARY KEY CHECK ("urn" ~ '^[0-9]{6}$'),
        "name" text NOT NULL,
        "phase" text NOT NULL,
        "ehcp_count" int NOT NULL DEFAULT 0 CHECK ("ehcp_count" >= 0),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "directory"."school"`);
  }
}
