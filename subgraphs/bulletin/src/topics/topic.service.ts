/** The managed list of topics: editors keep it; subscribers and bulletin items may only use topics on it. */
import type { DataSource, EntityManager } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { badUserInput } from '@sendco/errors';
import { Topic } from './topic.entity';
import { unknownTopicIndices } from './topic-matching';

export const EDITOR = 'BULLETIN_EDITOR' as const;

export class TopicService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<Topic[]> {
    return this.dataSource.getRepository(Topic).find({ order: { name: 'ASC' } });
  }

  /** BULLETIN_EDITOR. Adds a topic, or renames one (the slug stays). */
  async upsert(principal: Principal, input: { slug: string; name: string; description?: string }): Promise<Topic> {
    requireRole(principal, EDITOR);
    const repo = this.dataSource.getRepository(Topic);
    await repo.upsert({ slug: input.slug, name: input.name.trim(), description: input.description?.trim() || undefined }, ['slug']);
    return repo.findOneByOrFail({ slug: input.slug });
  }
}

/** Refuses topics that are not on the managed list, naming `<field>.<index>`. */
export async function assertKnownTopics(manager: EntityManager, topics: readonly string[], field: string): Promise<void> {
  if (topics.length === 0) return;
  const known = new Set((await manager.getRepository(Topic).find({ select: { slug: true } })).map((t) => t.slug));
  const unknown = unknownTopicIndices(topics, known);
  if (unknown.length) throw badUserInput(unknown.map((i) => ({ field: `${field}.${i}`, message: `"${topics[i]}" is not a bulletin topic` })));
}
