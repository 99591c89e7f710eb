import type { Place } from '../bookings/place.entity';
import type { TrainingEvent } from '../events/event.entity';
import type { Certificate } from './certificate.entity';
import { certificateEmail, certificateNumber } from './certificate-emails';

const event = {
  title: 'Preparing for Ofsted, part 1',
  startsAt: new Date('2026-03-16T09:30:00Z'),
  endsAt: new Date('2026-03-16T12:30:00Z'),
  cpdHours: 4, // changed after the certificate was issued: the certificate keeps what it said
} as TrainingEvent;
const place = { delegateName: 'Grace Okafor', delegateEmail: 'g.okafor@meadow.sch.example' } as Place;
const certificate = { serial: '42', delegateName: 'Grace Okafor', cpdHours: 3, issuedBy: 'SEND Training Team', issuedAt: new Date('2026-03-16T15:00:00Z') } as Certificate;

describe('certificateNumber', () => {
  it('pads the serial to six digits, and keeps longer ones whole', () => {
    expect(certificateNumber('42')).toBe('CPD-000042');
    expect(certificateNumber(1234567)).toBe('CPD-1234567');
  });
});

describe('certificateEmail', () => {
  it('asks the email queue for the cpd-certificate email to the delegate, with what the PDF says', () => {
    expect(certificateEmail(event, place, certificate, 'Sensory regulation strategies')).toEqual({
      queue: 'email',
      name: 'cpd-certificate',
      data: {
        template: 'cpd-certificate',
        to: { name: 'Grace Okafor', email: 'g.okafor@meadow.sch.example' },
        vars: {
          delegateName: 'Grace Okafor',
          eventTitle: 'Preparing for Ofsted, part 1',
          startsAt: '2026-03-16T09:30:00.000Z',
          workshopTitle: 'Sensory regulation strategies',
          cpdHours: 3,
          certificateNumber: 'CPD-000042',
        },
        certificate: {
          number: 'CPD-000042',
          delegateName: 'Grace Okafor',
          eventTitle: 'Preparing for Ofsted, part 1',
          workshopTitle: 'Sensory regulation strategies',
          startsAt: '2026-03-16T09:30:00.000Z',
          endsAt: '2026-03-16T12:30:00.000Z',
          cpdHours: 3,
          issuedAt: '2026-03-16T15:00:00.000Z',
          issuedBy: 'SEND Training Team',
        },
      },
    });
  });
});
