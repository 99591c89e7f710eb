import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { BookingService } from './booking.service';
import { DelegateInput } from './booking.inputs';
import { PlaceChangeService } from './place-changes.service';
import { Place } from './place.entity';

@Resolver(() => Place)
export class PlaceChangeResolver {
  constructor(
    private readonly changes: PlaceChangeService,
    private readonly bookings: BookingService,
  ) {}

  @Authorized('SENDCO', 'SCHOOL_STAFF', 'TRAINING_ADMIN') // which school, and the deadline, are checked in the service
  @Mutation(() => Place, {
    description: "The delegate's school staff or TRAINING_ADMIN (after the cancellationDeadline only TRAINING_ADMIN). A freed place goes at once to the longest-waiting delegate.",
  })
  cancelPlace(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | undefined, @Ctx() ctx: RequestContext): Promise<Place> {
    return this.changes.cancelPlace(ctx.principal, id, reason);
  }

  @Authorized('SENDCO', 'SCHOOL_STAFF', 'TRAINING_ADMIN')
  @Mutation(() => Place, { description: 'Gives the place to another delegate: the new one gets the invitation, the old one a cancellation.' })
  swapDelegate(@Arg('placeId', () => ID) placeId: string, @Arg('delegate', () => DelegateInput) delegate: DelegateInput, @Ctx() ctx: RequestContext): Promise<Place> {
    return this.changes.swapDelegate(ctx.principal, placeId, delegate);
  }

  @Authorized()
  @Query(() => [Place], { description: "The signed-in person's own places (by their email) on events still to come, soonest first." })
  myPlaces(@Ctx() ctx: RequestContext): Promise<Place[]> {
    return this.bookings.upcomingPlacesOf(ctx.principal);
  }
}
