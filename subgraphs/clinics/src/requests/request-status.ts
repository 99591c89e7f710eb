import { registerEnumType } from 'type-graphql';

/** REQUESTED → CONFIRMED | DECLINED; REQUESTED or CONFIRMED → CANCELLED (either side, or the clinic is cancelled). */
export enum ClinicRequestStatus {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
}

export enum ClinicDecision {
  CONFIRM = 'CONFIRM',
  DECLINE = 'DECLINE',
}

registerEnumType(ClinicRequestStatus, { name: 'ClinicRequestStatus' });
registerEnumType(ClinicDecision, { name: 'ClinicDecision' });

/** Requests that hold one of the clinic's places (a REQUESTED place is held while the provider decides). */
export const HOLDS_PLACE: readonly ClinicRequestStatus[] = [ClinicRequestStatus.REQUESTED, ClinicRequestStatus.CONFIRMED];
