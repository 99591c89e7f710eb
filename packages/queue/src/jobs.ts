/**
 * Every queue, job name and job payload in one place (immich's types.ts pattern). Payloads carry
 * what the email needs as it was at commit time, so the worker reads no subgraph's tables.
 */

export const QUEUE_NAMES = {
  email: 'email',
  /** Delayed jobs, one per confirmed place, handled by the training subgraph (it owns the data to decide). */
  trainingReminders: 'training-reminders',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export interface Recipient {
  name?: string;
  email: string;
}

/** An iCalendar invitation. `uid` stays the same for the life of a place so updates and cancellations replace it. */
export interface CalendarInvite {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  description: string;
  startsAt: string; // ISO 8601
  endsAt: string; // ISO 8601
  location?: string;
  url?: string;
  organizer: Recipient;
  attendee: Recipient;
}

/** What a CPD certificate says; the jobs worker makes the PDF from it when it sends the email. */
export interface CpdCertificate {
  /** Quoted when someone asks the training team to confirm a certificate, e.g. CPD-000123. */
  number: string;
  delegateName: string;
  eventTitle: string;
  workshopTitle?: string;
  startsAt: string; // ISO 8601
  endsAt: string; // ISO 8601
  cpdHours: number;
  issuedAt: string; // ISO 8601
  issuedBy: string;
}

/** What a delegate is told about their place (confirmation and reminder). */
export interface PlaceDetails {
  delegateName: string;
  eventTitle: string;
  startsAt: string;
  endsAt: string;
  venue?: string;
  joiningUrl?: string;
  workshopTitle?: string;
  bookingReference: string;
}

/** Template variables per email type; each has templates/<type>/{subject,html,text}.hbs in jobs/. */
export interface EmailTemplateVars {
  'booking-confirmation': PlaceDetails & {
    cancellationDeadline?: string;
    /** True when the place came off the waiting list (the email says so). */
    promoted?: boolean;
    /** True when the event has moved: the details and the invitation are updated. */
    changed?: boolean;
  };
  /** A place cancelled by the school or the training team, or because the whole event was cancelled. */
  'place-cancelled': {
    delegateName: string;
    eventTitle: string;
    startsAt: string;
    bookingReference: string;
    eventCancelled: boolean;
    /** Someone else now has the place (a delegate swap). */
    replaced: boolean;
    reason?: string;
  };
  /** The same details as the confirmation, shortly before the event. */
  'event-reminder': PlaceDetails;
  'waitlist-notice': {
    delegateName: string;
    eventTitle: string;
    startsAt: string;
    workshopTitle?: string;
    bookingReference: string;
  };
  'booking-summary': {
    bookerName: string;
    eventTitle: string;
    startsAt: string;
    bookingReference: string;
    schoolUrn: string;
    purchaseOrder?: string;
    places: { delegateName: string; delegateEmail: string; status: string; workshopTitle?: string }[];
    /** The school's SENDCO's copy, when someone else booked. */
    copyForSendco?: boolean;
  };
  'cpd-certificate': {
    delegateName: string;
    eventTitle: string;
    startsAt: string;
    workshopTitle?: string;
    cpdHours: number;
    certificateNumber: string;
  };
  // --- banding (EHCP banding returns): facts about a return, never a pupil's name ---
  /** To the council's QA inbox (BANDING_QA_EMAIL) when a school submits its return. */
  'banding-return-submitted': BandingReturnFacts & {
    /** True when the return had been sent back and the school has submitted it again. */
    resubmitted: boolean;
    pupils: number;
    upTo25Hours: number;
    over25Hours: number;
  };
  /** To the school's SENDCO when the council approves the return. */
  'banding-return-approved': BandingDecisionVars;
  /** To the school's SENDCO when the council returns it, with the comments. */
  'banding-return-returned': BandingDecisionVars & { comments: string };
}

/** What every banding email says about the return it is about. */
export interface BandingReturnFacts {
  schoolUrn: string;
  matrixVersion: number;
  ehcpCount: number;
  over25HoursCount: number;
}

export interface BandingDecisionVars extends BandingReturnFacts {
  recipientName: string;
  pupils: number;
  agreed: number;
  /** Pupils whose band the council adjusted, by the school's own reference. */
  adjusted: { pupilRef: string; suggestedBand: number; agreedBand: number; reason: string }[];
  comments?: string;
}
export type EmailTemplate = keyof EmailTemplateVars;
export const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  'booking-confirmation',
  'place-cancelled',
  'event-reminder',
  'waitlist-notice',
  'booking-summary',
  'cpd-certificate',
  // banding
  'banding-return-submitted',
  'banding-return-approved',
  'banding-return-returned',
];
export const BANDING_EMAIL_TEMPLATES = ['banding-return-submitted', 'banding-return-approved', 'banding-return-returned'] as const satisfies readonly EmailTemplate[];

export type EmailJob = {
  [K in EmailTemplate]: { template: K; to: Recipient; vars: EmailTemplateVars[K]; invite?: CalendarInvite; certificate?: CpdCertificate };
}[EmailTemplate];

/** A reminder due for one place; the handler checks the place and event still warrant it. */
export interface PlaceReminderJob {
  placeId: string;
  /** The start time the reminder was scheduled for: a moved event has a new reminder. */
  eventStartsAt: string;
}

/** What an outbox row can ask for: queue, job name and payload, typed together. */
export type OutboxJob =
  | { queue: typeof QUEUE_NAMES.email; name: EmailTemplate; data: EmailJob }
  | { queue: typeof QUEUE_NAMES.trainingReminders; name: 'place-reminder'; data: PlaceReminderJob; runAt: Date };

export type EmailOutboxJob = Extract<OutboxJob, { queue: typeof QUEUE_NAMES.email }>;

export function placeReminderJob(data: PlaceReminderJob, runAt: Date): OutboxJob {
  return { queue: QUEUE_NAMES.trainingReminders, name: 'place-reminder', data, runAt };
}

export function emailJob<K extends EmailTemplate>(template: K, to: Recipient, vars: EmailTemplateVars[K], invite?: CalendarInvite): EmailOutboxJob {
  return { queue: QUEUE_NAMES.email, name: template, data: { template, to, vars, invite } as EmailJob };
}

/**
 * A CPD certificate email: the worker attaches the certificate as a PDF it makes at send time, so
 * the outbox row stays small. The email says what the certificate says, so its variables come from it.
 */
export function cpdCertificateJob(to: Recipient, certificate: CpdCertificate): EmailOutboxJob {
  const { number, delegateName, eventTitle, startsAt, workshopTitle, cpdHours } = certificate;
  const vars: EmailTemplateVars['cpd-certificate'] = { delegateName, eventTitle, startsAt, workshopTitle, cpdHours, certificateNumber: number };
  return { queue: QUEUE_NAMES.email, name: 'cpd-certificate', data: { template: 'cpd-certificate', to, vars, certificate } };
}
