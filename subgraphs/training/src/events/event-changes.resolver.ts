import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { TrainingEvent } from './event.entity';
import { EventChangeService } from './event-changes.service';
import { RescheduleEventInput, WorkshopCapacityInput } from './event.inputs';

@Resolver(() => TrainingEvent)
export class EventChangeResolver {
  constructor(private readonly changes: EventChangeService) {}

  @Authorized('TRAINING_ADMIN')
  @Mutation(() => TrainingEvent, { description: 'TRAINING_ADMIN. Every active place on the event is cancelled and emailed; reminders stop.' })
  cancelEvent(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: RequestContext): Promise<TrainingEvent> {
    return this.changes.cancelEvent(ctx.principal, id, reason);
  }

  @Authorized('TRAINING_ADMIN')
  @Mutation(() => TrainingEvent, {
    description: 'TRAINING_ADMIN. New capacity for the event and/or its workshops; room that opens up goes at once to the waiting list, oldest first.',
  })
  updateEventCapacity(
    @Arg('id', () => ID) id: string,
    @Arg('capacity', () => Int, { nullable: true }) capacity: number | undefined,
    @Arg('workshops', () => [WorkshopCapacityInput], { nullable: true }) workshops: WorkshopCapacityInput[] | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<TrainingEvent> {
    return this.changes.changeCapacity(ctx.principal, id, capacity ?? undefined, workshops ?? []);
  }

  @Authorized('TRAINING_ADMIN')
  @Mutation(() => TrainingEvent, { description: 'TRAINING_ADMIN. Moves the event; confirmed delegates get the new details and an updated invitation.' })
  rescheduleEvent(@Arg('id', () => ID) id: string, @Arg('input', () => RescheduleEventInput) input: RescheduleEventInput, @Ctx() ctx: RequestContext): Promise<TrainingEvent> {
    return this.changes.reschedule(ctx.principal, id, input);
  }
}
