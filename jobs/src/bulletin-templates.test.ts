/**
 * The bulletin's outbox emails rendered as the worker renders them (the real templates): the
 * confirmation of a sign-up and an editor's test send. (The bulletin itself is rendered by the
 * bulletin subgraph from jobs/templates/bulletin-issue and tested there.)
 */
import { TemplateRenderer } from '@sendco/mail';
import { BULLETIN_EMAIL_TEMPLATES, type BulletinEmailTemplateVars } from '@sendco/queue';
import { TEMPLATES_DIR } from './email.handler';

const renderer = new TemplateRenderer(TEMPLATES_DIR);
const render = <K extends keyof BulletinEmailTemplateVars>(template: K, vars: BulletinEmailTemplateVars[K]) => renderer.render(template, vars);

const fixtures: { [K in keyof BulletinEmailTemplateVars]: BulletinEmailTemplateVars[K] } = {
  'bulletin-confirmation': { name: 'Priya Shah', confirmUrl: 'https://hub.example.org/bulletin/confirm?token=abc.def.ghi', topics: ['Enhanced Pathways', 'SEND Live'] },
  'bulletin-test': { subject: 'Autumn news', html: '<h1>Autumn news</h1>', text: 'Autumn news & more' },
};

describe('bulletin-confirmation', () => {
  it('asks to confirm with the link, names the topics, and says what happens if it was not them', () => {
    const email = render('bulletin-confirmation', fixtures['bulletin-confirmation']);
    expect(email.subject).toBe('Please confirm your SENDCO bulletin subscription');
    for (const part of [email.html, email.text]) {
      expect(part).toContain('Dear Priya Shah,');
      expect(part).toContain('Enhanced Pathways, SEND Live');
      expect(part).toContain('ignore this email');
    }
    expect(email.text).toContain('https://hub.example.org/bulletin/confirm?token=abc.def.ghi');
    expect(email.html).toContain('href="https://hub.example.org/bulletin/confirm?token&#x3D;abc.def.ghi"'); // Handlebars escapes "=", browsers read it back
  });

  it('greets someone who gave no name and escapes a name that looks like markup', () => {
    expect(render('bulletin-confirmation', { confirmUrl: 'https://h/c?token=t', topics: [] }).text).toContain('Hello,');
    expect(render('bulletin-confirmation', { name: '<b>Sam</b>', confirmUrl: 'https://h/c?token=t', topics: [] }).html).toContain('Dear &lt;b&gt;Sam&lt;/b&gt;,');
  });
});

it('bulletin-test sends the rendered bulletin as it is, marked as a test', () => {
  const email = render('bulletin-test', fixtures['bulletin-test']);
  expect(email.subject).toBe('[Test] Autumn news');
  expect(email.html).toContain('<h1>Autumn news</h1>');
  expect(email.text).toContain('Autumn news & more');
});

it.each(BULLETIN_EMAIL_TEMPLATES)('%s leaves no Handlebars syntax in its output', (template) => {
  const email = renderer.render(template, fixtures[template]);
  for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(/{{|}}/);
});
