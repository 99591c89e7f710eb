import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly digest respects readers' topics (one digest bulletin per set of topics, its readers
 * in `audience_topics`) and runs once per cron slot (`digest_run.slot`, unique).
 */
export class DigestSlots1764600000000 implements MigrationInterface {
  name = 'DigestSlots1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bulletin"."bulletin" ADD COLUMN "audience_topics" text[]`);
    await queryRunner.query(`
      ALTER TABLE "bulletin"."digest_run"
        ADD COLUMN "slot" timestamptz,
        ADD COLUMN "bulletin_ids" uuid[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`UPDATE "bulletin"."digest_run" SET "bulletin_ids" = ARRAY["bulletin_id"] WHERE "bulletin_id" IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "digest_run_slot_key" ON "bulletin"."digest_run" ("slot")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "bulletin"."digest_run_slot_key"`);
    await queryRunner.query(`ALTER TABLE "bulletin"."digest_run" DROP COLUMN "slot", DROP COLUMN "bulletin_ids"`);
    await queryRunner.query(`ALTER TABLE "bulletin"."bulletin" DROP COLUMN "audience_topics"`);
  }
}
