import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { TrainingEvent } from '../events/event.entity';
import { BookingService } from './booking.service';
import { Place } from './place.entity';

/** The register of an event: training team only. */
@Resolver(() => TrainingEvent)
export class EventRegisterResolver {
  constructor(private readonly bookings: BookingService) {}

  @Authorized('TRAINING_ADMIN')
  @FieldResolver(() => [Place], { description: 'Training team only: every place on the event, in the order they were asked for.' })
  places(@Root() event: TrainingEvent, @Ctx() ctx: RequestContext): Promise<Place[]> {
    return this.bookings.placesOfEvent(ctx.principal, event.id);
  }
}
