import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per mailbox (subscription-rules.ts `mailboxKey`) with when it was last sent a
 * confirmation email. Its primary key is what makes "one per hour" hold when many sign-ups of one
 * mailbox arrive at once (aliased fields of one request): each claims the row with one
 * INSERT … ON CONFLICT DO UPDATE … WHERE, which waits for a concurrent claim and sees its result.
 */
export class ConfirmationThrottle1765000000015 implements MigrationInterface {
  name = 'ConfirmationThrottle1765000000015';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "bulletin"."confirmation_throttle" (
        "mailbox" text PRIMARY KEY,
        "sent_at" timestamptz NOT NULL
      )`);
    // Rows older than the limit decide nothing: each claim deletes a batch of them by this index.
    await queryRunner.query(`CREATE INDEX "confirmation_throttle_sent_at_idx" ON "bulletin"."confirmation_throttle" ("sent_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "bulletin"."confirmation_throttle"`);
  }
}
