/** A matrix version as it is published: the shape of the publish input and of the demo matrix. */
export interface MatrixDefinition {
  areas: { key: string; name: string; levels: { level: number; descriptor: string }[] }[];
  /** Points for each level, from level 0. */
  levelPoints: number[];
  bands: { band: number; label: string; description: string; minScore: number; primaryNeedLevel: number | null }[];
}
