/**
 * What an operator watches, end to end: after a booking through the gateway, the metrics of the
 * gateway, the subgraphs and the jobs worker have moved as they should, behind METRICS_TOKEN;
 * and the queue dashboard is for ADMIN only, through a short-lived cookie, on whichever queue
 * backend this run uses (Redis with REDIS_URL, else BullMQ's Postgres backend).
 */
import { SUBGRAPHS } from '@sendco/config';
import { QUEUE_NAMES } from '@sendco/queue';
import { metricValue, scrape } from '../support/metrics';
import { codes, contractOperation, startTestStack, type TestStack } from '../support/stack';
import { schoolAndOnlineEvent } from '../support/training';

const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const METRICS_TOKEN = 'metrics-token-for-the-operations-test';

let stack: TestStack;
let eventId: string;

beforeAll(async () => {
  stack = await startTestStack('operations', { env: { METRICS_TOKEN } });
  ({ id: eventId } = await schoolAndOnlineEvent(stack, { urn: '940001', name: 'Metrics Primary', phase: 'PRIMARY' }, { title: 'Preparing for Ofsted', category: 'PREPARING_FOR_OFSTED', capacity: 10, daysAhead: 20 }));
});

afterAll(async () => {
  await stack?.stop();
});

describe('/metrics', () => {
  it('is refused without the token on every service', async () => {
    for (const url of Object.values(stack.serviceUrls)) {
      const response = await fetch(`${url}/metrics`);
      expect({ url, status: response.status }).toEqual({ url, status: 401 });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    }
  });

  it('moves as a booking is made and its emails are sent', async () => {
    const before = {
      gateway: await scrape(stack.serviceUrls.gateway, METRICS_TOKEN),
      training: await scrape(stack.serviceUrls.training, METRICS_TOKEN),
      jobs: await scrape(stack.serviceUrls.jobs, METRICS_TOKEN),
    };
    const sendco = await stack.token('SENDCO', { schoolUrn: '940001', email: 'sendco@metrics.example.org' });
    const booked = await stack.gql(
      BOOK_EVENT,
      { input: { eventId, schoolUrn: '940001', idempotencyKey: 'metrics-booking-1', delegates: [{ name: 'Mo Metrics', email: 'mo@metrics.example.org' }] } },
      sendco,
    );
    expect(booked.errors).toBeUndefined();
    // A refused booking (another school's), to move the error count.
    const refused = await stack.gql(BOOK_EVENT, { input: { eventId, schoolUrn: '940002', idempotencyKey: 'metrics-booking-2', delegates: [{ name: 'X', email: 'x@metrics.example.org' }] } }, sendco);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    await stack.mailbox.waitForCount('mo@metrics.example.org', 1, 90_000);
    await stack.mailbox.waitForCount('sendco@metrics.example.org', 1, 90_000);

    const gateway = await scrape(stack.serviceUrls.gateway, METRICS_TOKEN);
    const delta = (text: string, old: string, name: string, labels: Record<string, string>) => (metricValue(text, name, labels) ?? 0) - (metricValue(old, name, labels) ?? 0);
    const bookEvent = { service: 'gateway', operation: 'BookEvent', type: 'mutation' };
    expect(delta(gateway, before.gateway, 'sendco_graphql_requests_total', bookEvent)).toBe(2);
    expect(delta(gateway, before.gateway, 'sendco_graphql_request_duration_seconds_count', bookEvent)).toBe(2);
    expect(delta(gateway, before.gateway, 'sendco_graphql_errors_total', { operation: 'BookEvent', code: 'FORBIDDEN' })).toBe(1);

    // The training subgraph answered the gateway's part of both (Apollo names it BookEvent__training__0).
    const training = await scrape(stack.serviceUrls.training, METRICS_TOKEN);
    expect(delta(training, before.training, 'sendco_graphql_requests_total', { service: 'training', operation: 'BookEvent__training__0' })).toBe(2);
    expect(delta(training, before.training, 'sendco_graphql_errors_total', { service: 'training', code: 'FORBIDDEN' })).toBe(1);
    expect(metricValue(training, 'sendco_outbox_pending_rows', { service: 'training' })).toBe(0);
    expect(metricValue(training, 'sendco_outbox_oldest_pending_age_seconds', { service: 'training' })).toBe(0);

    const jobs = await scrape(stack.serviceUrls.jobs, METRICS_TOKEN);
    expect(delta(jobs, before.jobs, 'sendco_emails_sent_total', { service: 'jobs', template: 'booking-confirmation' })).toBe(1);
    expect(delta(jobs, before.jobs, 'sendco_emails_sent_total', { service: 'jobs', template: 'booking-summary' })).toBe(1);
    expect(metricValue(jobs, 'sendco_emails_failed_total')).toBeUndefined();
    // The confirmed place's reminder waits, delayed, until 48 hours before the event.
    expect(metricValue(jobs, 'sendco_queue_jobs', { queue: 'training-reminders', state: 'delayed' })).toBe(1);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(metricValue(jobs, 'sendco_queue_jobs', { queue: 'email', state })).toEqual(expect.any(Number));

    // Every subgraph serves its own, labelled with its name.
    for (const name of SUBGRAPHS) {
      expect(metricValue(await scrape(stack.serviceUrls[name], METRICS_TOKEN), 'process_cpu_seconds_total', { service: name })).toBeGreaterThan(0);
    }
  });
});

