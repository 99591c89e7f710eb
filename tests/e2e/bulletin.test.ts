/**
 * The SENDCO bulletin end to end through the gateway: double opt-in, one-click unsubscribe
 * (RFC 8058 headers and the HTTP POST to the List-Unsubscribe URL on the gateway's port), signed
 * purpose-bound tokens, bulletins with safe Markdown, preview and test send, the public archive and
 * its web pages, CSV import, bounces, cancelling, and bad input that sends nothing.
 */
import { Client } from 'pg';
import { signPurposeToken } from '@sendco/auth';
import {
  BULLETIN_TOKEN_SECRET,
  BULLETINS,
  CONFIRM,
  CREATE_BULLETIN,
  createTopics,
  delivery,
  importSubscribers,
  linkToken,
  SCHEDULE_BULLETIN,
  sendBulletinNow,
  SUBSCRIBE,
  UNSUBSCRIBE,
  waitForDelivery,
} from '../support/bulletin';
import { codes, startTestStack, type TestStack } from '../support/stack';
import { at, createPublishedEvent, DAY } from '../support/training';

const WEBHOOK_SECRET = 'e2e-bounce-webhook-secret-0123456789abcdef';

let stack: TestStack;
let editor: string;
let gatewayBase: string;

beforeAll(async () => {
  stack = await startTestStack('bulletin', {
    // The weekly digest every minute, so a test can see one go out.
    env: { BULLETIN_TOKEN_SECRET, BULLETIN_WEBHOOK_SECRET: WEBHOOK_SECRET, BULLETIN_SEND_RATE: '0', BULLETIN_DIGEST_CRON: '* * * * *' },
  });
  gatewayBase = stack.gatewayUrl.replace(/\/graphql$/, '');
  editor = await stack.token('BULLETIN_EDITOR', { email: 'editor@council.example.org' });
  await createTopics(stack, editor);
});

afterAll(async () => {
  await stack?.stop();
});

/** Subscribes and confirms through the link in the confirmation email. */
async function confirmedSubscriber(email: string, topics: string[] = []): Promise<void> {
  expect((await stack.gql(SUBSCRIBE, { input: { email, topics } })).data.subscribe.ok).toBe(true);
  const [confirmation] = await stack.mailbox.waitForCount(email, 1);
  expect((await stack.gql(CONFIRM, { token: linkToken(confirmation, 'confirm') })).data.confirmSubscription.status).toBe('CONFIRMED');
}

const item = (heading: string, body: string, topic?: string) => ({ heading, body, topic });

