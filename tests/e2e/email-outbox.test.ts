/**
 * No email a committed booking requires is lost when the queue is down: the booking commits
 * with its email jobs in the outbox, and they go out once the queue is back, once each.
 *
 * The outage is made by a TCP proxy between the services and Redis, so this runs where Redis
 * does (CI, and `npm test` with REDIS_URL set). On the embedded defaults the queue lives in
 * the same Postgres as the bookings, so there is no separate outage to survive; the outbox
 * code path is the same one and is exercised by every booking test there.
 */
import { metricValue, scrape } from '../support/metrics';
import { TcpProxy } from '../support/tcp-proxy';
import { contractOperation, startTestStack, type TestStack } from '../support/stack';

const CREATE_EVENT = contractOperation('training.graphql', 'CreateEvent');
const PUBLISH_EVENT = contractOperation('training.graphql', 'PublishEvent');
const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const UPSERT_SCHOOLS = contractOperation('directory.graphql', 'UpsertSchools');

const redisUrl = process.env.REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('when Redis is down at the moment of booking', () => {
  let proxy: TcpProxy;
  let stack: TestStack;

  beforeAll(async () => {
    proxy = await TcpProxy.inFrontOf(redisUrl!, 6379);
    stack = await startTestStack('outbox', { env: { REDIS_URL: proxy.through(redisUrl!) } });
  });

  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  it('commits the booking, and sends its emails exactly once when Redis is back', async () => {
    const admin = await stack.token('ADMIN');
    const trainingAdmin = await stack.token('TRAINING_ADMIN');
    await stack.gql(UPSERT_SCHOOLS, { schools: [{ urn: '930001', name: 'Outage Primary', phase: 'PRIMARY' }] }, admin);
    const startsAt = new Date(Date.now() + 20 * 24 * 3600 * 1000);
    const created = await stack.gql(
      CREATE_EVENT,
      {
        input: {
          title: 'Phase Transfer (school-age)',
          category: 'PHASE_TRANSFER',
          summary: 'Moving between phases.',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3 * 3600 * 1000).toISOString(),
          format: 'ONLINE',
          joiningUrl: 'https://meet.example.org/phase-transfer',
          capacity: 5,
          cpdHours: 2,
          audience: ['PRIMARY'],
        },
      },
      trainingAdmin,
    );
    expect(created.errors).toBeUndefined();
    const eventId = created.data.createEvent.id;
    await stack.gql(PUBLISH_EVENT, { id: eventId }, trainingAdmin);

    proxy.cut();
    const sendco = await stack.token('SENDCO', { schoolUrn: '930001', email: 'sendco@outage.example.org' });
    const booked = await stack.gql(
      BOOK_EVENT,
      { input: { eventId, schoolUrn: '930001', idempotencyKey: 'outage-1', delegates: [{ name: 'Rita Outage', email: 'rita@outage.example.org' }] } },
      sendco,
    );
    expect(booked.errors).toBeUndefined();
    expect(booked.data.bookEvent.places.map((p: { status: string }) => p.status)).toEqual(['CONFIRMED']);

    // While Redis is unreachable nothing can be sent (the relay retries every 500 ms here).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(stack.mailbox.messages).toHaveLength(0);
    // The operator sees the emails waiting in the outbox, and for how long.
    const waiting = await scrape(stack.serviceUrls.training);
    expect(metricValue(waiting, 'sendco_outbox_pending_rows')).toBeGreaterThanOrEqual(2);
    expect(metricValue(waiting, 'sendco_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(2);

    proxy.restore();
    const [confirmation] = await stack.mailbox.waitForCount('rita@outage.example.org', 1, 90_000);
    await stack.mailbox.waitForCount('sendco@outage.example.org', 1, 90_000);
    expect(confirmation.subject).toMatch(/Phase Transfer/);
    expect(confirmation.calendars.join('\n')).toMatch(/BEGIN:VEVENT[\s\S]*Phase Transfer/);

    // Enqueue attempts that timed out during the outage may complete late and the relay tries
    // again after: the job id (the outbox row's id) makes that harmless. Give any duplicate
    // time to arrive, then count.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(stack.mailbox.messages.filter((m) => m.envelopeTo.includes('rita@outage.example.org'))).toHaveLength(1);
    expect(stack.mailbox.messages.filter((m) => m.envelopeTo.includes('sendco@outage.example.org'))).toHaveLength(1);
    expect(metricValue(await scrape(stack.serviceUrls.training), 'sendco_outbox_pending_rows')).toBe(0);
  });
});
