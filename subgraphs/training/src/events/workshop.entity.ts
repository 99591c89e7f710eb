import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Phase } from './event.enums';
import { TrainingEvent } from './event.entity';

/** A conference workshop for one phase, with its own capacity inside the event's. */
@Entity({ name: 'workshop' })
@Index('workshop_event_idx', ['eventId'])
export class Workshop {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @ManyToOne(() => TrainingEvent, (event) => event.workshops, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: TrainingEvent;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  phase!: Phase;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ type: 'int', default: 0 })
  position!: number;
}
