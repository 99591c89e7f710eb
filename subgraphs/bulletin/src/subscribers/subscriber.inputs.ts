import { ArrayMaxSize, IsEmail, IsEnum, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType, ObjectType, Int } from 'type-graphql';
import { BulletinFrequency, SubscriptionStatus } from './subscriber.enums';

@InputType()
export class SubscribeInput {
  @Field()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email!: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true, description: 'e.g. SENDCO, headteacher' })
  @IsOptional()
  @Length(1, 100)
  role?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'schoolUrn must be a 6-digit URN' })
  schoolUrn?: string;

  @Field(() => [String], { defaultValue: [], description: 'Topic slugs from bulletinTopics; empty = every topic.' })
  @ArrayMaxSize(50)
  topics!: string[];

  @Field(() => BulletinFrequency, { defaultValue: BulletinFrequency.EACH_BULLETIN })
  @IsEnum(BulletinFrequency)
  frequency!: BulletinFrequency;
}

@InputType({ description: "A subscriber's own choices, changed through the preferences link in every email." })
export class SubscriptionPreferencesInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(0, 200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(0, 100)
  role?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^(\d{6})?$/, { message: 'schoolUrn must be a 6-digit URN' })
  schoolUrn?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  topics?: string[];

  @Field(() => BulletinFrequency, { nullable: true })
  @IsOptional()
  @IsEnum(BulletinFrequency)
  frequency?: BulletinFrequency;
}

@ObjectType()
export class SubscribeResult {
  @Field({ description: 'Always true for a well-formed request: the answer does not say whether the address was known.' })
  ok!: boolean;
}

@ObjectType()
export class SubscriptionStatusResult {
  @Field(() => SubscriptionStatus)
  status!: SubscriptionStatus;
}

@ObjectType({ description: "What a subscriber sees on their preferences page (through their signed link)." })
export class SubscriptionPreferences {
  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  role!: string | null;

  @Field(() => String, { nullable: true })
  schoolUrn!: string | null;

  @Field(() => [String])
  topics!: string[];

  @Field(() => BulletinFrequency)
  frequency!: BulletinFrequency;

  @Field(() => SubscriptionStatus)
  status!: SubscriptionStatus;
}

@ObjectType()
export class SubscriberImportResult {
  @Field(() => Int, { description: 'New subscribers, confirmed (the list says they opted in).' })
  imported!: number;

  @Field(() => Int, { description: 'Already on the list and confirmed: left as they were.' })
  alreadySubscribed!: number;

  @Field(() => Int, { description: 'Unsubscribed or suppressed addresses: not added back.' })
  skipped!: number;
}
