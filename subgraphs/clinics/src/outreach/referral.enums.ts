import { registerEnumType } from 'type-graphql';

/** The support packages of the Special School Outreach service (council briefing, February 2026). */
export enum OutreachPackage {
  /** A SEND / behaviour and relationship strategy built on good teaching and an inclusive culture. */
  LEADERSHIP = 'LEADERSHIP',
  /** Tailored support, e.g. training for a group of students with identified needs or barriers. */
  KEY_WORKER_DEVELOPMENT = 'KEY_WORKER_DEVELOPMENT',
  /** A package built around the school's needs from more than one kind of support. */
  BESPOKE = 'BESPOKE',
}

/** RECEIVED → ALLOCATED (to a special school) → IN_PROGRESS → CLOSED; rules in referral-transitions.ts. */
export enum OutreachReferralStatus {
  RECEIVED = 'RECEIVED',
  ALLOCATED = 'ALLOCATED',
  IN_PROGRESS = 'IN_PROGRESS',
  CLOSED = 'CLOSED',
}

registerEnumType(OutreachPackage, {
  name: 'OutreachPackage',
  description: 'LEADERSHIP (SEND / behaviour and relationship strategy), KEY_WORKER_DEVELOPMENT (tailored training for a group of students), BESPOKE (a package built around the school).',
});
registerEnumType(OutreachReferralStatus, { name: 'OutreachReferralStatus' });

export const PACKAGE_LABELS: Record<OutreachPackage, string> = {
  LEADERSHIP: 'Leadership package',
  KEY_WORKER_DEVELOPMENT: 'Key worker development package',
  BESPOKE: 'Bespoke package',
};

export const STATUS_LABELS: Record<OutreachReferralStatus, string> = {
  RECEIVED: 'Received',
  ALLOCATED: 'Allocated to a special school',
  IN_PROGRESS: 'Support in progress',
  CLOSED: 'Closed',
};
