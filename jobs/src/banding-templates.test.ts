/**
 * The banding emails as the worker renders them: the QA inbox told of a submitted return, the
 * SENDCO told of the council's decision with its comments and adjusted bands. They carry the
 * school's pupil references, never a name.
 */
import { TemplateRenderer, type RenderedEmail } from '@sendco/mail';
import { BANDING_EMAIL_TEMPLATES, type EmailTemplateVars } from '@sendco/queue';
import { TEMPLATES_DIR } from './email.handler';

const renderer = new TemplateRenderer(TEMPLATES_DIR);

const facts = { schoolUrn: '900003', matrixVersion: 2, ehcpCount: 55, over25HoursCount: 3 };
const submitted: EmailTemplateVars['banding-return-submitted'] = { ...facts, resubmitted: false, pupils: 6, upTo25Hours: 3, over25Hours: 3 };
const decision: EmailTemplateVars['banding-return-approved'] = {
  ...facts,
  recipientName: 'Priya Shah',
  pupils: 6,
  agreed: 5,
  adjusted: [{ pupilRef: 'TP-1190', suggestedBand: 3, agreedBand: 2, reason: 'Evidence <b>does not</b> support level 3' }],
};
const returned: EmailTemplateVars['banding-return-returned'] = { ...decision, comments: 'Please check TP-1190 against the descriptor.' };

function expectBothBodies(email: RenderedEmail, ...facts: (string | RegExp)[]): void {
  for (const body of [email.html, email.text]) for (const fact of facts) typeof fact === 'string' ? expect(body).toContain(fact) : expect(body).toMatch(fact);
}

describe('banding email templates', () => {
  it('tells the QA inbox which school submitted, with its counts and sample', () => {
    const email = renderer.render('banding-return-submitted', submitted);
    expect(email.subject).toBe('Banding return submitted for QA: school 900003 (matrix version 2)');
    expectBothBodies(email, 'School 900003', 'submitted its EHCP banding return', '55 (3 on more than 25 hours a week)', '6 (3 on up to 25 hours, 3 on more than 25 hours)', 'SEND Banding Team');
  });

  it('says when a return comes back after comments', () => {
    const email = renderer.render('banding-return-submitted', { ...submitted, resubmitted: true });
    expect(email.subject).toMatch(/^Banding return resubmitted for QA/);
    expectBothBodies(email, 'resubmitted its EHCP banding return after your comments');
  });

  it('tells the SENDCO of approval, with the adjusted bands and reasons (escaped in HTML)', () => {
    const email = renderer.render('banding-return-approved', decision);
    expect(email.subject).toBe('Your banding return is approved (school 900003, matrix version 2)');
    expectBothBodies(email, 'Dear Priya Shah,', 'approved your EHCP banding return', 'TP-1190', 'SEND Banding Team');
    expect(email.text).toContain('TP-1190: suggested band 3, agreed band 2. Reason: Evidence <b>does not</b> support level 3');
    expect(email.html).toContain('Evidence &lt;b&gt;does not&lt;/b&gt; support level 3');
    expect(email.text).not.toContain("The council's comments");
  });

  it('tells the SENDCO the return is back with the comments', () => {
    const email = renderer.render('banding-return-returned', returned);
    expect(email.subject).toBe('Your banding return needs changes (school 900003, matrix version 2)');
    expectBothBodies(email, 'sent it back to you with comments', "The council's comments", 'Please check TP-1190 against the descriptor.');
  });

  it('leaves out the adjusted table when every band was agreed', () => {
    const email = renderer.render('banding-return-approved', { ...decision, adjusted: [] });
    expect(email.text).not.toContain('Bands the council adjusted');
    expect(email.html).not.toContain('Bands the council adjusted');
  });

  it.each(BANDING_EMAIL_TEMPLATES)('%s leaves no Handlebars syntax in its output', (template) => {
    const email = renderer.render(template, { 'banding-return-submitted': submitted, 'banding-return-approved': decision, 'banding-return-returned': returned }[template]);
    for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(/{{|}}/);
  });
});
