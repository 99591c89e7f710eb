/**
 * The Enhanced Pathways outcome email as the worker renders it: each decision in its own words,
 * the school, the round, the board's reason and whom to ask, in both parts (escaped in HTML).
 */
import { TemplateRenderer, type RenderedEmail } from '@sendco/mail';
import { PATHWAY_EMAIL_TEMPLATES, type EmailTemplateVars } from '@sendco/queue';
import { TEMPLATES_DIR } from './email.handler';

const renderer = new TemplateRenderer(TEMPLATES_DIR);

const approved: EmailTemplateVars['pathway-outcome'] = {
  recipientName: 'Priya Shah',
  schoolName: 'Oak Primary School',
  schoolUrn: '900001',
  roundTitle: 'Enhanced Pathways 2026-27',
  decision: 'APPROVED',
  reason: 'A clear cohort and a strong plan for <transition> support.',
  contactEmail: 'pathways@council.example.org',
  contactName: 'SEND Strategic Early Intervention',
};

function expectBothBodies(email: RenderedEmail, ...facts: string[]): void {
  for (const body of [email.html, email.text]) for (const fact of facts) expect(body).toContain(fact);
}

describe('pathway-outcome', () => {
  it('tells an approved school, with its URN, the round, the reason and whom to ask', () => {
    const email = renderer.render('pathway-outcome', approved);
    expect(email.subject).toBe('Enhanced Pathways: your application is approved (Enhanced Pathways 2026-27)');
    expectBothBodies(email, 'Dear Priya Shah,', 'Oak Primary School (URN 900001)', 'Enhanced Pathways 2026-27', 'Approved', 'SEND Strategic Early Intervention,', 'pathways@council.example.org');
    expect(email.text).toContain('has approved the Enhanced Pathway application from Oak Primary School');
    expect(email.text).toContain('Decision: Approved');
    expect(email.text).toContain('A clear cohort and a strong plan for <transition> support.');
    expect(email.html).toContain('A clear cohort and a strong plan for &lt;transition&gt; support.');
    expect(email.html).toContain('href="mailto:pathways@council.example.org"');
    expect(email.text).toContain('SEND Strategic Early Intervention Team');
  });

  it('says a reserve-list decision as such', () => {
    const email = renderer.render('pathway-outcome', { ...approved, decision: 'RESERVE' });
    expect(email.subject).toBe('Enhanced Pathways: your application is on the reserve list (Enhanced Pathways 2026-27)');
    expectBothBodies(email, 'reserve list', 'Reserve list');
    expect(email.text).not.toContain('has approved');
  });

  it('says a declined application was not approved, never "approved" alone', () => {
    const email = renderer.render('pathway-outcome', { ...approved, decision: 'DECLINED', reason: 'The cohort did not meet the criteria.' });
    expect(email.subject).toBe('Enhanced Pathways: your application was not approved (Enhanced Pathways 2026-27)');
    expectBothBodies(email, 'Not approved', 'The cohort did not meet the criteria.');
    expect(email.text).toContain('has not approved the Enhanced Pathway application');
    expect(email.html).toContain('has <strong>not approved</strong>');
    expect(email.text).not.toMatch(/Decision: Approved/);
  });

  it('greets a colleague and gives only the address when there are no names', () => {
    const { recipientName, contactName, ...rest } = approved;
    const email = renderer.render('pathway-outcome', rest);
    expectBothBodies(email, 'Dear colleague,');
    expect(email.text).toContain('Questions about this decision: pathways@council.example.org.');
  });

  it('escapes a school name in the HTML part and keeps it as typed in the text part', () => {
    const email = renderer.render('pathway-outcome', { ...approved, schoolName: 'St <Mary> & John' });
    expect(email.html).toContain('St &lt;Mary&gt; &amp; John');
    expect(email.html).not.toContain('<Mary>');
    expect(email.text).toContain('St <Mary> & John (URN 900001)');
  });

  it('refuses to render without a required value rather than sending a gap', () => {
    const { reason, ...missing } = approved;
    expect(() => renderer.render('pathway-outcome', missing as EmailTemplateVars['pathway-outcome'])).toThrow();
  });

  it.each(PATHWAY_EMAIL_TEMPLATES)('%s leaves no Handlebars syntax in its output', (template) => {
    const email = renderer.render(template, approved);
    for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(/{{|}}/);
  });
});
