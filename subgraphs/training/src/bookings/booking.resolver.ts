import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { requestLoader, type RequestContext } from '@sendco/federation';
import { TrainingEvent } from '../events/event.entity';
import { EventService } from '../events/event.service';
import { Booking } from './booking.entity';
import { BookEventInput } from './booking.inputs';
import { BookingService } from './booking.service';
import { Place } from './place.entity';

@Resolver(() => Booking)
export class BookingResolver {
  constructor(
    private readonly bookings: BookingService,
    private readonly events: EventService,
  ) {}

  @Authorized('SENDCO', 'SCHOOL_STAFF', 'TRAINING_ADMIN') // which school is checked in the service
  @Mutation(() => Booking, { description: 'SENDCO or SCHOOL_STAFF of schoolUrn, or TRAINING_ADMIN. One booking, many delegates.' })
  bookEvent(@Arg('input', () => BookEventInput) input: BookEventInput, @Ctx() ctx: RequestContext): Promise<Booking> {
    return this.bookings.bookEvent(ctx.principal, input);
  }

  @FieldResolver(() => [Place])
  async places(@Root() booking: Booking, @Ctx() ctx: RequestContext): Promise<Place[]> {
    if (booking.places) return booking.places;
    return requestLoader<string, Place[]>(ctx, 'placesOfBooking', (ids) => this.bookings.placesOfBookings(ids)).load(booking.id);
  }

  @FieldResolver(() => TrainingEvent)
  async event(@Root() booking: Booking, @Ctx() ctx: RequestContext): Promise<TrainingEvent | null> {
    return requestLoader<string, TrainingEvent | null>(ctx, 'eventById', (ids) => this.events.findByIds(ids)).load(booking.eventId);
  }
}
