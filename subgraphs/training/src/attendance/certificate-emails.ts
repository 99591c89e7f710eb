/**
 * The certificate email: recorded in the outbox in the attendance transaction; the jobs worker
 * renders it and makes the PDF from `certificate` when it sends it.
 */
import { cpdCertificateJob, type OutboxJob } from '@sendco/queue';
import { TRAINING_TEAM } from '../bookings/booking-emails';
import type { Place } from '../bookings/place.entity';
import type { TrainingEvent } from '../events/event.entity';
import type { Certificate } from './certificate.entity';

/** Who issues certificates, as the certificate and its email sign off. */
export const CERTIFICATE_ISSUER = TRAINING_TEAM;

/** CPD-000123: the number printed on the certificate and quoted to confirm it. */
export function certificateNumber(serial: string | number): string {
  return `CPD-${String(serial).padStart(6, '0')}`;
}

export function certificateEmail(event: TrainingEvent, place: Place, certificate: Certificate, workshopTitle?: string): OutboxJob {
  return cpdCertificateJob(
    { name: place.delegateName, email: place.delegateEmail },
    {
      number: certificateNumber(certificate.serial),
      delegateName: certificate.delegateName,
      eventTitle: event.title,
      workshopTitle,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
      cpdHours: certificate.cpdHours,
      issuedAt: certificate.issuedAt.toISOString(),
      issuedBy: certificate.issuedBy,
    },
  );
}
