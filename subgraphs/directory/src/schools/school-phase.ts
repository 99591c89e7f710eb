import { registerEnumType } from 'type-graphql';

export enum SchoolPhase {
  EARLY_YEARS = 'EARLY_YEARS',
  PRIMARY = 'PRIMARY',
  SECONDARY = 'SECONDARY',
  SPECIAL = 'SPECIAL',
  ALL_THROUGH = 'ALL_THROUGH',
  POST_16 = 'POST_16',
  ALTERNATIVE_PROVISION = 'ALTERNATIVE_PROVISION',
}

registerEnumType(SchoolPhase, { name: 'SchoolPhase', description: 'Phase of education, as in Get Information about Schools.' });
