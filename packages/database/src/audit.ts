/**
 * The audit log every subgraph keeps in its own schema: who changed (or, for special-category
 * data, read) what, and when. Written inside the transaction that makes the change, so the log
 * and the data never disagree. A subgraph creates the table in its first migration with
 * `auditTableSql(schema)` and lists `AuditEntry` among its entities.
 */
import { Column, CreateDateColumn, Entity, In, Index, PrimaryGeneratedColumn, type DataSource, type EntityManager } from 'typeorm';

@Entity({ name: 'audit_log' })
@Index('audit_subject_idx', ['subjectType', 'subjectId'])
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** What kind of thing changed, in the subgraph's own words: 'event', 'place', 'clinic', 'return', … */
  @Column({ type: 'text', name: 'subject_type' })
  subjectType!: string;

  @Column({ type: 'uuid', name: 'subject_id' })
  subjectId!: string;

  /** `<subject>.<verb>`, e.g. `place.cancelled`. */
  @Column({ type: 'text' })
  action!: string;

  /** The principal's subject (user id), or `system`. */
  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', name: 'at' })
  at!: Date;
}

export type AuditRecord = Pick<AuditEntry, 'subjectType' | 'subjectId' | 'action' | 'actor'> & { details?: Record<string, unknown> };

/** DDL for a subgraph's first migration: `await queryRunner.query(auditTableSql('clinics'))`. */
export function auditTableSql(schema: string): string {
  return `
    CREATE TABLE "${schema}"."audit_log" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "subject_type" text NOT NULL,
      "subject_id" uuid NOT NULL,
      "action" text NOT NULL,
      "actor" text NOT NULL,
      "details" jsonb NOT NULL DEFAULT '{}',
      "at" timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX "audit_subject_idx" ON "${schema}"."audit_log" ("subject_type", "subject_id");`;
}

/** Records changes inside the caller's transaction (use the manager it hands you). */
export async function audit(manager: EntityManager, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await manager.getRepository(AuditEntry).insert(records.map((r) => ({ ...r, details: (r.details ?? {}) as never })));
}

/** The histories of many subjects of one type, oldest change first, in one query (for a DataLoader). */
export async function auditHistories(dataSource: DataSource, subjectType: string, ids: readonly string[]): Promise<AuditEntry[][]> {
  const rows = await dataSource.getRepository(AuditEntry).find({ where: { subjectType, subjectId: In([...ids]) }, order: { at: 'ASC' } });
  return ids.map((id) => rows.filter((r) => r.subjectId === id));
}
