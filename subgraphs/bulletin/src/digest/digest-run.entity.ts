import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Each weekly digest run: what it covered, and the digest bulletin it made (none when there was nothing new). */
@Entity({ name: 'digest_run' })
export class DigestRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The end of the period it covered; the next run starts from here. */
  @Column({ type: 'timestamptz', name: 'period_end' })
  periodEnd!: Date;

  @Column({ type: 'uuid', name: 'bulletin_id', nullable: true })
  bulletinId!: string | null;

  /** Keys of the upcoming events and clinics it listed, so the next one can tell what is new. */
  @Column({ type: 'text', array: true, name: 'upcoming_keys', default: () => "'{}'" })
  upcomingKeys!: string[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
