import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { Topic } from './topic.entity';
import { TopicInput } from './topic.inputs';
import { EDITOR, TopicService } from './topic.service';

@Resolver(() => Topic)
export class TopicResolver {
  constructor(private readonly topics: TopicService) {}

  @Query(() => [Topic], { description: 'Public: the topics a subscriber can choose.' })
  bulletinTopics(): Promise<Topic[]> {
    return this.topics.list();
  }

  @Authorized(EDITOR)
  @Mutation(() => Topic, { description: 'BULLETIN_EDITOR. Adds a topic to the managed list, or renames one.' })
  upsertBulletinTopic(@Arg('input', () => TopicInput) input: TopicInput, @Ctx() ctx: RequestContext): Promise<Topic> {
    return this.topics.upsert(ctx.principal, input);
  }
}
