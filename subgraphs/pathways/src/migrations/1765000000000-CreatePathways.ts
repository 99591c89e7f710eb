import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditTableSql } from '@sendco/database';
import { outboxTableSql } from '@sendco/queue';

export class CreatePathways1765000000000 implements MigrationInterface {
  name = 'CreatePathways1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "pathways"."funding_round" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "title" text NOT NULL,
        "description" text NOT NULL,
        "pathways_funded" int NOT NULL CHECK ("pathways_funded" >= 1),
        "opens_at" timestamptz NOT NULL,
        "closes_at" timestamptz NOT NULL,
        "board_dates" jsonb NOT NULL DEFAULT '[]',
        "criteria" jsonb NOT NULL DEFAULT '[]',
        "application_questions" jsonb NOT NULL DEFAULT '[]',
        "cohort_questions" jsonb NOT NULL DEFAULT '[]',
        "contact_email" text NOT NULL,
        "name_approved_schools" boolean NOT NULL DEFAULT false,
        "status" text NOT NULL DEFAULT 'DRAFT' CHECK ("status" IN ('DRAFT', 'OPEN', 'CLOSED', 'DECIDED')),
        "published_at" timestamptz,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CHECK ("closes_at" > "opens_at")
      )`);
    await queryRunner.query(`CREATE INDEX "funding_round_status_idx" ON "pathways"."funding_round" ("status", "opens_at")`);
    await queryRunner.query(`
      CREATE TABLE "pathways"."pathway_application" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "round_id" uuid NOT NULL REFERENCES "pathways"."funding_round"("id"),
        "school_urn" char(6) NOT NULL,
        "status" text NOT NULL DEFAULT 'DRAFT' CHECK ("status" IN ('DRAFT', 'SUBMITTED', 'WITHDRAWN')),
        "answers" jsonb NOT NULL DEFAULT '[]',
        "cohort" jsonb NOT NULL DEFAULT '[]',
        "contact_email" text NOT NULL,
        "contact_name" text,
        "submitted_at" timestamptz,
        "withdrawn_at" timestamptz,
        "withdrawn_reason" text,
        "decision" text CHECK ("decision" IN ('APPROVED', 'DECLINED', 'RESERVE')),
        "decision_reason" text,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "pathway_application_round_school_key" ON "pathways"."pathway_application" ("round_id", "school_urn")`);
    await queryRunner.query(`CREATE INDEX "pathway_application_school_idx" ON "pathways"."pathway_application" ("school_urn")`);
    await queryRunner.query(`
      CREATE TABLE "pathways"."board_member" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "round_id" uuid NOT NULL REFERENCES "pathways"."funding_round"("id"),
        "member_sub" text NOT NULL,
        "name" text NOT NULL,
        "agency" text,
        "added_by" text NOT NULL,
        "added_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "board_member_round_sub_key" ON "pathways"."board_member" ("round_id", "member_sub")`);
    await queryRunner.query(`
      CREATE TABLE "pathways"."board_score" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "round_id" uuid NOT NULL REFERENCES "pathways"."funding_round"("id"),
        "application_id" uuid NOT NULL REFERENCES "pathways"."pathway_application"("id"),
        "member_sub" text NOT NULL,
        "scores" jsonb NOT NULL,
        "comment" text NOT NULL,
        "scored_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "board_score_application_sub_key" ON "pathways"."board_score" ("application_id", "member_sub")`);
    await queryRunner.query(`CREATE INDEX "board_score_round_idx" ON "pathways"."board_score" ("round_id")`);
    await queryRunner.query(`
      CREATE TABLE "pathways"."board_conflict" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "round_id" uuid NOT NULL REFERENCES "pathways"."funding_round"("id"),
        "application_id" uuid NOT NULL REFERENCES "pathways"."pathway_application"("id"),
        "member_sub" text NOT NULL,
        "reason" text NOT NULL,
        "declared_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "board_conflict_application_sub_key" ON "pathways"."board_conflict" ("application_id", "member_sub")`);
    await queryRunner.query(`CREATE INDEX "board_conflict_round_idx" ON "pathways"."board_conflict" ("round_id")`);
    await queryRunner.query(`
      CREATE TABLE "pathways"."pathway_decision" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "application_id" uuid NOT NULL REFERENCES "pathways"."pathway_application"("id"),
        "round_id" uuid NOT NULL REFERENCES "pathways"."funding_round"("id"),
        "outcome" text NOT NULL CHECK ("outcome" IN ('APPROVED', 'DECLINED', 'RESERVE')),
        "reason" text NOT NULL,
        "decided_by" text NOT NULL,
        "decided_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "pathway_decision_application_idx" ON "pathways"."pathway_decision" ("application_id")`);
    await queryRunner.query(`CREATE INDEX "pathway_decision_round_idx" ON "pathways"."pathway_decision" ("round_id")`);
    await queryRunner.query(auditTableSql('pathways'));
    await queryRunner.query(outboxTableSql('pathways'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'audit_log', 'pathway_decision', 'board_conflict', 'board_score', 'board_member', 'pathway_application', 'funding_round'])
      await queryRunner.query(`DROP TABLE IF EXISTS "pathways"."${table}"`);
  }
}
