/**
 * The email templates rendered with realistic payloads, as the worker renders them (the real
 * TemplateRenderer over jobs/templates): the right facts in the subject, HTML and text parts,
 * dates in London time, and delegate-supplied text escaped in the HTML.
 */
import { TemplateRenderer, type RenderedEmail } from '@sendco/mail';
import { BANDING_EMAIL_TEMPLATES, BULLETIN_EMAIL_TEMPLATES, CLINIC_EMAIL_TEMPLATES, EMAIL_TEMPLATES, PATHWAY_EMAIL_TEMPLATES, type EmailTemplate, type EmailTemplateVars } from '@sendco/queue';
import { TEMPLATES_DIR } from './email.handler';

// Older ICU builds write "Monday 16 March 2026", newer ones "Monday, 16 March 2026": accept both.
const MONDAY_16_MARCH_0930 = /Monday,? 16 March 2026 at 09:30/;

const confirmation: EmailTemplateVars['booking-confirmation'] = {
  delegateName: 'Aisha Rahman',
  eventTitle: 'Supporting pupils with autism in mainstream classrooms',
  startsAt: '2026-03-16T09:30:00Z',
  endsAt: '2026-03-16T15:30:00Z',
  venue: 'Learning Centre, Room 4, 12 High Street, Anytown AN1 2BC',
  workshopTitle: 'Sensory regulation strategies',
  bookingReference: 'SEND-26-0412',
  cancellationDeadline: '2026-03-09T17:00:00Z',
};

const waitlist: EmailTemplateVars['waitlist-notice'] = {
  delegateName: 'Tom Hughes',
  eventTitle: 'SENCO network meeting: spring term',
  startsAt: '2026-03-16T09:30:00Z',
  workshopTitle: 'Writing effective EHCP outcomes',
  bookingReference: 'SEND-26-0413',
};

const summary: EmailTemplateVars['booking-summary'] = {
  bookerName: 'Helen Clarke',
  eventTitle: 'Supporting pupils with autism in mainstream classrooms',
  startsAt: '2026-03-16T09:30:00Z',
  bookingReference: 'SEND-26-0414',
  schoolUrn: '100234',
  purchaseOrder: 'PO-88721',
  places: [
    { delegateName: 'Aisha Rahman', delegateEmail: 'a.rahman@oakfield.sch.example', status: 'Confirmed', workshopTitle: 'Sensory regulation strategies' },
    { delegateName: 'Tom Hughes', delegateEmail: 't.hughes@oakfield.sch.example', status: 'Waiting list' },
  ],
};

const cancelled: EmailTemplateVars['place-cancelled'] = {
  delegateName: 'Aisha Rahman',
  eventTitle: 'Preparing for Ofsted',
  startsAt: '2026-03-16T09:30:00Z',
  bookingReference: 'SEND-26-0412',
  eventCancelled: false,
  replaced: false,
  reason: 'Staff illness',
};

const reminder: EmailTemplateVars['event-reminder'] = {
  delegateName: 'Aisha Rahman',
  eventTitle: 'Preparing for Ofsted',
  startsAt: '2026-03-16T09:30:00Z',
  endsAt: '2026-03-16T12:30:00Z',
  joiningUrl: 'https://meet.example.org/ofsted',
  bookingReference: 'SEND-26-0412',
};

const certificate: EmailTemplateVars['cpd-certificate'] = {
  delegateName: 'Aisha Rahman',
  eventTitle: 'Supporting pupils with autism in mainstream classrooms',
  startsAt: '2026-03-16T09:30:00Z',
  workshopTitle: 'Sensory regulation strategies',
  cpdHours: 2.5,
  certificateNumber: 'CPD-000042',
};

const renderer = new TemplateRenderer(TEMPLATES_DIR);

function render<K extends EmailTemplate>(template: K, vars: EmailTemplateVars[K]): RenderedEmail {
  return renderer.render(template, vars);
}

/** The HTML and text parts are alternatives: a reader of either must get the same facts. */
function expectBothBodies(email: RenderedEmail, ...facts: (string | RegExp)[]): void {
  for (const body of [email.html, email.text]) {
    for (const fact of facts) {
      if (typeof fact === 'string') expect(body).toContain(fact);
      else expect(body).toMatch(fact);
    }
  }
}

