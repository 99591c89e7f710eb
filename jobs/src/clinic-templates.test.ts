/**
 * The SEND Clinics and Outreach emails rendered as the worker renders them (the real templates):
 * the facts a reader needs in both parts, the joining link only where it belongs, no Handlebars
 * left over, and school-supplied text escaped in the HTML.
 */
import { TemplateRenderer } from '@sendco/mail';
import { CLINIC_EMAIL_TEMPLATES, type ClinicEmailDetails, type ClinicEmailTemplateVars } from '@sendco/queue';
import { TEMPLATES_DIR } from './email.handler';

const renderer = new TemplateRenderer(TEMPLATES_DIR);
const render = <K extends keyof ClinicEmailTemplateVars>(template: K, vars: ClinicEmailTemplateVars[K]) => renderer.render(template, vars);

const online: ClinicEmailDetails = {
  theme: 'SEMH strategies',
  description: 'Co-regulation and routines.',
  startsAt: '2026-03-16T12:15:00Z',
  endsAt: '2026-03-16T13:15:00Z',
  joiningUrl: 'https://meet.example.org/semh',
  online: true,
  contactEmail: 'clinics@special.example.org',
  requestId: 'req-1',
};
const faceToFace: ClinicEmailDetails = { ...online, theme: 'Sensory processing', joiningUrl: undefined, online: false, location: 'Sensory Room, Meadow Lane, OX28 9ZZ' };

const fixtures: { [K in keyof ClinicEmailTemplateVars]: ClinicEmailTemplateVars[K] } = {
  'clinic-request-received': {
    ...faceToFace,
    schoolUrn: '900001',
    attendeeName: 'Asha Patel',
    attendeeEmail: 'asha@school.example.org',
    attendeeRole: 'SENDCO',
    answers: [{ label: 'Your role', value: 'SENDCO <b>lead</b>' }, { label: 'Been before?', value: 'no' }],
    placesLeft: 3,
  },
  'clinic-request-decided': { ...online, recipientName: 'Asha Patel', attendeeName: 'Asha Patel', confirmed: true, message: 'See you there' },
  'clinic-request-cancelled': { ...faceToFace, recipientName: 'Asha Patel', attendeeName: 'Asha Patel', schoolUrn: '900001', cancelledBy: 'clinic', reason: 'Staff illness' },
  'clinic-changed': { ...online, attendeeName: 'Asha Patel', confirmed: true },
  'outreach-referral-update': {
    referralId: 'ref-1',
    schoolUrn: '900001',
    packageLabel: 'Leadership package',
    status: 'ALLOCATED',
    statusLabel: 'Allocated to a special school',
    allocatedSchoolName: 'Windrush Special School',
    note: 'Initial visit next week',
  },
};

function expectBoth(email: { html: string; text: string }, ...facts: (string | RegExp)[]) {
  for (const body of [email.html, email.text]) for (const fact of facts) (typeof fact === 'string' ? expect(body).toContain(fact) : expect(body).toMatch(fact));
}

describe('clinic email templates', () => {
  it.each(CLINIC_EMAIL_TEMPLATES)('%s renders with no Handlebars left and a plain-text part', (template) => {
    const email = renderer.render(template, fixtures[template]);
    for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(/{{|}}/);
    expect(email.text.length).toBeGreaterThan(100);
  });

  it('gives the delivering school the request with every answer, escaped in HTML', () => {
    const email = render('clinic-request-received', fixtures['clinic-request-received']);
    expect(email.subject).toMatch(/^Place request: Sensory processing clinic on Monday,? 16 March 2026 for Asha Patel \(school 900001\)$/);
    expectBoth(email, 'Asha Patel (asha@school.example.org)', 'Been before?', 'Sensory Room, Meadow Lane, OX28 9ZZ', 'Places left', 'req-1');
    expect(email.text).toContain('Your role: SENDCO <b>lead</b>');
    expect(email.html).toContain('SENDCO &lt;b&gt;lead&lt;/b&gt;');
    expect(email.html).toContain('SEND Clinics</p>');
  });

  it('confirms with the joining link; a decline and a copy for the requester leave it and the invitation out', () => {
    const confirmed = render('clinic-request-decided', fixtures['clinic-request-decided']);
    expect(confirmed.subject).toMatch(/^Clinic place confirmed: SEMH strategies on/);
    expectBoth(confirmed, 'https://meet.example.org/semh', 'See you there', 'calendar invitation is attached');
    const declined = render('clinic-request-decided', { ...fixtures['clinic-request-decided'], confirmed: false, joiningUrl: undefined });
    expect(declined.subject).toMatch(/^Clinic request declined: SEMH strategies/);
    expectBoth(declined, 'could not offer Asha Patel a place');
    expect(declined.text).not.toContain('meet.example.org');
    const copy = render('clinic-request-decided', { ...fixtures['clinic-request-decided'], recipientName: 'Sam Sendco', copyForRequester: true });
    expect(copy.subject).toMatch(/\(Asha Patel\)$/);
    expectBoth(copy, 'your copy', 'Dear Sam Sendco');
    expect(copy.text).not.toContain('calendar invitation is attached');
  });

  it('says who cancelled', () => {
    const vars = fixtures['clinic-request-cancelled'];
    expect(render('clinic-request-cancelled', vars).subject).toMatch(/^Clinic cancelled: Sensory processing/);
    expectBoth(render('clinic-request-cancelled', vars), 'has been cancelled, so the place for Asha Patel is cancelled too', 'Staff illness');
    expectBoth(render('clinic-request-cancelled', { ...vars, cancelledBy: 'provider' }), 'The delivering school has cancelled the place');
    expectBoth(render('clinic-request-cancelled', { ...vars, cancelledBy: 'school' }), 'Your school has cancelled the place');
    const forProvider = render('clinic-request-cancelled', { ...vars, cancelledBy: 'school', recipientName: 'colleague', forProvider: true });
    expect(forProvider.subject).toMatch(/^Clinic place cancelled: .*\(Asha Patel, school 900001\)$/);
    expectBoth(forProvider, 'School 900001 has cancelled its request for Asha Patel', 'The place is free again');
  });

  it('tells a waiting attendee about a change without the link', () => {
    const email = render('clinic-changed', { ...fixtures['clinic-changed'], confirmed: false, joiningUrl: undefined });
    expectBoth(email, 'still waiting for the delivering school', /[Oo]nline \(the joining link is sent with a confirmed place\)/);
    expect(email.text).not.toContain('meet.example.org');
  });

  it('words each referral step for the referring school', () => {
    const vars = fixtures['outreach-referral-update'];
    expect(render('outreach-referral-update', vars).subject).toBe('Special School Outreach referral: Allocated to a special school (Leadership package)');
    expectBoth(render('outreach-referral-update', vars), 'allocated to', 'Windrush Special School', 'Initial visit next week', 'ref-1');
    const received = render('outreach-referral-update', { ...vars, status: 'RECEIVED', statusLabel: 'Received', allocatedSchoolName: undefined, note: undefined });
    expectBoth(received, 'has received your school', 'Leadership package');
    expect(received.text).not.toContain('Note:');
    expectBoth(render('outreach-referral-update', { ...vars, status: 'CLOSED', statusLabel: 'Closed' }), 'is now closed');
  });
});
