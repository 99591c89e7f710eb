import { registerEnumType } from 'type-graphql';

/** Whether a school is open, as Get Information About Schools says (`EstablishmentStatus`). */
export enum SchoolStatus {
  OPEN = 'OPEN',
  OPEN_PROPOSED_TO_CLOSE = 'OPEN_PROPOSED_TO_CLOSE',
  PROPOSED_TO_OPEN = 'PROPOSED_TO_OPEN',
  CLOSED = 'CLOSED',
}

registerEnumType(SchoolStatus, {
  name: 'SchoolStatus',
  description: "As in Get Information About Schools. A closed school is kept, with everything that refers to it; schools the council adds itself are OPEN.",
});
