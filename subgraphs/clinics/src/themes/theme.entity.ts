import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';

/** The managed list of clinic themes: front ends filter by them, and a clinic must use one. */
@ObjectType({ description: 'A clinic theme from the managed list (filter clinics by its name).' })
@Entity({ name: 'theme' })
export class ClinicTheme {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'As clinics carry it, e.g. "Sensory processing".' })
  @Column({ type: 'text', unique: true })
  name!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description?: string | null;

  /** Retired themes stay on their clinics but are not offered for new ones. */
  @Field({ description: 'False once retired: existing clinics keep it, new clinics cannot use it.' })
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'int', default: 0 })
  position!: number;
}
