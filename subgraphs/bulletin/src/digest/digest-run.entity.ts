import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Each weekly digest run: its cron slot, what it covered, and the digest bulletins it made (none when there was nothing new). */
@Entity({ name: 'digest_run' })
@Index('digest_run_slot_key', ['slot'], { unique: true })
export class DigestRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /**
   * The cron slot it ran for (digestSlot), unique: inserted before anything is sent, in the same
   * transaction as the digests, so a slot triggered twice (two processes, a retry) sends one digest.
   * Null only on runs from before slots were kept.
   */
  @Column({ type: 'timestamptz', nullable: true })
  slot!: Date | null;

  /** The end of the period it covered; the next run starts from here. */
  @Column({ type: 'timestamptz', name: 'period_end' })
  periodEnd!: Date;

  /** The first digest bulletin it made (kept for older runs; `bulletinIds` has them all). */
  @Column({ type: 'uuid', name: 'bulletin_id', nullable: true })
  bulletinId!: string | null;

  /** One digest bulletin per set of topics its readers chose. */
  @Column({ type: 'uuid', array: true, name: 'bulletin_ids', default: () => "'{}'" })
  bulletinIds!: string[];

  /** Keys of the upcoming events and clinics it listed, so the next one can tell what is new. */
  @Column({ type: 'text', array: true, name: 'upcoming_keys', default: () => "'{}'" })
  upcomingKeys!: string[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
