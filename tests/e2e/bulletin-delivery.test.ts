/**
 * Exactly one email per subscriber when things break mid-send: 500 confirmed subscribers, and
 * (1) the jobs process (which runs the delivery worker) is killed with SIGKILL while emails are in
 * flight, and the launcher starts it again (RESTART_ON_EXIT); (2) the SMTP server goes away for a
 * while (a TCP proxy in front of it is cut) and comes back. Both times every subscriber ends
 * with exactly one copy and the figures say so.
 *
 * What "exactly one" can mean over SMTP is bounded by SMTP itself (RFC 1047): a message the server
 * has acknowledged, whose acknowledgement the sender has not yet read or recorded when it dies (or
 * when the connection breaks), may be sent again; no sender can close that window. So the failure
 * is made to strike where the product's guarantee applies: the mailbox stops acknowledging, the
 * test waits until every email it has acknowledged is recorded as sent, and only then kills the
 * worker (or cuts the connection). The emails in flight at that moment are unacknowledged and, as
 * SMTP defines it, undelivered (the mailbox drops them): the product must send each of them again,
 * exactly once, and must not send any of the others again.
 */
import { createTopics, delivery, importSubscribers, sendBulletinNow, waitForDelivery, countsBySubject } from '../support/bulletin';
import { startTestStack, type TestStack } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { TestMailbox } from '../support/mailbox';

const SUBSCRIBERS = 500;
const emails = Array.from({ length: SUBSCRIBERS }, (_, i) => `reader.${String(i).padStart(3, '0')}@example.org`);

let stack: TestStack;
let editor: string;
let proxy: TcpProxy;
let mailbox: TestMailbox;

beforeAll(async () => {
  // The services reach the mailbox through a proxy the test can cut.
  mailbox = await new TestMailbox().start();
  proxy = new TcpProxy({ host: '127.0.0.1', port: mailbox.port });
  const proxyPort = await proxy.start();
  stack = await startTestStack('bulletin_delivery', {
    env: { SMTP_URL: `smtp://127.0.0.1:${proxyPort}`, RESTART_ON_EXIT: 'jobs', BULLETIN_SEND_RATE: '0' },
  });
  editor = await stack.token('BULLETIN_EDITOR');
  await createTopics(stack, editor);
  await importSubscribers(stack, editor, emails);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
  await mailbox?.stop();
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every subscriber has exactly one copy, the figures agree, and the bulletin is SENT. */
async function expectExactlyOneEach(id: string, subject: string): Promise<void> {
  await waitForDelivery(stack, editor, id, (d) => d.status === 'SENT', 300_000);
  const counts = countsBySubject(mailbox.messages, subject);
  expect([...counts.keys()].sort()).toEqual(emails);
  expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
  expect((await delivery(stack, editor, id)).delivery).toEqual({ recipients: SUBSCRIBERS, sent: SUBSCRIBERS, failed: 0, pending: 0 });
}

/**
 * Starts sending a bulletin and returns once 100 have arrived, more are in flight unacknowledged,
 * and every acknowledged one is recorded as sent (see above).
 */
async function sendUntilMidway(subject: string): Promise<string> {
  const id = await sendBulletinNow(stack, editor, { title: subject, intro: 'Hello.', items: [] });
  await waitUntil(() => countsBySubject(mailbox.messages, subject).size >= 100, '100 emails before the failure');
  mailbox.holdAcknowledgements();
  await waitUntil(() => mailbox.heldCount > 0, 'an email in flight');
  const acknowledged = countsBySubject(mailbox.messages, subject).size;
  await waitForDelivery(stack, editor, id, (d) => d.delivery.sent === acknowledged);
  return id;
}

it('sends exactly one email to each of 500 subscribers when the jobs worker is killed mid-send', async () => {
  const subject = 'Bulletin during a worker crash';
  const id = await sendUntilMidway(subject);
  const pid = stack.servicePid('jobs');
  expect(pid).toBeDefined();
  process.kill(pid!, 'SIGKILL');
  const dropped = await mailbox.discardUnacknowledged();
  expect(dropped).toBeGreaterThan(0); // the crash really interrupted sends

  const sentBefore = countsBySubject(mailbox.messages, subject).size;
  expect(sentBefore).toBeLessThan(SUBSCRIBERS);
  await waitUntil(() => stack.servicePid('jobs') !== undefined && stack.servicePid('jobs') !== pid, 'the jobs process to be started again');
  await expectExactlyOneEach(id, subject);
}, 400_000);

it('sends exactly one email to each of 500 subscribers when the SMTP server goes away for a while', async () => {
  const subject = 'Bulletin during a mail server outage';
  const id = await sendUntilMidway(subject);
  proxy.cut();
  expect(await mailbox.discardUnacknowledged()).toBeGreaterThan(0);
  // Down long enough for sends to fail and be retried with backoff.
  await new Promise((r) => setTimeout(r, 3000));
  expect((await delivery(stack, editor, id)).delivery.pending).toBeGreaterThan(0);
  proxy.restore();

  await expectExactlyOneEach(id, subject);
}, 400_000);
