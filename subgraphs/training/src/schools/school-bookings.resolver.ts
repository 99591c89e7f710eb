import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { Booking } from '../bookings/booking.entity';
import { BookingService } from '../bookings/booking.service';
import { School } from './school';

@Resolver(() => School)
export class SchoolBookingsResolver {
  constructor(private readonly bookingService: BookingService) {}

  @FieldResolver(() => [Booking], {
    nullable: true, // so FORBIDDEN blanks only this field, not the school's public fields
    description: "The school's training bookings, newest first: its own staff and council roles only." })
  bookings(@Root() school: School, @Ctx() ctx: RequestContext): Promise<Booking[]> {
    return this.bookingService.bookingsOfSchool(ctx.principal, school.urn);
  }
}
