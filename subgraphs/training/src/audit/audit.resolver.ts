import { Authorized, Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { In, type DataSource } from 'typeorm';
import { requestLoader, type RequestContext } from '@sendco/federation';
import { Place } from '../bookings/place.entity';
import { TrainingEvent } from '../events/event.entity';
import { AuditEntry } from './audit.entity';

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
}

function toView(entry: AuditEntry): AuditEntryView {
  return { action: entry.action, actor: entry.actor, at: entry.at, details: JSON.stringify(entry.details ?? {}) };
}

/** Histories of many subjects of one type, oldest change first, in one query. */
async function historiesOf(dataSource: DataSource, subjectType: AuditEntry['subjectType'], ids: readonly string[]): Promise<AuditEntryView[][]> {
  const rows = await dataSource.getRepository(AuditEntry).find({ where: { subjectType, subjectId: In([...ids]) }, order: { at: 'ASC' } });
  return ids.map((id) => rows.filter((r) => r.subjectId === id).map(toView));
}

/** So that a dispute about a place can be answered: the training team sees every change to it. */
@Resolver(() => Place)
export class PlaceHistoryResolver {
  constructor(private readonly dataSource: DataSource) {}

  @Authorized('TRAINING_ADMIN')
  @FieldResolver(() => [AuditEntryView], { description: 'Training team only: every change to this place, oldest first.' })
  history(@Root() place: Place, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    return requestLoader<string, AuditEntryView[]>(ctx, 'placeHistory', (ids) => historiesOf(this.dataSource, 'place', ids)).load(place.id);
  }
}

@Resolver(() => TrainingEvent)
export class EventHistoryResolver {
  constructor(private readonly dataSource: DataSource) {}

  @Authorized('TRAINING_ADMIN')
  @FieldResolver(() => [AuditEntryView], { description: 'Training team only: every change to this event, oldest first.' })
  history(@Root() event: TrainingEvent, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    return requestLoader<string, AuditEntryView[]>(ctx, 'eventHistory', (ids) => historiesOf(this.dataSource, 'event', ids)).load(event.id);
  }
}
