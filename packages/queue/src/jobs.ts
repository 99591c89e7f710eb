/**
 * Every queue, job name and job payload in one place (immich's types.ts pattern). Payloads carry
 * what the email needs as it was at commit time, so the worker reads no subgraph's tables.
 */

export const QUEUE_NAMES = {
  email: 'email',
  /** Delayed jobs, one per confirmed place, handled by the training subgraph (it owns the data to decide). */
  trainingReminders: 'training-reminders',
  /** The bulletin subgraph's own jobs: start a send when it is due (fan-out), the weekly digest. */
  bulletinSending: 'bulletin-sending',
  /** One job per bulletin × subscriber (jobId `bulletin-delivery.<id>.<subscriber>`), sent by the jobs process. */
  bulletinDelivery: 'bulletin-delivery',
  /**
   * Bulletin drafts other services ask for (`bulletin-draft` jobs, through their outbox), worked
   * by the bulletin subgraph: one DRAFT per sourceKey, for a bulletin editor to send.
   */
  bulletinDrafts: 'bulletin-drafts',
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

/** What a SEND Clinic email says about the clinic (clinics subgraph). */
export interface ClinicEmailDetails {
  theme: string;
  description: string;
  startsAt: string; // ISO 8601
  endsAt: string; // ISO 8601
  /** Face to face: the location on one line. */
  location?: string;
  /** Online: the joining link, only ever in emails to confirmed attendees (and the delivering school). */
  joiningUrl?: string;
  online: boolean;
  /** The delivering school's contact for questions. */
  contactEmail: string;
  requestId: string;
}

/** Outreach referral emails to the referring school (clinics subgraph). */
export interface OutreachReferralEmail {
  referralId: string;
  schoolUrn: string;
  packageLabel: string;
  status: 'RECEIVED' | 'ALLOCATED' | 'IN_PROGRESS' | 'CLOSED';
  statusLabel: string;
  /** The special school supporting the referring school, once allocated. */
  allocatedSchoolName?: string;
  note?: string;
}

/** Template variables of the clinics subgraph's emails. */
export interface ClinicEmailTemplateVars {
  /** To the delivering school's contact: a school asks for a place, with its booking-form answers. */
  'clinic-request-received': ClinicEmailDetails & {
    schoolUrn: string;
    attendeeName: string;
    attendeeEmail: string;
    attendeeRole?: string;
    answers: { label: string; value: string }[];
    placesLeft: number;
  };
  /** To the attendee (with an invitation when confirmed) and, as a copy, the person who asked. */
  'clinic-request-decided': ClinicEmailDetails & {
    recipientName: string;
    attendeeName: string;
    confirmed: boolean;
    message?: string;
    /** The copy to the person who asked, when they are not the attendee. */
    copyForRequester?: boolean;
  };
  /** To the attendee (withdrawing the invitation when it was confirmed), and to the delivering school when the school cancelled. */
  'clinic-request-cancelled': ClinicEmailDetails & {
    recipientName: string;
    attendeeName: string;
    schoolUrn: string;
    /** Who cancelled: the requesting school, the delivering school, or the whole clinic was cancelled. */
    cancelledBy: 'school' | 'provider' | 'clinic';
    reason?: string;
    forProvider?: boolean;
  };
  /** To each active attendee when the clinic's details change (confirmed ones get an updated invitation). */
  'clinic-changed': ClinicEmailDetails & { attendeeName: string; confirmed: boolean };
  /** To the referring school at every change of its referral, receipt included. */
  'outreach-referral-update': OutreachReferralEmail;
}

/** What every banding email says about the return it is about (banding subgraph): never a pupil's name. */
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

/** The banding subgraph's emails. */
export interface BandingEmailTemplateVars {
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
}
/** The clinics subgraph's emails join the list (interface merging keeps each subgraph's block its own). */
export interface EmailTemplateVars extends ClinicEmailTemplateVars {}

/** The bulletin subgraph's emails through the outbox (bulletins themselves go through its delivery queue). */
export interface BulletinEmailTemplateVars {
  /** Double opt-in: the only email an unconfirmed address ever gets. */
  'bulletin-confirmation': { name?: string; confirmUrl: string; topics: string[] };
  /** A bulletin rendered for its editor's own address, before it goes out. */
  'bulletin-test': { subject: string; html: string; text: string };
}
export interface EmailTemplateVars extends BulletinEmailTemplateVars {}
/** The banding subgraph's emails join the list the same way. */
export interface EmailTemplateVars extends BandingEmailTemplateVars {}
/** The board's decision on an Enhanced Pathways application, as the outcome email states it. */
export type PathwayDecision = 'APPROVED' | 'DECLINED' | 'RESERVE';

/** The pathways subgraph's emails. */
export interface PathwayEmailTemplateVars {
  /** To the applicant school when a round is published: the board's decision on its application, and why. */
  'pathway-outcome': {
    /** Whom the email greets (the applicant); "colleague" when unknown. */
    recipientName?: string;
    schoolName: string;
    schoolUrn: string;
    roundTitle: string;
    decision: PathwayDecision;
    reason: string;
    /** Who answers questions about the decision (the round's contact). */
    contactEmail: string;
    contactName?: string;
  };
}
export interface EmailTemplateVars extends PathwayEmailTemplateVars {}
export type EmailTemplate = keyof EmailTemplateVars;
/** The clinics subgraph's templates. */
export const CLINIC_EMAIL_TEMPLATES: readonly (keyof ClinicEmailTemplateVars)[] = ['clinic-request-received', 'clinic-request-decided', 'clinic-request-cancelled', 'clinic-changed', 'outreach-referral-update'];
/** The banding subgraph's templates. */
export const BANDING_EMAIL_TEMPLATES: readonly (keyof BandingEmailTemplateVars)[] = ['banding-return-submitted', 'banding-return-approved', 'banding-return-returned'];
/** The pathways subgraph's templates. */
export const PATHWAY_EMAIL_TEMPLATES: readonly (keyof PathwayEmailTemplateVars)[] = ['pathway-outcome'];
/** The bulletin subgraph's templates. */
export const BULLETIN_EMAIL_TEMPLATES: readonly (keyof BulletinEmailTemplateVars)[] = ['bulletin-confirmation', 'bulletin-test'];
export const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  'booking-confirmation',
  'place-cancelled',
  'event-reminder',
  'waitlist-notice',
  'booking-summary',
  'cpd-certificate',
  ...CLINIC_EMAIL_TEMPLATES,
  ...BANDING_EMAIL_TEMPLATES,
  ...BULLETIN_EMAIL_TEMPLATES,
  ...PATHWAY_EMAIL_TEMPLATES,
];

