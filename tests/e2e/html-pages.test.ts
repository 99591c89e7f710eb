/**
 * Issue 15: no script injection on the gateway's origin. Every HTML page the product serves on the
 * public port (the bulletin's pages behind the links in emails and its archive, the dev mailbox,
 * the queue dashboard's sign-in page, and the third-party pages: bull-board's dashboard, Apollo's
 * landing page) gets hostile values in every form field and query parameter it reads (and some it
 * does not), and in the data it shows (a bulletin's title, a topic's name, a subscriber's name, an
 * email's subject, addresses, bodies and attachment names). Each answer must show them as text,
 * never as markup, carry a Content-Security-Policy that forbids scripts (`script-src 'none'`, or a
 * nonce per response for the page's own script), and never be a 5xx.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { signPurposeToken } from '@sendco/auth';
import { BULLETIN_TOKEN_SECRET, SCHEDULE_BULLETIN, subscriberIdOf, waitForDelivery } from '../support/bulletin';
import { effectiveScriptSrc, HOSTILE_MARKUP, htmlProblems } from '../support/html-pages';
import { startTestStack, type TestStack } from '../support/stack';

const HOSTILE = HOSTILE_MARKUP.join(' ');
/** Stored values have length limits (a topic's name: 100). */
const SHORT = `${HOSTILE_MARKUP[0]}${HOSTILE_MARKUP[1]}`;
const UPSERT_TOPIC = `mutation($input: BulletinTopicInput!) { upsertBulletinTopic(input: $input) { slug } }`;
const IMPORT = `mutation($csv: String!, $source: String!) { importSubscribers(csv: $csv, source: $source) { imported } }`;
const CREATE_BULLETIN = `mutation($input: CreateBulletinInput!) { createBulletin(input: $input) { id } }`;

let stack: TestStack;
let base: string;
let editor: string;
let subscriberId: string;
let bulletinId: string;
let mailFile: string;

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const hostileParams = () => Object.fromEntries(HOSTILE_MARKUP.map((value, i) => [`p${i}`, value]));

interface Answer {
  url: string;
  status: number;
  html: string;
  csp: string | null;
  type: string;
}

async function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${base}${pathAndQuery}`, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' });
  return { url: pathAndQuery, status: response.status, html: await response.text(), csp: response.headers.get('content-security-policy'), type: response.headers.get('content-type') ?? '' };
}

async function postForm(pathAndQuery: string, form: string): Promise<Answer> {
  const response = await fetch(`${base}${pathAndQuery}`, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
  return { url: pathAndQuery, status: response.status, html: await response.text(), csp: response.headers.get('content-security-policy'), type: response.headers.get('content-type') ?? '' };
}

/** The problems of an HTML answer, as `url: problem` lines (so a failure names the page). */
function problemsOf(answer: Answer, options: { ownCsp?: boolean } = {}): string[] {
  const problems = [...(answer.status >= 500 ? [`HTTP ${answer.status}`] : []), ...(/text\/html/.test(answer.type) ? htmlProblems(answer.html, answer.csp, options) : [])];
  return problems.map((p) => `${answer.url.slice(0, 100)} → ${p}`);
}

const tokenFor = (purpose: 'bulletin-preferences' | 'bulletin-unsubscribe' | 'bulletin-confirm') => signPurposeToken({ purpose, subject: subscriberId }, BULLETIN_TOKEN_SECRET, 3600);

beforeAll(async () => {
  stack = await startTestStack('html_pages', {
    // SMTP_URL unset: the product's emails go to the development mailbox that /dev/mail shows.
    env: { SMTP_URL: undefined, BULLETIN_TOKEN_SECRET, BULLETIN_SEND_RATE: '0' },
  });
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
  editor = await stack.token('BULLETIN_EDITOR', { email: 'editor@council.example.org' });
  // Data the pages show, written by an editor (a topic's name, a bulletin's title) or a subscriber's list.
  expect((await stack.gql(UPSERT_TOPIC, { input: { slug: 'send-live', name: `SEND Live ${SHORT}` } }, editor)).errors).toBeUndefined();
  expect((await stack.gql(IMPORT, { csv: `email,name,topics,opted_in_at\nreader@example.org,"${SHORT.replace(/"/g, '""')}",send-live,2026-01-15T09:00:00Z`, source: 'e2e' }, editor)).errors).toBeUndefined();
  subscriberId = await subscriberIdOf(stack, 'reader@example.org');
  const created = await stack.gql(CREATE_BULLETIN, { input: { title: `News ${SHORT}`, intro: HOSTILE, items: [{ heading: SHORT, body: 'Plain text only.', topic: 'send-live' }] } }, editor);
  expect(created.errors).toBeUndefined();
  bulletinId = created.data.createBulletin.id;
  expect((await stack.gql(SCHEDULE_BULLETIN, { id: bulletinId, sendAt: null }, editor)).errors).toBeUndefined();
  await waitForDelivery(stack, editor, bulletinId, (d) => d.status === 'SENT');

  // An email with hostile headers, bodies and attachment name, through the dev mailbox's real SMTP listener.
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(stack.env.EMBEDDED_SMTP_PORT), secure: false, ignoreTLS: true });
  await transport.sendMail({
    from: { name: HOSTILE, address: 'evil@example.org' },
    to: { name: '"><img src=x onerror=alert(1)>', address: 'victim@example.org' },
    cc: { name: "'><svg onload=alert(1)>", address: 'cc@example.org' },
    subject: HOSTILE,
    text: HOSTILE,
    html: `<p>${HOSTILE}</p><script>alert(2)</script>`,
    attachments: [{ filename: '"><img src=x onerror=alert(1)>.html', content: '<script>alert(3)</script>', contentType: 'text/html' }],
  });
  transport.close();
  const dir = path.join(stack.env.EMBEDDED_DATA_DIR!, 'mailbox');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml') && !f.startsWith('.')) : [];
    const found = files.find((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('evil@example.org'));
    if (found) {
      mailFile = found;
      break;
    }
    if (Date.now() > deadline) throw new Error('the hostile email did not reach the dev mailbox');
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  await stack?.stop();
});