describe('email templates', () => {
  it('has subject, HTML and text templates for every email type', () => {
    expect(() => renderer.assertTemplates(EMAIL_TEMPLATES)).not.toThrow();
  });

  describe('booking-confirmation', () => {
    it('confirms the place with the event, London date and time, venue, workshop and reference', () => {
      const email = render('booking-confirmation', confirmation);

      expect(email.subject).toMatch(/^Place confirmed: Supporting pupils with autism in mainstream classrooms on Monday,? 16 March 2026$/);
      expectBothBodies(
        email,
        'Dear Aisha Rahman,',
        confirmation.eventTitle,
        MONDAY_16_MARCH_0930,
        /Monday,? 16 March 2026 at 15:30/,
        confirmation.venue!,
        'Sensory regulation strategies',
        'SEND-26-0412',
        /cancel your place by (<strong>)?Monday,? 9 March 2026 at 17:00/,
        'The calendar invitation is attached',
        'SEND Training Team',
        'SENDCO Hub',
      );
      expect(email.html).toMatch(/^<!DOCTYPE html>/);
    });

    it('gives the joining link instead of a venue for an online event', () => {
      const { venue, ...online } = confirmation;
      const email = render('booking-confirmation', { ...online, joiningUrl: 'https://meet.example.org/j/8841' });

      expect(email.text).toContain('Where: online — the joining link is https://meet.example.org/j/8841');
      expect(email.html).toContain('<a href="https://meet.example.org/j/8841"');
      expect(email.html).not.toContain(venue!);
    });

    it('leaves out the workshop and cancellation lines when there are none', () => {
      const { workshopTitle, cancellationDeadline, ...plain } = confirmation;
      const email = render('booking-confirmation', plain);

      expect(email.text).not.toContain('Workshop:');
      expect(email.text).not.toContain('cancel your place by');
      expect(email.html).not.toContain('>Workshop<');
    });

    it('shows times in UK summer time when the clocks have gone forward', () => {
      const email = render('booking-confirmation', { ...confirmation, startsAt: '2026-07-16T08:00:00Z', endsAt: '2026-07-16T14:00:00Z' });

      expectBothBodies(email, /Thursday,? 16 July 2026 at 09:00/, /Thursday,? 16 July 2026 at 15:00/);
    });

    it("escapes a delegate's name in the HTML part and keeps it as typed in the text part", () => {
      const email = render('booking-confirmation', { ...confirmation, delegateName: "Siobhan O'Brien <script>alert(1)</script>" });

      expect(email.html).not.toContain('<script>');
      expect(email.html).toContain('Dear Siobhan O&#x27;Brien &lt;script&gt;alert(1)&lt;/script&gt;,');
      expect(email.text).toContain("Dear Siobhan O'Brien <script>alert(1)</script>,");
    });

    it('refuses to render without a required value rather than sending a gap', () => {
      const { delegateName, ...incomplete } = confirmation;

      expect(() => renderer.render('booking-confirmation', incomplete)).toThrow(/delegateName/);
    });
  });

  describe('waitlist-notice', () => {
    it('says the delegate is on the waiting list, first come first served, and will be emailed if a place frees up', () => {
      const email = render('waitlist-notice', waitlist);

      expect(email.subject).toMatch(/^On the waiting list: SENCO network meeting: spring term on Monday,? 16 March 2026$/);
      expectBothBodies(
        email,
        'Dear Tom Hughes,',
        waitlist.eventTitle,
        MONDAY_16_MARCH_0930,
        'Writing effective EHCP outcomes',
        'added to the waiting list',
        'You do not have a place yet',
        'first come, first served',
        'we will email you straight away',
        'SEND-26-0413',
        'SEND Training Team',
      );
    });
  });

  describe('booking-summary', () => {
    it('lists every place with delegate name, email, status and workshop, and the purchase order', () => {
      const email = render('booking-summary', summary);

      expect(email.subject).toMatch(/^Booking summary: .+ on Monday,? 16 March 2026 \(reference SEND-26-0414\)$/);
      expectBothBodies(email, 'Dear Helen Clarke,', summary.eventTitle, MONDAY_16_MARCH_0930, 'SEND-26-0414', '100234', 'PO-88721', 'SEND Training Team');
      for (const place of summary.places) {
        expectBothBodies(email, place.delegateName, place.delegateEmail, place.status);
      }
      expectBothBodies(email, 'Sensory regulation strategies');
      expect(email.html).toContain('<th scope="col"');
    });

    it('leaves out the purchase order line when there is none', () => {
      const { purchaseOrder, ...noOrder } = summary;
      const email = render('booking-summary', noOrder);

      expect(email.text).not.toContain('Purchase order');
      expect(email.html).not.toContain('Purchase order');
    });
  });

  describe('place-cancelled', () => {
    it('says the place is cancelled, with the reason and reference', () => {
      const email = render('place-cancelled', cancelled);
      expect(email.subject).toMatch(/^Place cancelled: Preparing for Ofsted on Monday,? 16 March 2026$/);
      expectBothBodies(email, 'Your place on', 'has been cancelled', 'Reason given: Staff illness', 'SEND-26-0412', MONDAY_16_MARCH_0930);
    });

    it('says the whole event is cancelled when it is', () => {
      const email = render('place-cancelled', { ...cancelled, eventCancelled: true, reason: undefined });
      expect(email.subject).toMatch(/^Event cancelled: /);
      expectBothBodies(email, 'has been cancelled, so your place on it is cancelled too');
      expect(email.text).not.toContain('Reason given');
    });

    it('tells a swapped-out delegate that a colleague has the place', () => {
      expectBothBodies(render('place-cancelled', { ...cancelled, replaced: true }), 'passed to a colleague from your school');
    });
  });

  describe('event-reminder', () => {
    it('reminds the delegate with times, joining link and reference', () => {
      const email = render('event-reminder', reminder);
      expect(email.subject).toMatch(/^Reminder: Preparing for Ofsted on Monday,? 16 March 2026$/);
      expectBothBodies(email, 'https://meet.example.org/ofsted', 'SEND-26-0412', MONDAY_16_MARCH_0930);
    });
  });

  it('says when the event has moved, with the new details', () => {
    const email = render('booking-confirmation', { ...confirmation, changed: true });
    expect(email.subject).toMatch(/^Event details changed: /);
    expectBothBodies(email, 'The details of this event have changed', MONDAY_16_MARCH_0930);
  });

  it('says when a confirmed place came off the waiting list', () => {
    const email = render('booking-confirmation', { ...confirmation, promoted: true });
    expect(email.subject).toMatch(/^Off the waiting list, place confirmed: /);
    expectBothBodies(email, 'a place has become free and it is yours');
  });

  describe('cpd-certificate', () => {
    it('thanks the delegate and gives the event, workshop, London date, CPD hours and certificate number', () => {
      const email = render('cpd-certificate', certificate);

      expect(email.subject).toMatch(/^Your CPD certificate: Supporting pupils with autism in mainstream classrooms on Monday,? 16 March 2026$/);
      expectBothBodies(
        email,
        'Dear Aisha Rahman,',
        'Thank you for attending',
        certificate.eventTitle,
        'Sensory regulation strategies',
        /Monday,? 16 March 2026/,
        '2.5 hours',
        'CPD-000042',
        'attached as a PDF',
        'SEND Training Team',
      );
    });

    it('says "1 hour", and leaves out the hours and workshop when there are none', () => {
      expectBothBodies(render('cpd-certificate', { ...certificate, cpdHours: 1 }), /\b1 hour\b/);
      const { workshopTitle, ...plain } = certificate;
      const email = render('cpd-certificate', { ...plain, cpdHours: 0 });
      expect(email.text).not.toContain('Workshop:');
      expect(email.text).not.toContain('CPD: ');
      expect(email.html).not.toContain('>Workshop<');
    });
  });

  // The clinics, banding and bulletin emails have their own checks (clinic-, banding-, bulletin-templates.test.ts).
  const OWN_CHECKS: readonly string[] = [...CLINIC_EMAIL_TEMPLATES, ...BANDING_EMAIL_TEMPLATES, ...BULLETIN_EMAIL_TEMPLATES, ...PATHWAY_EMAIL_TEMPLATES];
  it.each(EMAIL_TEMPLATES.filter((t) => !OWN_CHECKS.includes(t)))('%s leaves no Handlebars syntax in its output', (template) => {
    const vars = ({ 'place-cancelled': cancelled, 'event-reminder': reminder, 'booking-confirmation': confirmation, 'waitlist-notice': waitlist, 'booking-summary': summary, 'cpd-certificate': certificate } as Record<string, object>)[template];
    const email = renderer.render(template, vars);

    for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(/{{|}}/);
  });
});
