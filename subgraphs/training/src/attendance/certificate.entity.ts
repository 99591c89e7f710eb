import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A CPD certificate issued for a place, as it was issued. At most one per place (a unique index),
 * so attendance corrected from ATTENDED to NO_SHOW and back never sends a second certificate.
 */
@Entity({ name: 'certificate' })
@Index('certificate_event_idx', ['eventId'])
export class Certificate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Gives the number on the certificate (CPD-000123): short enough to read out over the phone. */
  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  serial!: string;

  @Column({ type: 'uuid', name: 'place_id', unique: true })
  placeId!: string;

  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text', name: 'delegate_name' })
  delegateName!: string;

  @Column({ type: 'numeric', precision: 4, scale: 1, name: 'cpd_hours', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  cpdHours!: number;

  @Column({ type: 'text', name: 'issued_by' })
  issuedBy!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'issued_at' })
  issuedAt!: Date;
}
