import { IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType('BulletinTopicInput')
export class TopicInput {
  @Field()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'slug must be lower-case words joined by hyphens' })
  @Length(2, 60)
  slug!: string;

  @Field()
  @Length(1, 100)
  name!: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(0, 500)
  description?: string;
}
