import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { auditHistories } from '@sendco/database';
import { AuditEntryView, requestLoader, type RequestContext } from '@sendco/federation';
import { Place } from '../bookings/place.entity';
import { TrainingEvent } from '../events/event.entity';

/** Training's audited subjects (`subject_type` in its audit log). */
export type TrainingAuditSubject = 'event' | 'booking' | 'place';

async function historiesOf(dataSource: DataSource, subjectType: TrainingAuditSubject, ids: readonly string[]): Promise<AuditEntryView[][]> {
  return (await auditHistories(dataSource, subjectType, ids)).map((entries) => entries.map(AuditEntryView.of));
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
