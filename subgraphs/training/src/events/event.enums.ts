import { registerEnumType } from 'type-graphql';

export enum EventCategory {
  PREPARATION_FOR_ADULTHOOD = 'PREPARATION_FOR_ADULTHOOD',
  PHASE_TRANSFER = 'PHASE_TRANSFER',
  POST16_PHASE_TRANSFER = 'POST16_PHASE_TRANSFER',
  PREPARING_FOR_OFSTED = 'PREPARING_FOR_OFSTED',
  CONFERENCE = 'CONFERENCE',
  OTHER = 'OTHER',
}

export enum EventFormat {
  IN_PERSON = 'IN_PERSON',
  ONLINE = 'ONLINE',
  HYBRID = 'HYBRID',
}

/** DRAFT (training team only) → PUBLISHED (bookable) → CANCELLED | COMPLETED. */
export enum EventStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  CANCELLED = 'CANCELLED',
  COMPLETED = 'COMPLETED',
}

/** The same phases as the directory's SchoolPhase (an audience or a workshop is for a phase). */
export enum Phase {
  EARLY_YEARS = 'EARLY_YEARS',
  PRIMARY = 'PRIMARY',
  SECONDARY = 'SECONDARY',
  SPECIAL = 'SPECIAL',
  ALL_THROUGH = 'ALL_THROUGH',
  POST_16 = 'POST_16',
  ALTERNATIVE_PROVISION = 'ALTERNATIVE_PROVISION',
}

registerEnumType(EventCategory, { name: 'EventCategory' });
registerEnumType(EventFormat, { name: 'EventFormat' });
registerEnumType(EventStatus, { name: 'EventStatus' });
registerEnumType(Phase, { name: 'Phase' });
