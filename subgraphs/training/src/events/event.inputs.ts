import { ArrayMaxSize, IsEnum, IsInt, IsNumber, IsOptional, IsUrl, Length, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { VenueInput } from '@sendco/federation';
import type { Venue } from './event.entity';
import { EventCategory, EventFormat, Phase } from './event.enums';

/** The venue as stored: postcodes in capitals, however they were typed. */
export function toVenue(input: VenueInput): Venue {
  return { name: input.name, address: input.address, postcode: input.postcode?.toUpperCase() };
}

@InputType()
export class WorkshopInput {
  @Field()
  @Length(1, 200)
  title!: string;

  @Field(() => Phase)
  @IsEnum(Phase)
  phase!: Phase;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity!: number;
}

@InputType()
export class CreateEventInput {
  @Field()
  @Length(3, 200)
  title!: string;

  @Field(() => EventCategory)
  @IsEnum(EventCategory)
  category!: EventCategory;

  @Field({ nullable: true })
  @IsOptional()
  @Length(0, 5000)
  summary?: string;

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field(() => EventFormat)
  @IsEnum(EventFormat)
  format!: EventFormat;

  @Field(() => VenueInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  venue?: VenueInput;

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'joiningUrl must be an https:// link' })
  joiningUrl?: string;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(10000)
  capacity!: number;

  @Field({ nullable: true })
  bookingClosesAt?: Date;

  @Field({ nullable: true })
  cancellationDeadline?: Date;

  @Field(() => Float, { defaultValue: 0 })
  @IsNumber()
  @Min(0)
  @Max(100)
  cpdHours!: number;

  @Field(() => [Phase], { defaultValue: [] })
  @IsEnum(Phase, { each: true })
  audience!: Phase[];

  @Field(() => [WorkshopInput], { defaultValue: [] })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  workshops!: WorkshopInput[];

  @Field(() => Int, { defaultValue: 0, description: 'Price per delegate in pence; 0 = free.' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  pricePerDelegatePence!: number;

  @Field(() => Int, { defaultValue: 48, description: 'Hours before the start to remind confirmed delegates (0 = no reminder; default 2 days).' })
  @IsInt()
  @Min(0)
  @Max(720)
  reminderHoursBefore!: number;
}

@InputType({ description: 'When and where an event now takes place; omitted fields stay as they are.' })
export class RescheduleEventInput {
  @Field({ nullable: true })
  startsAt?: Date;

  @Field({ nullable: true })
  endsAt?: Date;

  @Field(() => VenueInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  venue?: VenueInput;

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'joiningUrl must be an https:// link' })
  joiningUrl?: string;
}

@InputType({ description: "A workshop's new capacity." })
export class WorkshopCapacityInput {
  @Field(() => ID)
  workshopId!: string;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(100_000)
  capacity!: number;
}

@InputType()
export class EventFilter {
  @Field(() => EventCategory, { nullable: true })
  category?: EventCategory;

  @Field(() => Phase, { nullable: true, description: 'Events whose audience includes this phase.' })
  phase?: Phase;

  @Field({ nullable: true, description: 'Events starting at or after this time.' })
  from?: Date;

  @Field({ nullable: true, description: 'Events starting before this time.' })
  to?: Date;

  @Field({ nullable: true, description: 'Words in the title or summary.' })
  @IsOptional()
  @Length(1, 200)
  text?: string;
}
