import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ContactInput } from '@sendco/federation';

export const MAX_DELEGATES_PER_BOOKING = 50;

@InputType()
export class DelegateInput extends ContactInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(0, 200)
  jobTitle?: string;

  @Field({ nullable: true, description: 'Seen only by the training team.' })
  @IsOptional()
  @Length(0, 2000)
  accessRequirements?: string;

  @Field({ nullable: true, description: 'Seen only by the training team.' })
  @IsOptional()
  @Length(0, 2000)
  dietaryRequirements?: string;

  @Field(() => ID, { nullable: true, description: 'Required when the event has workshops.' })
  @IsOptional()
  @IsUUID('all', { message: 'workshopId must be a workshop of this event' })
  workshopId?: string;
}

@InputType()
export class BookEventInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'eventId must be an event id' })
  eventId!: string;

  @Field(() => ID)
  @Matches(/^\d{6}$/, { message: 'schoolUrn must be the 6-digit URN' })
  schoolUrn!: string;

  @Field({ nullable: true, description: 'Required for priced events.' })
  @IsOptional()
  @Length(1, 100)
  purchaseOrder?: string;

  @Field({ nullable: true, description: 'Sending the same key again returns the same booking instead of booking twice.' })
  @IsOptional()
  @Length(8, 200)
  idempotencyKey?: string;

  @Field(() => ContactInput, {
    nullable: true,
    description: "The school's SENDCO, who also gets the booking summary when someone else books (the directory holds no contacts).",
  })
  @IsOptional()
  @ValidateNested()
  sendco?: ContactInput;

  @Field(() => [DelegateInput])
  @ArrayMinSize(1, { message: 'delegates must name at least one delegate' })
  @ArrayMaxSize(MAX_DELEGATES_PER_BOOKING)
  @ValidateNested({ each: true })
  delegates!: DelegateInput[];
}
