import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';

/** One of the managed list of topics that subscribers choose and bulletin items are filed under. */
@ObjectType('BulletinTopic', { description: 'A topic subscribers can choose; bulletin items are filed under one.' })
@Entity({ name: 'topic' })
export class Topic {
  @Field({ description: 'Stable key, e.g. "enhanced-pathways".' })
  @PrimaryColumn({ type: 'text' })
  slug!: string;

  @Field()
  @Column({ type: 'text' })
  name!: string;

  @Field({ nullable: true })
  @Column({ type: 'text', nullable: true })
  description?: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
