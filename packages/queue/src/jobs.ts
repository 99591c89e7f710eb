/**
 * Every queue, job name and job payload in one place (immich's types.ts pattern). Payloads carry
 * what the email needs as it was at commit time, so the worker reads no subgraph's tables.
 */

export const QUEUE_NAMES = { email: 'email' } as const;
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

/** Template variables per email type; each has templates/<type>/{subject,html,text}.hbs in jobs/. */
export interface EmailTemplateVars {
  'booking-confirmation': {
    delegateName: string;
    eventTitle: string;
    startsAt: string;
    endsAt: string;
    venue?: string;
    joiningUrl?: string;
    workshopTitle?: string;
    bookingReference: string;
    cancellationDeadline?: string;
  };
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
  };
}
export type EmailTemplate = keyof EmailTemplateVars;
export const EMAIL_TEMPLATES: readonly EmailTemplate[] = ['booking-confirmation', 'waitlist-notice', 'booking-summary'];

export type EmailJob = {
  [K in EmailTemplate]: { template: K; to: Recipient; vars: EmailTemplateVars[K]; invite?: CalendarInvite };
}[EmailTemplate];

/** What an outbox row can ask for: queue, job name and payload, typed together. */
export type OutboxJob = { queue: typeof QUEUE_NAMES.email; name: EmailTemplate; data: EmailJob };

export function emailJob<K extends EmailTemplate>(template: K, to: Recipient, vars: EmailTemplateVars[K], invite?: CalendarInvite): OutboxJob {
  return { queue: QUEUE_NAMES.email, name: template, data: { template, to, vars, invite } as EmailJob };
}
