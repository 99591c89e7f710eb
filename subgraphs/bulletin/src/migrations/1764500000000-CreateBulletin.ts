import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditTableSql } from '@sendco/database';
import { outboxTableSql } from '@sendco/queue';

export class CreateBulletin1764500000000 implements MigrationInterface {
  name = 'CreateBulletin1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "bulletin"."topic" (
        "slug" text PRIMARY KEY CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        "name" text NOT NULL,
        "description" text,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "bulletin"."subscriber" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "email" text NOT NULL CHECK ("email" = lower("email")),
        "name" text,
        "role" text,
        "school_urn" char(6),
        "topics" text[] NOT NULL DEFAULT '{}',
        "status" text NOT NULL CHECK ("status" IN ('PENDING', 'CONFIRMED', 'UNSUBSCRIBED', 'SUPPRESSED')),
        "frequency" text NOT NULL CHECK ("frequency" IN ('EACH_BULLETIN', 'WEEKLY_DIGEST')),
        "source" text NOT NULL,
        "confirmation_sent_at" timestamptz,
        "confirmed_at" timestamptz,
        "unsubscribed_at" timestamptz,
        "suppressed_at" timestamptz,
        "suppression_reason" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "subscriber_email_key" ON "bulletin"."subscriber" ("email")`);
    // The fan-out pages through one frequency's subscribers in id order.
    await queryRunner.query(`CREATE INDEX "subscriber_frequency_id_idx" ON "bulletin"."subscriber" ("frequency", "id")`);
    await queryRunner.query(`
      CREATE TABLE "bulletin"."bulletin" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "kind" text NOT NULL CHECK ("kind" IN ('ISSUE', 'DIGEST')),
        "title" text NOT NULL,
        "intro" text NOT NULL,
        "topics" text[] NOT NULL DEFAULT '{}',
        "items" jsonb NOT NULL,
        "include_upcoming" boolean NOT NULL DEFAULT false,
        "status" text NOT NULL CHECK ("status" IN ('DRAFT', 'SCHEDULED', 'SENDING', 'SENT')),
        "send_at" timestamptz,
        "schedule_version" int NOT NULL DEFAULT 0,
        "sent_at" timestamptz,
        "completed_at" timestamptz,
        "rendered" jsonb,
        "upcoming" jsonb,
        "fanout_cursor" uuid,
        "fanout_done" boolean NOT NULL DEFAULT false,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "bulletin_archive_idx" ON "bulletin"."bulletin" ("sent_at" DESC, "id") WHERE "kind" = 'ISSUE' AND "sent_at" IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "bulletin"."delivery" (
        "bulletin_id" uuid NOT NULL REFERENCES "bulletin"."bulletin"("id") ON DELETE CASCADE,
        "subscriber_id" uuid NOT NULL REFERENCES "bulletin"."subscriber"("id") ON DELETE CASCADE,
        "state" text NOT NULL CHECK ("state" IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SUPPRESSED')),
        "attempts" int NOT NULL DEFAULT 0,
        "claimed_at" timestamptz,
        "sent_at" timestamptz,
        "message_id" text,
        "last_error" text,
        PRIMARY KEY ("bulletin_id", "subscriber_id")
      )`);
    await queryRunner.query(`CREATE INDEX "delivery_bulletin_state_idx" ON "bulletin"."delivery" ("bulletin_id", "state")`);
    await queryRunner.query(`CREATE INDEX "delivery_subscriber_idx" ON "bulletin"."delivery" ("subscriber_id")`);
    await queryRunner.query(`
      CREATE TABLE "bulletin"."digest_run" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "period_end" timestamptz NOT NULL,
        "bulletin_id" uuid REFERENCES "bulletin"."bulletin"("id"),
        "upcoming_keys" text[] NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "digest_run_bulletin_idx" ON "bulletin"."digest_run" ("bulletin_id")`);
    await queryRunner.query(outboxTableSql('bulletin'));
    await queryRunner.query(auditTableSql('bulletin'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'outbox', 'digest_run', 'delivery', 'bulletin', 'subscriber', 'topic']) await queryRunner.query(`DROP TABLE "bulletin"."${table}"`);
  }
}
