import { Column, Entity } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '@sendco/database';
import { BulletinKind, BulletinStatus } from './bulletin.enums';

/** One item of a bulletin; the Markdown body is kept with its safe HTML and plain-text renderings. */
@ObjectType('BulletinItem')
export class BulletinItem {
  @Field()
  heading!: string;

  @Field({ description: 'Markdown, as the editor wrote it.' })
  body!: string;

  @Field({ description: 'The body as sanitised HTML.' })
  bodyHtml!: string;

  @Field({ description: 'The body as plain text.' })
  bodyText!: string;

  @Field(() => String, { nullable: true })
  topic!: string | null;

  @Field(() => String, { nullable: true })
  link!: string | null;
}

/** An upcoming training event or clinic, as the gateway answered when the bulletin was prepared. */
@ObjectType('BulletinUpcoming')
export class UpcomingEntry {
  /** `training:<id>` or `clinic:<id>`: the weekly digest tells new entries by it. */
  key!: string;

  @Field(() => String, { description: '"training" or "clinic".' })
  kind!: 'training' | 'clinic';

  @Field()
  title!: string;

  @Field()
  startsAt!: string;

  @Field(() => Int, { nullable: true })
  placesLeft!: number | null;
}

/** The email as rendered once for everyone; per-recipient links are filled into its placeholders. */
export interface RenderedBulletin {
  subject: string;
  html: string;
  text: string;
}

@ObjectType('Bulletin')
@Entity({ name: 'bulletin' })
export class Bulletin extends BaseEntity {
  @Field(() => ID)
  declare id: string;

  @Field(() => BulletinKind)
  @Column({ type: 'text' })
  kind!: BulletinKind;

  @Field()
  @Column({ type: 'text' })
  title!: string;

  @Field()
  @Column({ type: 'text' })
  intro!: string;

  @Field(() => [String], { description: 'Topic slugs; empty = everyone.' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  topics!: string[];

  @Field(() => [BulletinItem])
  @Column({ type: 'jsonb' })
  items!: BulletinItem[];

  @Field()
  @Column({ type: 'boolean', name: 'include_upcoming', default: false })
  includeUpcoming!: boolean;

  @Field(() => BulletinStatus)
  @Column({ type: 'text' })
  status!: BulletinStatus;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'send_at', nullable: true })
  sendAt!: Date | null;

  /** Raised by every schedule and cancel: a due send job carrying an older version does nothing. */
  @Column({ type: 'int', name: 'schedule_version', default: 0 })
  scheduleVersion!: number;

  @Field(() => Date, { nullable: true, description: 'When sending began (the date of the issue).' })
  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When every recipient had been sent to (or had failed).' })
  @Column({ type: 'timestamptz', name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  /** Frozen when sending starts, so every recipient gets the same bulletin. */
  @Column({ type: 'jsonb', nullable: true })
  rendered!: RenderedBulletin | null;

  @Column({ type: 'jsonb', nullable: true })
  upcoming!: UpcomingEntry[] | null;

  /** The last subscriber id the fan-out has enqueued (it pages through subscribers in id order). */
  @Column({ type: 'uuid', name: 'fanout_cursor', nullable: true })
  fanoutCursor!: string | null;

  /**
   * A weekly digest's readers: the digest subscribers whose topics are exactly these (sorted;
   * empty = those who chose none). Null on issues (they go by `topics`) and older digests.
   */
  @Column({ type: 'text', array: true, name: 'audience_topics', nullable: true })
  audienceTopics!: string[] | null;

  @Column({ type: 'boolean', name: 'fanout_done', default: false })
  fanoutDone!: boolean;

  @Column({ type: 'text', name: 'created_by' })
  createdBy!: string;

  /** Set on a draft another service asked for (a `bulletin-draft` job): at most one bulletin per key. */
  @Field(() => String, { nullable: true, description: 'For a draft another service made, what it is about (e.g. pathways:round:<id>); null for an editor\'s own.' })
  @Column({ type: 'text', name: 'source_key', nullable: true, unique: true })
  sourceKey!: string | null;
}