describe('the bulletin pages (on the gateway)', () => {
  it('a preferences form POST of hostile topics and frequency (a cross-site form) answers an escaped page', async () => {
    const token = await tokenFor('bulletin-preferences');
    const form = [...HOSTILE_MARKUP.map((v) => `topics=${encodeURIComponent(v)}`), `frequency=${encodeURIComponent(HOSTILE)}`, `name=${encodeURIComponent(HOSTILE)}`].join('&');
    const answer = await postForm(`/bulletin/preferences?token=${token}&${query(hostileParams())}`, form);
    expect(answer.status).toBe(400);
    // The reader is told which topic was refused, as text.
    expect(answer.html).toContain('is not a bulletin topic');
    expect(problemsOf(answer)).toEqual([]);
  });

  it('every form field and query parameter of every bulletin page comes back escaped, under a policy that forbids scripts', async () => {
    const preferences = await tokenFor('bulletin-preferences');
    const unsubscribe = await tokenFor('bulletin-unsubscribe');
    const confirm = await tokenFor('bulletin-confirm');
    const hostile = query(hostileParams());
    const answers: Answer[] = [];
    for (const value of HOSTILE_MARKUP) {
      const bad = encodeURIComponent(value);
      answers.push(
        await get(`/bulletin/preferences?token=${bad}&${hostile}`),
        await postForm(`/bulletin/preferences?token=${bad}`, `topics=${bad}&frequency=${bad}`),
        await get(`/bulletin/unsubscribe?token=${bad}&${hostile}`),
        await postForm(`/bulletin/unsubscribe?token=${bad}`, `List-Unsubscribe=${bad}`),
        await get(`/bulletin/confirm?token=${bad}&${hostile}`),
        await postForm(`/bulletin/confirm?token=${bad}`, `x=${bad}`),
        await get(`/bulletin/manage?${hostile}`),
        await get(`/bulletin/archive?after=${bad}&first=${bad}&${hostile}`),
        await get(`/bulletin/archive/${bad}?${hostile}`),
      );
    }
    answers.push(
      await get(`/bulletin/preferences?token=${preferences}&${hostile}`),
      await postForm(`/bulletin/preferences?token=${preferences}`, `topics=send-live&frequency=${encodeURIComponent(HOSTILE)}`),
      await get(`/bulletin/unsubscribe?token=${unsubscribe}&${hostile}`),
      await get(`/bulletin/confirm?token=${confirm}&${hostile}`),
      await get(`/bulletin/archive?${hostile}`),
      await get(`/bulletin/archive/${bulletinId}?${hostile}`),
    );
    expect(answers.flatMap((a) => problemsOf(a))).toEqual([]);
    // The stored hostile data is shown, as text: the topic's name, the reader's address, the bulletin's title.
    const prefsPage = answers[answers.length - 6];
    expect(prefsPage.status).toBe(200);
    expect(prefsPage.html).toContain('reader@example.org');
    expect(prefsPage.html).toContain('SEND Live &lt;script&gt;');
    expect(answers[answers.length - 2].html).toContain('News &lt;script&gt;');
    expect(answers[answers.length - 1].html).toContain('News &lt;script&gt;');
  });

  it('the archive copy of a bulletin carries the pages’ policy too', async () => {
    const answer = await get(`/bulletin/archive/${bulletinId}`);
    expect(answer.status).toBe(200);
    expect(effectiveScriptSrc(answer.csp)).toEqual(["'none'"]);
    expect(answer.csp).toMatch(/frame-ancestors 'none'/);
  });
});