describe('queue dashboard', () => {
  const dashboard = () => `${stack.serviceUrls.gateway}/admin/queues`;

  async function session(token: string): Promise<Response> {
    return fetch(`${dashboard()}/session`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  }

  async function adminCookie(): Promise<string> {
    const response = await session(await stack.token('ADMIN'));
    expect(response.status).toBe(204);
    return response.headers.get('set-cookie')!.split(';')[0];
  }

  it('sends a browser without a session to the sign-in page, and refuses its API', async () => {
    const page = await fetch(dashboard(), { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/queues/login');
    expect((await fetch(`${dashboard()}/login`)).status).toBe(200);
    expect((await fetch(`${dashboard()}/api/queues`)).status).toBe(401);
    expect((await fetch(`${dashboard()}/api/queues`, { headers: { cookie: 'sendco_queue_dashboard=forged.token.value' } })).status).toBe(401);
  });

  it('gives a session to ADMIN only, in an HttpOnly, SameSite=Strict cookie of at most 15 minutes', async () => {
    expect((await session('garbage')).status).toBe(401);
    expect((await session(await stack.token('TRAINING_ADMIN'))).status).toBe(403);
    expect((await session(await stack.token('SENDCO', { schoolUrn: '940001' }))).status).toBe(403);
    const response = await session(await stack.token('ADMIN'));
    expect(response.status).toBe(204);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sendco_queue_dashboard=[^;]+; Path=\/admin\/queues; Max-Age=900; HttpOnly; SameSite=Strict$/);
  });

  it('shows every queue with its counts on this backend', async () => {
    const cookie = await adminCookie();
    const html = await fetch(dashboard(), { headers: { cookie, accept: 'text/html' } });
    expect(html.status).toBe(200);
    const page = await html.text();
    expect(page).toMatch(/SENDCO Hub queues/);
    // The page's own script loads (from behind the same session).
    const script = /<script[^>]+src="([^"]+)"/.exec(page)![1];
    expect((await fetch(new URL(script, `${dashboard()}/`), { headers: { cookie } })).status).toBe(200);
    const api = await fetch(`${dashboard()}/api/queues?activeQueue=email&status=completed&page=1`, { headers: { cookie } });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; counts: Record<string, number>; jobs: { id: string; name: string }[] }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...Object.values(QUEUE_NAMES)].sort());
    const email = body.queues.find((q) => q.name === 'email')!;
    expect(email.counts.completed).toBeGreaterThanOrEqual(2);
    const stats = await fetch(`${dashboard()}/api/redis/stats`, { headers: { cookie } });
    expect(stats.status).toBe(200);
  });

  it('refuses the changes that would send an email nobody committed, twice, or never', async () => {
    const cookie = await adminCookie();
    const api = await fetch(`${dashboard()}/api/queues?activeQueue=email&status=completed&page=1`, { headers: { cookie } });
    const completed = ((await api.json()) as { queues: { name: string; jobs: { id: string }[] }[] }).queues.find((q) => q.name === 'email')!.jobs[0];
    expect(completed).toBeDefined();
    const put = (path: string, body?: object) =>
      fetch(`${dashboard()}/api/queues/${path}`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    expect((await put(`email/${completed.id}/retry`)).status).toBe(403);
    expect((await put('email/retry/completed')).status).toBe(403);
    expect((await put('email/clean/completed')).status).toBe(403);
    expect((await put('email/empty')).status).toBe(403);
    expect((await put('email/obliterate')).status).toBe(403);
    expect((await fetch(`${dashboard()}/api/queues/email/add`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"name":"x","data":{}}' })).status).toBe(403);
    // Retrying failed jobs is what the dashboard is for (none have failed here: nothing to do).
    expect((await put('email/retry/failed')).status).toBe(200);
  });
});
