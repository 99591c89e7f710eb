import { Directive, Field, ObjectType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { auditHistories, type AuditEntry } from '@sendco/database';
import { requestLoader } from './loader';

/** One recorded change as the API shows it; history fields of every subgraph return these. */
// Every subgraph with history fields resolves AuditEntry itself: a shared value type (Federation 2).
@Directive('@shareable')
@ObjectType('AuditEntry', { description: 'One recorded change: who, when, what.' })
export class AuditEntryView {
  @Field()
  action!: string;

  @Field({ description: "The actor's subject (user id), or `system`." })
  actor!: string;

  @Field()
  at!: Date;

  @Field({ description: 'Details of the change as JSON.' })
  details!: string;

  static of(entry: AuditEntry): AuditEntryView {
    return { action: entry.action, actor: entry.actor, at: entry.at, details: JSON.stringify(entry.details ?? {}) };
  }
}

/**
 * Every recorded change of one subject, oldest first, batched per request and subject type: the
 * one way a subgraph's `history` field reads its audit log (each subgraph names its own subject types).
 */
export function auditHistoryOf(context: object, dataSource: DataSource, subjectType: string, id: string): Promise<AuditEntryView[]> {
  return requestLoader<string, AuditEntryView[]>(context, `history:${subjectType}`, async (ids) =>
    (await auditHistories(dataSource, subjectType, ids)).map((entries) => entries.map(AuditEntryView.of)),
  ).load(id);
}
