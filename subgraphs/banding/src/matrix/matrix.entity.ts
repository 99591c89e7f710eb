/**
 * A version of the banding matrix, stored as data: its areas of need with a descriptor per level,
 * its bands, and the band rule's parameters (points per level here; each band's minimum score and
 * primary-need floor on the band). Versions are never changed once published; a return keeps the
 * version it was started on.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('BandingLevel', { description: "One level of an area of need and what it looks like in school." })
@Entity({ name: 'matrix_level' })
@Index('matrix_level_area_level', ['areaId', 'level'], { unique: true })
export class MatrixLevel {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'area_id' })
  areaId!: string;

  @ManyToOne(() => MatrixArea, (area) => area.levels, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_id' })
  area?: Relation<MatrixArea>;

  @Field(() => Int, { description: '0 (no need in this area beyond what every pupil gets) up to the highest level of the version.' })
  @Column({ type: 'int' })
  level!: number;

  @Field()
  @Column({ type: 'text' })
  descriptor!: string;
}

@ObjectType('BandingArea', { description: 'A broad area of need, with a descriptor for each level.' })
@Entity({ name: 'matrix_area' })
@Index('matrix_area_key', ['matrixId', 'key'], { unique: true })
export class MatrixArea {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'matrix_id' })
  matrixId!: string;

  @ManyToOne(() => MatrixVersion, (matrix) => matrix.areas, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'matrix_id' })
  matrix?: Relation<MatrixVersion>;

  @Field({ description: 'Stable key used in pupils\' levels, primaryNeed and CSV columns (lower case), e.g. SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH.' })
  @Column({ type: 'text' })
  key!: string;

  @Field()
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'int' })
  position!: number;

  @Field(() => [MatrixLevel], { description: 'Lowest level first.' })
  @OneToMany(() => MatrixLevel, (level) => level.area)
  levels!: MatrixLevel[];
}

@ObjectType('BandingBand', { description: 'A funding band, and the part of the band rule that leads to it.' })
@Entity({ name: 'matrix_band' })
@Index('matrix_band_band', ['matrixId', 'band'], { unique: true })
export class MatrixBand {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'matrix_id' })
  matrixId!: string;

  @ManyToOne(() => MatrixVersion, (matrix) => matrix.bands, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'matrix_id' })
  matrix?: Relation<MatrixVersion>;

  @Field(() => Int, { description: '1 is the lowest band.' })
  @Column({ type: 'int' })
  band!: number;

  @Field()
  @Column({ type: 'text' })
  label!: string;

  @Field()
  @Column({ type: 'text' })
  description!: string;

  @Field(() => Int, { description: 'The least score (sum of the level points over all areas) that reaches this band.' })
  @Column({ type: 'int', name: 'min_score' })
  minScore!: number;

  @Field(() => Int, {
    nullable: true,
    description: "Primary-need floor: a pupil whose level in their primary area of need is at least this gets at least this band. Null: this band sets no floor.",
  })
  @Column({ type: 'int', name: 'primary_need_level', nullable: true })
  primaryNeedLevel!: number | null;
}

@ObjectType('BandingMatrix', {
  description:
    'A published version of the banding matrix. Band rule: each area scores levelPoints[level]; the score is the sum over all areas; ' +
    'the band by score is the highest band whose minScore the score reaches; a band with a primaryNeedLevel is the least a pupil gets ' +
    'when their level in their primary area of need reaches it; the suggested band is the higher of the two. Raising a level never lowers the band.',
})
@Entity({ name: 'matrix_version' })
export class MatrixVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => Int, { description: '1, 2, 3, … in order of publication.' })
  @Column({ type: 'int', unique: true })
  version!: number;

  @Field(() => [Int], { description: 'Points for each level, from level 0; never decreasing.' })
  @Column({ type: 'int', array: true, name: 'level_points' })
  levelPoints!: number[];

  @Field()
  @CreateDateColumn({ type: 'timestamptz', name: 'published_at' })
  publishedAt!: Date;

  @Column({ type: 'text', name: 'published_by' })
  publishedBy!: string;

  @Field(() => [MatrixArea], { description: 'The areas of need, in the order they are shown.' })
  @OneToMany(() => MatrixArea, (area) => area.matrix)
  areas!: MatrixArea[];

  @Field(() => [MatrixBand], { description: 'Band 1 first.' })
  @OneToMany(() => MatrixBand, (band) => band.matrix)
  bands!: MatrixBand[];
}
