import type { Clinic } from '../clinics/clinic.entity';
import { ClinicMode, ClinicStatus } from '../clinics/clinic.enums';
import type { ClinicRequest } from './clinic-request.entity';
import { cancellationEmails, clinicChangedEmail, decisionEmails, requestReceivedEmail } from './request-emails';
import { ClinicRequestStatus } from './request-status';

const clinic = {
  id: 'c1',
  theme: 'SEMH strategies',
  description: 'Routines',
  deliveringSchoolUrn: '900007',
  mode: ClinicMode.ONLINE,
  location: { name: null as never, address: null, postcode: null },
  joiningUrl: 'https://meet.example.org/semh',
  startsAt: new Date('2026-03-10T12:15:00Z'),
  endsAt: new Date('2026-03-10T13:15:00Z'),
  capacity: 10,
  contactEmail: 'clinics@special.example.org',
  bookingQuestions: [],
  status: ClinicStatus.SCHEDULED,
} as unknown as Clinic;
const request = (overrides: Partial<ClinicRequest> = {}) =>
  ({
    id: 'r1',
    clinicId: 'c1',
    schoolUrn: '900001',
    attendeeName: 'Asha Patel',
    attendeeEmail: 'asha@school.example.org',
    answers: [{ key: 'role', label: 'Role', value: 'SENDCO' }],
    status: ClinicRequestStatus.REQUESTED,
    inviteSequence: 0,
    requesterName: 'Sam Sendco',
    requesterEmail: 'sam@school.example.org',
    ...overrides,
  }) as ClinicRequest;

const emails = (jobs: { data: unknown }[]) => jobs.map((j) => j.data as { template: string; to: { email: string }; vars: Record<string, unknown>; invite?: Record<string, unknown> });

describe('clinic request emails', () => {
  it('sends the delivering school the request with its answers', () => {
    const [mail] = emails([requestReceivedEmail(clinic, request(), 4)]);
    expect(mail.to.email).toBe('clinics@special.example.org');
    expect(mail.vars).toMatchObject({ answers: [{ label: 'Role', value: 'SENDCO' }], placesLeft: 4, schoolUrn: '900001' });
    expect(mail.invite).toBeUndefined();
  });

  it('confirms to the attendee with an invitation carrying the link, and copies the requester without either', () => {
    const [toAttendee, toRequester] = emails(decisionEmails(clinic, request({ status: ClinicRequestStatus.CONFIRMED })));
    expect(toAttendee.to.email).toBe('asha@school.example.org');
    expect(toAttendee.vars.joiningUrl).toBe('https://meet.example.org/semh');
    expect(toAttendee.invite).toMatchObject({ uid: 'clinic-request-r1@sendco-hub', sequence: 0, method: 'REQUEST', url: 'https://meet.example.org/semh', organizer: { email: 'clinics@special.example.org' } });
    expect(toRequester.to.email).toBe('sam@school.example.org');
    expect(toRequester.vars).toMatchObject({ copyForRequester: true });
    expect(toRequester.invite).toBeUndefined();
  });

  it('declines without the link or an invitation, and sends no copy when the attendee asked', () => {
    const jobs = emails(decisionEmails(clinic, request({ status: ClinicRequestStatus.DECLINED, requesterEmail: 'ASHA@school.example.org' })));
    expect(jobs).toHaveLength(1);
    expect(jobs[0].vars.joiningUrl).toBeUndefined();
    expect(jobs[0].invite).toBeUndefined();
  });

  it('withdraws a confirmed invitation with the same UID and the raised sequence, and tells the provider when the school cancelled', () => {
    const [toAttendee, toProvider] = emails(cancellationEmails(clinic, request({ status: ClinicRequestStatus.CANCELLED, inviteSequence: 1 }), 'school', true));
    expect(toAttendee.invite).toMatchObject({ uid: 'clinic-request-r1@sendco-hub', sequence: 1, method: 'CANCEL' });
    expect(toAttendee.invite!.url).toBeUndefined();
    expect(toProvider.to.email).toBe('clinics@special.example.org');
    expect(toProvider.vars).toMatchObject({ forProvider: true, cancelledBy: 'school' });
    expect(emails(cancellationEmails(clinic, request({ status: ClinicRequestStatus.CANCELLED }), 'provider', false))).toHaveLength(1);
    expect(emails(cancellationEmails(clinic, request({ status: ClinicRequestStatus.CANCELLED }), 'provider', false))[0].invite).toBeUndefined();
  });

  it('tells a waiting attendee of a change without the link; a confirmed one gets the updated invitation', () => {
    const [waiting] = emails([clinicChangedEmail(clinic, request())]);
    expect(waiting.vars.joiningUrl).toBeUndefined();
    expect(waiting.invite).toBeUndefined();
    const [confirmed] = emails([clinicChangedEmail(clinic, request({ status: ClinicRequestStatus.CONFIRMED, inviteSequence: 2 }))]);
    expect(confirmed.invite).toMatchObject({ sequence: 2, method: 'REQUEST' });
  });
});