export type EmailJob = {
  [K in EmailTemplate]: {
    template: K;
    to: Recipient;
    vars: EmailTemplateVars[K];
    invite?: CalendarInvite;
    certificate?: CpdCertificate;
    /** Extra headers (e.g. List-Unsubscribe), added to the worker's own. */
    headers?: Record<string, string>;
  };
}[EmailTemplate];

/** A reminder due for one place; the handler checks the place and event still warrant it. */
export interface PlaceReminderJob {
  placeId: string;
  /** The start time the reminder was scheduled for: a moved event has a new reminder. */
  eventStartsAt: string;
}

/** A bulletin's send falls due: the bulletin subgraph starts it if it is still scheduled for this time. */
export interface BulletinSendJob {
  bulletinId: string;
  /** Rescheduling or cancelling raises the bulletin's version, so an older job finds nothing to do. */
  scheduleVersion: number;
}

/** One bulletin (or digest) to one subscriber; the delivery row decides whether it is still to send. */
export interface BulletinDeliveryJob {
  bulletinId: string;
  subscriberId: string;
}

/** One item of a drafted bulletin: a Markdown body, under the bulletin's rules (createBulletin's). */
export interface BulletinDraftItem {
  heading: string;
  body: string;
  /** A slug from the bulletin's managed topic list, e.g. `enhanced-pathways`. */
  topic: string;
  link?: string;
}

/**
 * A bulletin another service drafts (it never touches the bulletin schema). `sourceKey` names
 * what the draft is about, `<service>:<what>:<id>` (e.g. `pathways:round:<id>`): the bulletin
 * subgraph makes at most one draft per key, so a repeated job is harmless.
 */
export interface BulletinDraftJob {
  sourceKey: string;
  title: string;
  intro: string;
  items: BulletinDraftItem[];
  /** Who it is addressed to (topic slugs); by default the items' topics. */
  topics?: string[];
}

/** `<service>:<rest>`: a lower-case service name, then up to 200 printable characters without spaces. */
export const BULLETIN_DRAFT_SOURCE_KEY = /^[a-z][a-z0-9-]{0,39}:[\x21-\x7e]{1,200}$/;

/** What an outbox row can ask for: queue, job name and payload, typed together. */
export type OutboxJob =
  | { queue: typeof QUEUE_NAMES.email; name: EmailTemplate; data: EmailJob }
  | { queue: typeof QUEUE_NAMES.trainingReminders; name: 'place-reminder'; data: PlaceReminderJob; runAt: Date }
  | { queue: typeof QUEUE_NAMES.bulletinSending; name: 'bulletin-send'; data: BulletinSendJob; runAt: Date }
  | { queue: typeof QUEUE_NAMES.bulletinDrafts; name: 'bulletin-draft'; data: BulletinDraftJob };

export type EmailOutboxJob = Extract<OutboxJob, { queue: typeof QUEUE_NAMES.email }>;

export function placeReminderJob(data: PlaceReminderJob, runAt: Date): OutboxJob {
  return { queue: QUEUE_NAMES.trainingReminders, name: 'place-reminder', data, runAt };
}

export function emailJob<K extends EmailTemplate>(template: K, to: Recipient, vars: EmailTemplateVars[K], invite?: CalendarInvite): EmailOutboxJob {
  return { queue: QUEUE_NAMES.email, name: template, data: { template, to, vars, invite } as EmailJob };
}

export function bulletinSendJob(data: BulletinSendJob, runAt: Date): OutboxJob {
  return { queue: QUEUE_NAMES.bulletinSending, name: 'bulletin-send', data, runAt };
}

/** A bulletin draft for the bulletin subgraph to make (once per `sourceKey`); the producer lists `bulletin-drafts` in its extraQueues. */
export function bulletinDraftJob(data: BulletinDraftJob): OutboxJob {
  return { queue: QUEUE_NAMES.bulletinDrafts, name: 'bulletin-draft', data };
}

/**
 * The deterministic job id of one delivery: enqueuing it twice (a repeated fan-out) adds nothing.
 * No colon: BullMQ refuses custom ids with one except the three-part form it still accepts for
 * old repeatable jobs (`bulletin:<id>:<subscriber>`, the first form here), which a later major
 * refuses too. Jobs already queued under the old form keep working (the worker reads their
 * data, not their id); a fan-out resumed across the upgrade may add a second job for a
 * delivery, which finds the row claimed or SENT and sends nothing.
 */
export function bulletinDeliveryJobId(job: BulletinDeliveryJob): string {
  return `bulletin-delivery.${job.bulletinId}.${job.subscriberId}`;
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
