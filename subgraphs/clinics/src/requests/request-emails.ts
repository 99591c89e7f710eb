/**
 * Which emails a clinic request's life sends, and what is in them. Recorded in the outbox in the
 * transaction that makes the change; the jobs worker renders and sends them. The joining link of
 * an online clinic goes only to confirmed attendees (and the delivering school's own contact).
 */
import { emailJob, type CalendarInvite, type ClinicEmailDetails, type OutboxJob, type Recipient } from '@sendco/queue';
import type { Clinic } from '../clinics/clinic.entity';
import { ClinicMode } from '../clinics/clinic.enums';
import type { ClinicRequest } from './clinic-request.entity';
import { ClinicRequestStatus } from './request-status';

/** The calendar UID of a request: stable for its life, so an update or cancellation replaces the invitation. */
export function requestInviteUid(request: Pick<ClinicRequest, 'id'>): string {
  return `clinic-request-${request.id}@sendco-hub`;
}

export function locationLine(clinic: Pick<Clinic, 'location'>): string | undefined {
  if (!clinic.location?.name) return undefined;
  return [clinic.location.name, clinic.location.address, clinic.location.postcode].filter(Boolean).join(', ');
}

function details(clinic: Clinic, request: ClinicRequest, withJoiningUrl: boolean): ClinicEmailDetails {
  return {
    theme: clinic.theme,
    description: clinic.description,
    startsAt: clinic.startsAt.toISOString(),
    endsAt: clinic.endsAt.toISOString(),
    location: locationLine(clinic),
    joiningUrl: withJoiningUrl && clinic.mode === ClinicMode.ONLINE ? (clinic.joiningUrl ?? undefined) : undefined,
    online: clinic.mode === ClinicMode.ONLINE,
    contactEmail: clinic.contactEmail,
    requestId: request.id,
  };
}

const attendee = (request: ClinicRequest): Recipient => ({ name: request.attendeeName, email: request.attendeeEmail });

/** The person who asked, when they are someone other than the attendee. */
function requesterCopy(request: ClinicRequest): Recipient | undefined {
  if (!request.requesterEmail || request.requesterEmail.toLowerCase() === request.attendeeEmail.toLowerCase()) return undefined;
  return { name: request.requesterName ?? undefined, email: request.requesterEmail };
}

/** The attendee's invitation at the request's current sequence; the delivering school's contact organises it. */
export function clinicInvite(clinic: Clinic, request: ClinicRequest, method: 'REQUEST' | 'CANCEL'): CalendarInvite {
  const joiningUrl = method === 'REQUEST' && clinic.mode === ClinicMode.ONLINE ? (clinic.joiningUrl ?? undefined) : undefined;
  return {
    uid: requestInviteUid(request),
    sequence: request.inviteSequence,
    method,
    title: `SEND Clinic: ${clinic.theme}`,
    description: [clinic.description, joiningUrl ? `Join online: ${joiningUrl}` : undefined].filter(Boolean).join('\n\n'),
    startsAt: clinic.startsAt.toISOString(),
    endsAt: clinic.endsAt.toISOString(),
    location: locationLine(clinic) ?? (clinic.mode === ClinicMode.ONLINE ? 'Online' : undefined),
    url: joiningUrl,
    organizer: { name: `SEND Clinic: ${clinic.theme}`, email: clinic.contactEmail },
    attendee: attendee(request),
  };
}

/** A new request: the delivering school's contact gets it with the answers. */
export function requestReceivedEmail(clinic: Clinic, request: ClinicRequest, placesLeft: number): OutboxJob {
  return emailJob('clinic-request-received', { email: clinic.contactEmail }, {
    ...details(clinic, request, true),
    schoolUrn: request.schoolUrn,
    attendeeName: request.attendeeName,
    attendeeEmail: request.attendeeEmail,
    attendeeRole: request.attendeeRole ?? undefined,
    answers: request.answers.map(({ label, value }) => ({ label, value })),
    placesLeft,
  });
}

/** A decision: the attendee (with the invitation when confirmed) and the person who asked, if someone else. */
export function decisionEmails(clinic: Clinic, request: ClinicRequest): OutboxJob[] {
  const confirmed = request.status === ClinicRequestStatus.CONFIRMED;
  const vars = { ...details(clinic, request, confirmed), attendeeName: request.attendeeName, confirmed, message: request.decisionMessage ?? undefined };
  const jobs = [emailJob('clinic-request-decided', attendee(request), { ...vars, recipientName: request.attendeeName }, confirmed ? clinicInvite(clinic, request, 'REQUEST') : undefined)];
  const copy = requesterCopy(request);
  if (copy) jobs.push(emailJob('clinic-request-decided', copy, { ...vars, recipientName: copy.name ?? copy.email, copyForRequester: true }));
  return jobs;
}

/**
 * A request cancelled (by `cancelledBy`): the attendee is told, and a confirmed attendee's
 * invitation withdrawn (same UID, `request` carries the raised sequence); the delivering school is
 * told when the requesting school cancelled.
 */
export function cancellationEmails(clinic: Clinic, request: ClinicRequest, cancelledBy: 'school' | 'provider' | 'clinic', wasConfirmed: boolean): OutboxJob[] {
  const vars = {
    ...details(clinic, request, false),
    attendeeName: request.attendeeName,
    schoolUrn: request.schoolUrn,
    cancelledBy,
    reason: (cancelledBy === 'clinic' ? clinic.cancelledReason : request.cancelledReason) ?? undefined,
  };
  const jobs = [emailJob('clinic-request-cancelled', attendee(request), { ...vars, recipientName: request.attendeeName }, wasConfirmed ? clinicInvite(clinic, request, 'CANCEL') : undefined)];
  if (cancelledBy === 'school') jobs.push(emailJob('clinic-request-cancelled', { email: clinic.contactEmail }, { ...vars, recipientName: 'colleague', forProvider: true }));
  return jobs;
}

/** The clinic's details changed: each active attendee is told; a confirmed one gets the updated invitation (sequence already raised). */
export function clinicChangedEmail(clinic: Clinic, request: ClinicRequest): OutboxJob {
  const confirmed = request.status === ClinicRequestStatus.CONFIRMED;
  return emailJob(
    'clinic-changed',
    attendee(request),
    { ...details(clinic, request, confirmed), attendeeName: request.attendeeName, confirmed },
    confirmed ? clinicInvite(clinic, request, 'REQUEST') : undefined,
  );
}
