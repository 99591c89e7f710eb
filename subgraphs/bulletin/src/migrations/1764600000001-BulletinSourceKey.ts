import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Drafts other services ask for (`bulletin-draft` jobs): one bulletin per source key. */
export class BulletinSourceKey1764600000001 implements MigrationInterface {
  name = 'BulletinSourceKey1764600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bulletin"."bulletin" ADD COLUMN "source_key" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "bulletin_source_key_key" ON "bulletin"."bulletin" ("source_key")`);
    // The editors' list of drafts, newest first.
    await queryRunner.query(`CREATE INDEX "bulletin_drafts_idx" ON "bulletin"."bulletin" ("created_at" DESC, "id") WHERE "status" = 'DRAFT'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "bulletin"."bulletin_drafts_idx"`);
    await queryRunner.query(`DROP INDEX "bulletin"."bulletin_source_key_key"`);
    await queryRunner.query(`ALTER TABLE "bulletin"."bulletin" DROP COLUMN "source_key"`);
  }
}
