/** Shared steps of the bulletin end-to-end tests. */
import { Client } from 'pg';
import type { ReceivedMail } from './mailbox';
import { contractOperation, type TestStack } from './stack';

/** A fixed secret, so tests can make tokens the product would have made (an expired one, say). */
export const BULLETIN_TOKEN_SECRET = 'e2e-bulletin-token-secret-0123456789abcdef';

export const SUBSCRIBE = contractOperation('bulletin.graphql', 'Subscribe');
export const CONFIRM = contractOperation('bulletin.graphql', 'ConfirmSubscription');
export const UNSUBSCRIBE = contractOperation('bulletin.graphql', 'Unsubscribe');
export const CREATE_BULLETIN = contractOperation('bulletin.graphql', 'CreateBulletin');
export const SCHEDULE_BULLETIN = contractOperation('bulletin.graphql', 'ScheduleBulletin');
export const BULLETINS = contractOperation('bulletin.graphql', 'Bulletins');
export const BULLETIN_DELIVERY = contractOperation('bulletin.graphql', 'BulletinDelivery');

const UPSERT_TOPIC = `mutation($input: BulletinTopicInput!) { upsertBulletinTopic(input: $input) { slug } }`;
const IMPORT = `mutation($csv: String!, $source: String!) { importSubscribers(csv: $csv, source: $source) { imported alreadySubscribed skipped } }`;

export const TOPICS = [
  { slug: 'enhanced-pathways', name: 'Enhanced Pathways' },
  { slug: 'send-live', name: 'SEND Live' },
];

export async function createTopics(stack: TestStack, editor: string): Promise<void> {
  for (const input of TOPICS) expect((await stack.gql(UPSERT_TOPIC, { input }, editor)).errors).toBeUndefined();
}

/** When the test lists' people opted in: an import needs each row's consent date. */
export const OPTED_IN_AT = '2025-09-01';

/** Confirmed subscribers through the editor's CSV import (an opted-in list). */
export async function importSubscribers(stack: TestStack, editor: string, emails: string[], topics: string[] = [], source = 'e2e list'): Promise<void> {
  const csv = ['email,topics,opted_in_at', ...emails.map((e) => `${e},${topics.join(';')},${OPTED_IN_AT}`)].join('\n');
  const result = await stack.gql(IMPORT, { csv, source }, editor);
  expect(result.errors).toBeUndefined();
  expect(result.data.importSubscribers.imported).toBe(emails.length);
}

/** Creates a bulletin and sends it now; returns its id. */
export async function sendBulletinNow(stack: TestStack, editor: string, input: Record<string, unknown>): Promise<string> {
  const created = await stack.gql(CREATE_BULLETIN, { input }, editor);
  expect(created.errors).toBeUndefined();
  const id = created.data.createBulletin.id as string;
  const scheduled = await stack.gql(SCHEDULE_BULLETIN, { id, sendAt: null }, editor);
  expect(scheduled.errors).toBeUndefined();
  return id;
}

export interface Delivery {
  recipients: number;
  sent: number;
  failed: number;
  pending: number;
}

export async function delivery(stack: TestStack, editor: string, id: string): Promise<{ status: string; delivery: Delivery }> {
  const answer = await stack.gql(BULLETIN_DELIVERY, { id }, editor);
  expect(answer.errors).toBeUndefined();
  return answer.data.bulletin;
}

/** Polls the delivery figures until `done` holds (a send finishes in the background). */
export async function waitForDelivery(stack: TestStack, editor: string, id: string, done: (d: { status: string; delivery: Delivery }) => boolean, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await delivery(stack, editor, id);
    if (done(current)) return current;
    if (Date.now() > deadline) throw new Error(`delivery of ${id} did not finish: ${JSON.stringify(current)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The token of a /bulletin/<path>?token=… link in an email's text. */
export function linkToken(mail: ReceivedMail, path: 'confirm' | 'unsubscribe' | 'preferences'): string {
  const match = new RegExp(`/bulletin/${path}\\?token=([\\w.-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in "${mail.subject}"`);
  return match[1];
}

/** How many emails each address received whose subject is `subject`. */
export function countsBySubject(messages: ReceivedMail[], subject: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages.filter((m) => m.subject === subject)) for (const to of m.envelopeTo) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** A subscriber's id, read from the bulletin's table (to sign the links the product would have sent them). */
export async function subscriberIdOf(stack: TestStack, email: string): Promise<string> {
  const client = new Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ id: string }>('select id from bulletin.subscriber where email = $1', [email])).rows[0].id;
  } finally {
    await client.end();
  }
}
