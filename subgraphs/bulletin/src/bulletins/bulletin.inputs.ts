import { ArrayMaxSize, IsOptional, IsUrl, Length } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@sendco/federation';
import { Bulletin } from './bulletin.entity';

@InputType()
export class BulletinItemInput {
  @Field()
  @Length(1, 200)
  heading!: string;

  @Field({ description: 'Markdown. Scripts, event handlers and javascript: links are refused.' })
  @Length(1, 20_000)
  body!: string;

  @Field({ nullable: true, description: 'A topic slug from bulletinTopics.' })
  @IsOptional()
  topic?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'link must be an http(s):// address' })
  link?: string;
}

@InputType()
export class CreateBulletinInput {
  @Field()
  @Length(0, 200)
  title!: string;

  @Field({ defaultValue: '' })
  @Length(0, 5000)
  intro!: string;

  @Field(() => [String], { defaultValue: [], description: 'Topic slugs; empty = every confirmed subscriber.' })
  @ArrayMaxSize(50)
  topics!: string[];

  @Field(() => [BulletinItemInput], { defaultValue: [] })
  @ArrayMaxSize(50)
  items!: BulletinItemInput[];

  @Field({ defaultValue: false, description: 'Add upcoming training events and clinics with places left (read through the gateway when it is sent).' })
  includeUpcoming!: boolean;
}

@ObjectType()
export class BulletinDelivery {
  @Field(() => Int, { description: 'Subscribers the bulletin is addressed to (suppressed ones included).' })
  recipients!: number;

  @Field(() => Int)
  sent!: number;

  @Field(() => Int, { description: 'Given up on: a permanent refusal, or every retry used.' })
  failed!: number;

  @Field(() => Int, { description: 'Still to send (waiting, or being sent or retried).' })
  pending!: number;

  @Field(() => Int, { description: 'Skipped: the address was suppressed or unsubscribed.' })
  suppressed!: number;
}

@ObjectType({ description: 'The bulletin as each reader gets it (their own links are filled in when it is sent).' })
export class BulletinPreview {
  @Field()
  subject!: string;

  @Field()
  html!: string;

  @Field()
  text!: string;
}

@ObjectType()
export class BulletinConnection extends ConnectionType(Bulletin) {}