describe('subscribing (double opt-in)', () => {
  it('sends only the confirmation until confirmed, and the same answer for a known address without a second email', async () => {
    const email = 'priya.shah@example.org';
    const first = await stack.gql(SUBSCRIBE, { input: { email: 'Priya.Shah@Example.org', name: 'Priya Shah', role: 'SENDCO', schoolUrn: '900001', topics: ['send-live'] } });
    expect(first).toEqual({ data: { subscribe: { ok: true } } });
    const [confirmation] = await stack.mailbox.waitForCount(email, 1);
    expect(confirmation.subject).toBe('Please confirm your SENDCO bulletin subscription');
    expect(confirmation.text).toContain('SEND Live');
    expect(confirmation.html).toContain('/bulletin/confirm?token');

    // Asked again at once: the same answer, and no second email within the cool-down.
    expect(await stack.gql(SUBSCRIBE, { input: { email, topics: [] } })).toEqual(first);

    // A bulletin sent now does not reach the unconfirmed address.
    const id = await sendBulletinNow(stack, editor, { title: 'Before confirming', intro: 'Hello.', items: [item('News', 'Some *news*.')] });
    await waitForDelivery(stack, editor, id, (d) => d.status === 'SENT');
    expect((await delivery(stack, editor, id)).delivery.recipients).toBe(0);

    // The confirmation link (also a page behind the gateway) confirms.
    const token = linkToken(confirmation, 'confirm');
    const page = await fetch(`${gatewayBase}/bulletin/confirm?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await fetch(`${gatewayBase}/bulletin/confirm?token=${token}`, { method: 'POST' })).status).toBe(200);
    expect((await stack.gql(CONFIRM, { token })).data.confirmSubscription.status).toBe('CONFIRMED');

    expect(stack.mailbox.to(email)).toHaveLength(1);
  });

  it('gives an unknown topic BAD_USER_INPUT naming it, and sends nothing', async () => {
    const answer = await stack.gql(SUBSCRIBE, { input: { email: 'nobody.new@example.org', topics: ['send-live', 'astrology'] } });
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0].extensions!.fields).toEqual([{ field: 'topics.1', message: '"astrology" is not a bulletin topic' }]);
    expect(stack.mailbox.to('nobody.new@example.org')).toHaveLength(0);
  });
});

describe('signed links', () => {
  it('refuses malformed, tampered, expired and wrong-purpose tokens with BAD_USER_INPUT', async () => {
    const email = 'token.tester@example.org';
    await stack.gql(SUBSCRIBE, { input: { email, topics: [] } });
    const [confirmation] = await stack.mailbox.waitForCount(email, 1);
    const confirmToken = linkToken(confirmation, 'confirm');
    const [header, payload, signature] = confirmToken.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${signature}`;
    const subject = JSON.parse(Buffer.from(payload, 'base64url').toString()).sub;
    const expired = await signPurposeToken({ purpose: 'bulletin-confirm', subject }, BULLETIN_TOKEN_SECRET, 60, new Date(Date.now() - 3600_000));

    const cases: [string, string, string][] = [
      [CONFIRM, 'not a token', 'is not a link from a bulletin email'],
      [CONFIRM, tampered, 'is not a genuine link from a bulletin email'],
      [CONFIRM, expired, 'has expired; please ask for a new one'],
      // A confirmation link cannot unsubscribe.
      [UNSUBSCRIBE, confirmToken, 'is a link for something else'],
    ];
    for (const [operation, token, message] of cases) {
      const answer = await stack.gql(operation, { token });
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors![0].extensions!.fields).toEqual([{ field: 'token', message }]);
    }
    // Still pending: nothing above confirmed or unsubscribed it.
    expect((await stack.gql(CONFIRM, { token: confirmToken })).data.confirmSubscription.status).toBe('CONFIRMED');
  });
});