describe('the dev mailbox', () => {
  it('shows hostile subjects, addresses, bodies and attachment names as text, with hostile query parameters too', async () => {
    const hostile = query(hostileParams());
    const answers = [
      await get(`/dev/mail?${hostile}`),
      await get(`/dev/mail/${encodeURIComponent(mailFile)}?${hostile}`),
      ...(await Promise.all(HOSTILE_MARKUP.map((value) => get(`/dev/mail/${encodeURIComponent(value)}?${hostile}`)))),
      ...(await Promise.all(HOSTILE_MARKUP.map((value) => get(`/dev/mail/${encodeURIComponent(mailFile)}/attachments/${encodeURIComponent(value)}`)))),
    ];
    expect(answers.flatMap((a) => problemsOf(a))).toEqual([]);
    const [list, message] = answers;
    expect(list.status).toBe(200);
    expect(list.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(message.status).toBe(200);
    expect(message.html).toContain('evil@example.org');
    expect(message.html).toMatch(/&lt;img src(=|&#x3D;)x onerror/);
    // The HTML body only ever inside the sandboxed frame, escaped into its srcdoc.
    expect(message.html).toMatch(/<iframe sandbox="[^"]*"[^>]*srcdoc="&lt;p&gt;/);
    expect(message.html).not.toMatch(/<iframe[^>]*allow-scripts/);
    // The attachment is a download, never a page of ours.
    const attachment = await fetch(`${base}/dev/mail/${encodeURIComponent(mailFile)}/attachments/0`);
    expect(attachment.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('the product’s own emails with hostile data (a bulletin to a subscriber named with markup) show as text', async () => {
    const list = await get('/dev/mail');
    const href = new RegExp(`href="/dev/mail/([^"]+)"[^>]*>News `).exec(list.html);
    expect(href).not.toBeNull();
    const message = await get(`/dev/mail/${href![1]}`);
    expect(message.status).toBe(200);
    expect(problemsOf(message)).toEqual([]);
  });
});

describe('the queue dashboard', () => {
  it('its sign-in page forbids any script but its own (a nonce per response), whatever the query', async () => {
    const first = await get(`/admin/queues/login?${query(hostileParams())}`);
    const second = await get('/admin/queues/login');
    expect(first.status).toBe(200);
    expect(problemsOf(first)).toEqual([]);
    expect(problemsOf(second)).toEqual([]);
    const nonce = (answer: Answer) => (effectiveScriptSrc(answer.csp) ?? []).find((v) => v.startsWith("'nonce-"));
    expect(nonce(first)).toBeDefined();
    expect(nonce(first)).not.toBe(nonce(second));
    // The page's one script is the same-origin file, with the response's nonce.
    expect(first.html).toMatch(/<script nonce="[^"]+" src="\/admin\/queues\/login\.js"><\/script>/);
    expect(effectiveScriptSrc(first.csp)).not.toContain("'unsafe-inline'");
  });

  it('bull-board’s own page (ADMIN) does not write hostile query parameters into its markup', async () => {
    const session = await fetch(`${base}/admin/queues/session`, { method: 'POST', headers: { authorization: `Bearer ${await stack.token('ADMIN')}` } });
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!.split(';')[0];
    const answers = [await get(`/admin/queues?${query(hostileParams())}`, { cookie }), await get(`/admin/queues/queue/email?${query(hostileParams())}`, { cookie })];
    for (const answer of answers) expect(answer.status).toBe(200);
    // bull-board's UI brings its own scripts; what it must not do is reflect the query.
    expect(answers.flatMap((a) => problemsOf(a, { ownCsp: false }))).toEqual([]);
  });
});

describe("Apollo's landing page (development)", () => {
  it('does not reflect hostile query parameters and vouches for its scripts with a nonce', async () => {
    const answer = await get(`/graphql?${query(hostileParams())}`);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/text\/html/);
    // Apollo's page sets its policy in a <meta> element (its CDN scripts, each with the response's nonce).
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(answer.html)?.[1] ?? null;
    expect(meta).not.toBeNull();
    expect(problemsOf({ ...answer, csp: meta })).toEqual([]);
  });
});
