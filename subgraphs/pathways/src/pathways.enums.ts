import { registerEnumType } from 'type-graphql';

/** DRAFT (being prepared) → OPEN (schools apply inside its window) → CLOSED (the board) → DECIDED (published). */
export enum FundingRoundStatus {
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  DECIDED = 'DECIDED',
}

/** DRAFT (saved, not sent) → SUBMITTED (in front of the board) → WITHDRAWN (by the school, before the board). */
export enum PathwayApplicationStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  WITHDRAWN = 'WITHDRAWN',
}

/** The chair's decision on a submitted application. */
export enum PathwayDecisionOutcome {
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
  RESERVE = 'RESERVE',
}

registerEnumType(FundingRoundStatus, { name: 'FundingRoundStatus', description: 'DRAFT → OPEN (the application window) → CLOSED (the board) → DECIDED (published).' });
registerEnumType(PathwayApplicationStatus, { name: 'PathwayApplicationStatus' });
registerEnumType(PathwayDecisionOutcome, { name: 'PathwayDecisionOutcome', description: 'APPROVED (funded), DECLINED, RESERVE (funded if an approved school cannot go ahead).' });
