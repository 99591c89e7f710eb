import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@sendco/federation';
import { TrainingEvent } from './event.entity';
import { placesLeft } from '../capacity/capacity';
import { Phase } from './event.enums';
import type { Workshop } from './workshop.entity';

@ObjectType()
export class EventConnection extends ConnectionType(TrainingEvent) {}

/** A workshop with its availability (the entity plus the count read with it). */
@ObjectType('Workshop')
export class WorkshopView {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field(() => Phase)
  phase!: Phase;

  @Field(() => Int)
  capacity!: number;

  @Field(() => Int, { description: 'Never below 0.' })
  placesLeft!: number;
}

export function toWorkshopView(workshop: Workshop & { taken: number }): WorkshopView {
  return { id: workshop.id, title: workshop.title, phase: workshop.phase, capacity: workshop.capacity, placesLeft: placesLeft(workshop.capacity, workshop.taken) };
}