describe('a bulletin going out', () => {
  it('reaches each confirmed subscriber whose topics match, with RFC 8058 headers, a preferences link, and a one-click unsubscribe', async () => {
    await confirmedSubscriber('all.topics@example.org');
    await confirmedSubscriber('pathways.only@example.org', ['enhanced-pathways']);
    await confirmedSubscriber('live.only@example.org', ['send-live']);

    const id = await sendBulletinNow(stack, editor, {
      title: 'Enhanced Pathways decision',
      intro: 'The decision on the expansion.',
      topics: ['enhanced-pathways'],
      items: [{ heading: 'Twenty more pathways', body: 'Cabinet **agreed** the funding. See [the guidance](https://example.org/guide).', topic: 'enhanced-pathways', link: 'https://example.org/pathways' }],
    });
    const done = await waitForDelivery(stack, editor, id, (d) => d.status === 'SENT');
    // all.topics, pathways.only, and the two confirmed earlier with every topic (priya.shah, token.tester); not live.only.
    expect(done.delivery).toEqual({ recipients: 4, sent: 4, failed: 0, pending: 0 });

    const email = (await stack.mailbox.waitForCount('pathways.only@example.org', 2)).find((m) => m.subject === 'Enhanced Pathways decision')!;
    expect(email).toBeDefined();
    expect(email.html).toContain('<strong>agreed</strong>');
    expect(email.text).toContain('Cabinet agreed the funding.');
    const header = (key: string) => email.parsed!.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n[ \t]+/g, ' ');
    const listUnsubscribe = header('list-unsubscribe')!;
    expect(listUnsubscribe).toMatch(/^List-Unsubscribe: <http:\/\/localhost:\d+\/bulletin\/unsubscribe\?token=[\w.-]+>$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const unsubscribeUrl = /<([^>]+)>/.exec(listUnsubscribe)![1];
    expect(unsubscribeUrl.startsWith(`${gatewayBase.replace('127.0.0.1', 'localhost')}/bulletin/unsubscribe?token=`)).toBe(true);
    expect(email.text).toMatch(/\/bulletin\/preferences\?token=/);
    expect(stack.mailbox.to('live.only@example.org').filter((m) => m.subject === 'Enhanced Pathways decision')).toHaveLength(0);
    expect(stack.mailbox.to('all.topics@example.org').filter((m) => m.subject === 'Enhanced Pathways decision')).toHaveLength(1);

    // One click: the mail client's POST to the List-Unsubscribe URL, on the gateway's port.
    const oneClick = await fetch(unsubscribeUrl.replace('localhost', '127.0.0.1'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const next = await sendBulletinNow(stack, editor, { title: 'Second decision', intro: 'More.', topics: ['enhanced-pathways'], items: [] });
    expect((await waitForDelivery(stack, editor, next, (d) => d.status === 'SENT')).delivery).toEqual({ recipients: 3, sent: 3, failed: 0, pending: 0 });
    await stack.mailbox.waitFor((all) => all.some((m) => m.subject === 'Second decision'), 'the second bulletin');
    expect(stack.mailbox.to('pathways.only@example.org').filter((m) => m.subject === 'Second decision')).toHaveLength(0);

    // The GraphQL mutation, with the same unsubscribe token: already unsubscribed, still fine.
    expect((await stack.gql(UNSUBSCRIBE, { token: new URL(unsubscribeUrl).searchParams.get('token') })).data.unsubscribe.status).toBe('UNSUBSCRIBED');
  });

  it('lets a reader change their topics and frequency through the preferences link in every email', async () => {
    const email = stack.mailbox.to('all.topics@example.org').find((m) => m.subject === 'Enhanced Pathways decision')!;
    const token = linkToken(email, 'preferences');
    const page = await fetch(`${gatewayBase}/bulletin/preferences?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="topics" value="send-live"');
    const saved = await fetch(`${gatewayBase}/bulletin/preferences?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'topics=send-live&frequency=EACH_BULLETIN',
    });
    expect(saved.status).toBe(200);
    const PREFS = `query($token: String!) { subscriptionPreferences(token: $token) { email topics frequency status } }`;
    expect((await stack.gql(PREFS, { token })).data.subscriptionPreferences).toEqual({ email: 'all.topics@example.org', topics: ['send-live'], frequency: 'EACH_BULLETIN', status: 'CONFIRMED' });
    const UPDATE = `mutation($token: String!, $input: SubscriptionPreferencesInput!) { updateSubscriptionPreferences(token: $token, input: $input) { topics frequency } }`;
    expect((await stack.gql(UPDATE, { token, input: { topics: [], frequency: 'EACH_BULLETIN' } })).data.updateSubscriptionPreferences).toEqual({ topics: [], frequency: 'EACH_BULLETIN' });
    expect(codes(await stack.gql(UPDATE, { token, input: { topics: ['astrology'] } }))).toEqual(['BAD_USER_INPUT']);
    // The preferences link cannot unsubscribe.
    expect(codes(await stack.gql(UNSUBSCRIBE, { token }))).toEqual(['BAD_USER_INPUT']);
  });

  it('sends a bulletin scheduled for later at that time, not before', async () => {
    const created = await stack.gql(CREATE_BULLETIN, { input: { title: 'Scheduled news', intro: 'Later.' } }, editor);
    const { id } = created.data.createBulletin;
    const sendAt = new Date(Date.now() + 4000).toISOString();
    expect((await stack.gql(SCHEDULE_BULLETIN, { id, sendAt }, editor)).data.scheduleBulletin.status).toBe('SCHEDULED');
    const done = await waitForDelivery(stack, editor, id, (d) => d.status === 'SENT');
    expect(done.delivery.sent).toBeGreaterThan(0);
    const first = stack.mailbox.messages.find((m) => m.subject === 'Scheduled news')!;
    expect(first.parsed!.date!.getTime()).toBeGreaterThanOrEqual(new Date(sendAt).getTime() - 1000);
  });

  it('lists sent bulletins in the public archive, each with a web page on the gateway', async () => {
    const archive = await stack.gql(BULLETINS, { first: 10 });
    expect(archive.errors).toBeUndefined();
    const titles = archive.data.bulletins.edges.map((e: { node: { title: string } }) => e.node.title);
    expect(titles).toEqual(expect.arrayContaining(['Enhanced Pathways decision', 'Second decision']));
    const { id } = archive.data.bulletins.edges.find((e: { node: { title: string } }) => e.node.title === 'Enhanced Pathways decision').node;
    const page = await fetch(`${gatewayBase}/bulletin/archive/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Twenty more pathways');
    expect(html).not.toMatch(/token=/); // nobody's personal links on the public copy
    expect((await fetch(`${gatewayBase}/bulletin/archive/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });

  it('previews and test-sends to the editor only, and can be cancelled until sending starts', async () => {
    const created = await stack.gql(CREATE_BULLETIN, { input: { title: 'Spring plans', intro: 'Coming soon.', items: [item('Dates', '- one\n- two')] } }, editor);
    const { id } = created.data.createBulletin;
    const preview = await stack.gql(`query($id: ID!) { bulletinPreview(id: $id) { subject html text } }`, { id }, editor);
    expect(preview.data.bulletinPreview.subject).toBe('Spring plans');
    expect(preview.data.bulletinPreview.html).toContain('<li>one</li>');
    expect(preview.data.bulletinPreview.text).toContain('Coming soon.');

    const test = await stack.gql(`mutation($id: ID!) { sendTestBulletin(id: $id) }`, { id }, editor);
    expect(test.data.sendTestBulletin).toBe('editor@council.example.org');
    const [testEmail] = await stack.mailbox.waitForCount('editor@council.example.org', 1);
    expect(testEmail.subject).toBe('[Test] Spring plans');

    const later = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await stack.gql(SCHEDULE_BULLETIN, { id, sendAt: later }, editor);
    expect(scheduled.data.scheduleBulletin).toMatchObject({ id, status: 'SCHEDULED' });
    expect(new Date(scheduled.data.scheduleBulletin.sendAt).toISOString()).toBe(later);
    const cancelled = await stack.gql(`mutation($id: ID!) { cancelBulletin(id: $id) { status } }`, { id }, editor);
    expect(cancelled.data.cancelBulletin.status).toBe('DRAFT');
    expect((await delivery(stack, editor, id)).delivery.recipients).toBe(0);
    expect(stack.mailbox.messages.filter((m) => m.subject === 'Spring plans')).toHaveLength(0);
  });
});

describe('the upcoming training and clinics section', () => {
  it('lists published training events with places left, read through the gateway (clinics when the supergraph has them)', async () => {
    const trainingAdmin = await stack.token('TRAINING_ADMIN');
    await createPublishedEvent(stack, trainingAdmin, {
      title: 'Preparing for Ofsted: the SEND review',
      category: 'PREPARING_FOR_OFSTED',
      startsAt: at(20 * DAY),
      endsAt: at(20 * DAY + 3 * 3600_000),
      format: 'IN_PERSON',
      venue: { name: 'County Hall', address: 'New Road, Oxford', postcode: 'OX1 1ND' },
      capacity: 12,
    });
    const created = await stack.gql(CREATE_BULLETIN, { input: { title: 'Coming up', intro: 'Book now.', includeUpcoming: true } }, editor);
    expect(created.errors).toBeUndefined();
    const preview = await stack.gql(`query($id: ID!) { bulletinPreview(id: $id) { html text } }`, { id: created.data.createBulletin.id }, editor);
    expect(preview.data.bulletinPreview.text).toContain('Upcoming training and clinics');
    expect(preview.data.bulletinPreview.text).toMatch(/Preparing for Ofsted: the SEND review, .* \(12 places left\)/);
    expect(preview.data.bulletinPreview.html).toContain('Preparing for Ofsted: the SEND review');
  });
});

describe('bad bulletins', () => {
  it('refuses script or event-handler Markdown, a blank title and an unknown topic, naming each field, and saves nothing', async () => {
    const before = (await stack.gql(`query { bulletins(first: 100) { totalCount } }`)).data.bulletins.totalCount;
    const answer = await stack.gql(
      CREATE_BULLETIN,
      {
        input: {
          title: '  ',
          intro: 'x',
          topics: ['not-a-topic'],
          items: [item('Script', 'Hi <script>alert(1)</script>'), item('Handler', '<img src=x onerror="alert(1)">', 'send-live')],
        },
      },
      editor,
    );
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0].extensions!.fields).toEqual([
      { field: 'input.title', message: 'must not be blank' },
      { field: 'input.topics.0', message: '"not-a-topic" is not a bulletin topic' },
      { field: 'input.items.0.body', message: 'must not contain a <script> element' },
      { field: 'input.items.1.body', message: 'must not contain an event handler (onerror)' },
    ]);
    expect((await stack.gql(`query { bulletins(first: 100) { totalCount } }`)).data.bulletins.totalCount).toBe(before);
  });

  it('keeps editing to editors', async () => {
    const sendco = await stack.token('SENDCO', { schoolUrn: '900001' });
    expect(codes(await stack.gql(CREATE_BULLETIN, { input: { title: 'x', intro: 'y' } }, sendco))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(CREATE_BULLETIN, { input: { title: 'x', intro: 'y' } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('bounces and imports', () => {
  it('suppresses an address refused with a 5xx at send and one reported to the webhook; later sends skip and count them', async () => {
    await importSubscribers(stack, editor, ['refused@example.org', 'bounced@example.org', 'fine@example.org'], ['send-live']);
    stack.mailbox.refusedRecipients.add('refused@example.org');
    const first = await sendBulletinNow(stack, editor, { title: 'SEND Live workshops', intro: 'Speakers.', topics: ['send-live'], items: [] });
    const firstDone = await waitForDelivery(stack, editor, first, (d) => d.status === 'SENT');
    expect(firstDone.delivery).toMatchObject({ failed: 1, pending: 0 });

    const unauthorised = await fetch(`${gatewayBase}/bulletin/bounces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bounced@example.org' }) });
    expect(unauthorised.status).toBe(401);
    const reported = await fetch(`${gatewayBase}/bulletin/bounces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_SECRET}` },
      body: JSON.stringify([{ email: 'bounced@example.org', reason: '550 no such user' }]),
    });
    expect(await reported.json()).toEqual({ received: 1, suppressed: 1 });

    const second = await sendBulletinNow(stack, editor, { title: 'SEND Live speakers', intro: 'More speakers.', topics: ['send-live'], items: [] });
    const secondDone = await waitForDelivery(stack, editor, second, (d) => d.status === 'SENT');
    const figures = await stack.gql(`query($id: ID!) { bulletin(id: $id) { delivery { recipients sent failed pending suppressed } } }`, { id: second }, editor);
    expect(figures.data.bulletin.delivery).toMatchObject({ suppressed: 2, failed: 0, pending: 0 });
    expect(secondDone.delivery.sent).toBe(figures.data.bulletin.delivery.recipients - 2);
    expect(stack.mailbox.to('bounced@example.org').filter((m) => m.subject === 'SEND Live speakers')).toHaveLength(0);
    expect(stack.mailbox.to('fine@example.org').filter((m) => m.subject === 'SEND Live speakers')).toHaveLength(1);
  });

  it('refuses a CSV with a bad row, naming line and column, and imports nothing', async () => {
    const answer = await stack.gql(
      `mutation($csv: String!, $source: String!) { importSubscribers(csv: $csv, source: $source) { imported } }`,
      { csv: 'email,school_urn,opted_in_at\ngood.one@example.org,900001,2025-09-01\nnot-an-email,12,2025-09-01', source: 'old list' },
      editor,
    );
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0].extensions!.fields).toEqual([
      { field: 'csv.3.email', message: 'is not an email address' },
      { field: 'csv.3.school_urn', message: 'must be a 6-digit URN' },
    ]);
    expect(codes(await stack.gql(SUBSCRIBE, { input: { email: 'good.one@example.org' } }))).toEqual([]);
    // good.one was not imported: signing up sends them a confirmation (an imported one would get nothing).
    await stack.mailbox.waitForCount('good.one@example.org', 1);
  });
});

describe('imported subscribers need consent evidence', () => {
  const IMPORT = `mutation($csv: String!, $source: String!) { importSubscribers(csv: $csv, source: $source) { imported } }`;

  it('refuses a row without opted_in_at, naming it, and imports nothing', async () => {
    const answer = await stack.gql(IMPORT, { csv: 'email,opted_in_at\nwith.date@example.org,2025-03-14\nno.date@example.org,', source: 'old list' }, editor);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0].extensions!.fields).toEqual([{ field: 'csv.3.opted_in_at', message: expect.stringMatching(/^is required: the date this person opted in/) }]);
    const noColumn = await stack.gql(IMPORT, { csv: 'email\nno.column@example.org', source: 'old list' }, editor);
    expect(noColumn.errors![0].extensions!.fields).toEqual([{ field: 'csv.2.opted_in_at', message: expect.stringMatching(/^is required/) }]);
    // Nothing was imported: signing up sends with.date a confirmation (an imported one would get nothing).
    expect(codes(await stack.gql(SUBSCRIBE, { input: { email: 'with.date@example.org' } }))).toEqual([]);
    await stack.mailbox.waitForCount('with.date@example.org', 1);
  });

  it("keeps the file's consent date as the confirmation date and the import as the source, for new and pending subscribers", async () => {
    // pending.one asked to join (PENDING) before the list was imported.
    expect(codes(await stack.gql(SUBSCRIBE, { input: { email: 'pending.one@example.org' } }))).toEqual([]);
    const csv = 'email,opted_in_at\nnew.one@example.org,2024-06-30T09:15:00Z\npending.one@example.org,2025-01-20';
    expect((await stack.gql(IMPORT, { csv, source: 'conference list' }, editor)).data.importSubscribers.imported).toBe(2);
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT email, status, source, confirmed_at FROM bulletin.subscriber WHERE email IN ('new.one@example.org', 'pending.one@example.org') ORDER BY email`);
      expect(rows).toEqual([
        { email: 'new.one@example.org', status: 'CONFIRMED', source: 'import:conference list', confirmed_at: new Date('2024-06-30T09:15:00Z') },
        { email: 'pending.one@example.org', status: 'CONFIRMED', source: 'import:conference list', confirmed_at: new Date('2025-01-20') },
      ]);
    } finally {
      await db.end();
    }
  });
});

describe('the weekly digest', () => {
  it('sends the items of bulletins sent since the last digest to digest subscribers only, on its schedule', async () => {
    const csv = 'email,frequency,opted_in_at\nweekly.reader@example.org,WEEKLY_DIGEST,2025-09-01\neach.reader@example.org,EACH_BULLETIN,2025-09-01';
    expect((await stack.gql(`mutation($csv: String!) { importSubscribers(csv: $csv, source: "digest test") { imported } }`, { csv }, editor)).data.importSubscribers.imported).toBe(2);
    const id = await sendBulletinNow(stack, editor, { title: 'Panel dates', intro: 'For the diary.', items: [item('Multi-agency board dates', 'Boards meet **monthly**.')] });
    await waitForDelivery(stack, editor, id, (d) => d.status === 'SENT');
    const hasItem = (m: { text: string }) => m.text.includes('Multi-agency board dates');
    await stack.mailbox.waitFor((all) => all.some((m) => m.envelopeTo.includes('weekly.reader@example.org') && hasItem(m)), 'the digest with the item', 150_000);
    const digest = stack.mailbox.to('weekly.reader@example.org').find(hasItem)!;
    expect(stack.mailbox.to('weekly.reader@example.org').map((m) => m.subject)).not.toContain('Panel dates'); // the digest instead of each bulletin
    expect(digest.subject).toMatch(/^SENDCO bulletin: the week to /);
    expect(digest.text).toContain('Multi-agency board dates (from “Panel dates”)');
    expect(digest.text).toContain('Boards meet monthly.');
    expect(digest.parsed!.headerLines.some((h) => h.key === 'list-unsubscribe-post')).toBe(true);
    expect(stack.mailbox.to('each.reader@example.org').map((m) => m.subject)).toEqual(['Panel dates']);
    // Digests are not issues: the archive does not list them.
    const titles = (await stack.gql(BULLETINS, { first: 100 })).data.bulletins.edges.map((e: { node: { title: string } }) => e.node.title);
    expect(titles.filter((t: string) => t.startsWith('SENDCO bulletin: the week to'))).toEqual([]);
  }, 200_000);
});
