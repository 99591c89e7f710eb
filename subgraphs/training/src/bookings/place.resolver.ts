import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requestLoader, type RequestContext } from '@sendco/federation';
import { TrainingEvent } from '../events/event.entity';
import { EventService } from '../events/event.service';
import { toWorkshopView, WorkshopView } from '../events/event.types';
import { workshopsOfEvent } from '../events/event.resolver';
import { School } from '../schools/school';
import { Place } from './place.entity';

@Resolver(() => Place)
export class PlaceResolver {
  constructor(private readonly events: EventService) {}

  @FieldResolver(() => WorkshopView, { nullable: true })
  async workshop(@Root() place: Place, @Ctx() ctx: RequestContext): Promise<WorkshopView | null> {
    if (!place.workshopId) return null;
    const workshop = (await workshopsOfEvent(ctx, this.events, place.eventId)).find((w) => w.id === place.workshopId);
    return workshop ? toWorkshopView(workshop) : null;
  }

  @FieldResolver(() => TrainingEvent)
  async event(@Root() place: Place, @Ctx() ctx: RequestContext): Promise<TrainingEvent | null> {
    return requestLoader<string, TrainingEvent | null>(ctx, 'eventById', (ids) => this.events.findByIds(ids)).load(place.eventId);
  }

  @FieldResolver(() => School, { nullable: true, description: "The delegate's school (fields from the directory; null if the directory does not know the URN)." })
  school(@Root() place: Place): School {
    return { urn: place.schoolUrn };
  }

  @Authorized('TRAINING_ADMIN')
  @FieldResolver(() => String, { nullable: true, description: 'Training team only.' })
  accessRequirements(@Root() place: Place): string | null {
    return place.accessRequirements ?? null;
  }

  @Authorized('TRAINING_ADMIN')
  @FieldResolver(() => String, { nullable: true, description: 'Training team only.' })
  dietaryRequirements(@Root() place: Place): string | null {
    return place.dietaryRequirements ?? null;
  }
}
