import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requestLoader, type RequestContext } from '@sendco/federation';
import { placesLeft } from '../capacity/capacity';
import { TrainingEvent, Venue } from './event.entity';
import { CreateEventInput, EventFilter } from './event.inputs';
import { EventService, type Availability, type WorkshopWithTaken } from './event.service';
import { EventConnection, toWorkshopView, WorkshopView } from './event.types';

@Resolver(() => TrainingEvent)
export class EventResolver {
  constructor(private readonly eventService: EventService) {}

  @Query(() => EventConnection, { description: 'Public: published events, soonest first.' })
  events(
    @Arg('filter', () => EventFilter, { nullable: true }) filter: EventFilter | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
  ): Promise<EventConnection> {
    return this.eventService.listPublished(filter ?? {}, first, after);
  }

  @Query(() => TrainingEvent, { nullable: true, description: 'A published event (drafts: training team only).' })
  event(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TrainingEvent> {
    return this.eventService.getEvent(ctx.principal, id);
  }

  @Authorized('TRAINING_ADMIN') // before argument validation: a school gets FORBIDDEN, not a list of field errors
  @Mutation(() => TrainingEvent, { description: 'TRAINING_ADMIN. Creates a DRAFT event.' })
  createEvent(@Arg('input', () => CreateEventInput) input: CreateEventInput, @Ctx() ctx: RequestContext): Promise<TrainingEvent> {
    return this.eventService.createEvent(ctx.principal, input);
  }

  @Authorized('TRAINING_ADMIN')
  @Mutation(() => TrainingEvent, { description: 'TRAINING_ADMIN. Makes a DRAFT event visible and bookable.' })
  publishEvent(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TrainingEvent> {
    return this.eventService.publishEvent(ctx.principal, id);
  }

  @FieldResolver(() => Int, { description: 'Places not yet taken (CONFIRMED and ATTENDED count); never below 0.' })
  async placesLeft(@Root() event: TrainingEvent, @Ctx() ctx: RequestContext): Promise<number> {
    const { taken } = await this.availability(ctx, event.id);
    return placesLeft(event.capacity, taken);
  }

  @FieldResolver(() => Int, { description: 'Delegates waiting for a place.' })
  async waitlistLength(@Root() event: TrainingEvent, @Ctx() ctx: RequestContext): Promise<number> {
    return (await this.availability(ctx, event.id)).waiting;
  }

  @FieldResolver(() => Boolean, { description: 'Published, not started and before bookingClosesAt.' })
  bookingOpen(@Root() event: TrainingEvent): boolean {
    return this.eventService.isBookingOpen(event);
  }

  @FieldResolver(() => Venue, { nullable: true, description: 'Where an in-person or hybrid event is held.' })
  venue(@Root() event: TrainingEvent): Venue | null {
    return event.venue?.name ? event.venue : null;
  }

  @FieldResolver(() => [WorkshopView])
  async workshops(@Root() event: TrainingEvent, @Ctx() ctx: RequestContext): Promise<WorkshopView[]> {
    return (await workshopsOfEvent(ctx, this.eventService, event.id)).map(toWorkshopView);
  }

  @Authorized('TRAINING_ADMIN')
  @FieldResolver(() => String, { nullable: true, description: 'Training team only; delegates receive it in their confirmation.' })
  joiningUrl(@Root() event: TrainingEvent): string | null {
    return event.joiningUrl ?? null;
  }

  private availability(ctx: RequestContext, eventId: string): Promise<Availability> {
    return requestLoader<string, Availability>(ctx, 'eventAvailability', (ids) => this.eventService.availability(ids)).load(eventId);
  }
}

/** The workshops (with places held) of an event, batched across the request. */
export function workshopsOfEvent(ctx: RequestContext, events: EventService, eventId: string): Promise<WorkshopWithTaken[]> {
  return requestLoader<string, WorkshopWithTaken[]>(ctx, 'workshopsOfEvent', (ids) => events.workshopsOf(ids)).load(eventId);
}
