/**
 * Postgres goes away under load and comes back: /readyz says not ready while it is down, the
 * services recover on their own when it returns, no booking answered as done is lost, and no
 * email is doubled, not even for a booking whose answer was lost and which the client sends
 * again with its idempotency key.
 *
 * The outage is a TCP proxy between the services and Postgres, cut (every connection dropped,
 * new ones refused, as a stopped server would) and restored, so the machine's real Postgres is
 * never touched. It needs DATABASE_URL: on the embedded defaults the services find the database
 * at the very port the launcher's own server listens on (EMBEDDED_PG_PORT), so there is no place
 * to put a proxy between them (and stopping the launcher's server would stop the stack).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TcpProxy } from '../support/tcp-proxy';
import { contractOperation, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { schoolAndOnlineEvent } from '../support/training';

const BOOK_EVENT = contractOperation('training.graphql', 'BookEvent');
const EVENT_REGISTER = contractOperation('training.graphql', 'EventRegister');

const databaseUrl = process.env.DATABASE_URL;
// On the embedded defaults the title says why it is skipped.
const describeWithPostgres = databaseUrl ? describe : describe.skip;
const TITLE = databaseUrl ? 'when Postgres goes away under load and comes back' : 'Postgres outage (skipped on the embedded defaults: needs DATABASE_URL, a server a proxy can stand in front of)';

interface Attempt {
  n: number;
  /** The booking's confirmed place, when the answer said it was done. */
  done: boolean;
  answer?: GraphQLResponse;
  /** The request failed without an answer (connection reset, timeout). */
  failure?: string;
}

describeWithPostgres(TITLE, () => {
  let proxy: TcpProxy;
  let stack: TestStack;

  beforeAll(async () => {
    proxy = await TcpProxy.inFrontOf(databaseUrl!, 5432);
    stack = await startTestStack('dboutage', { serviceDatabaseUrl: (url) => proxy.through(url) });
  });

  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  const ready = async (url: string) => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined))?.status;

  async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await sleep(200);
    }
  }

  it('is not ready while it is down, recovers by itself, loses no booking it confirmed and doubles no email', async () => {
    const { id: eventId } = await schoolAndOnlineEvent(stack, { urn: '950001', name: 'Outage Secondary', phase: 'SECONDARY' }, { title: 'Post-16 Phase Transfer', category: 'POST16_PHASE_TRANSFER', capacity: 500, daysAhead: 30 });
    const trainingAdmin = await stack.token('TRAINING_ADMIN');

    const delegate = (n: number) => `delegate${n}@outage.example.org`;
    const book = async (n: number): Promise<Attempt> => {
      const token = await stack.token('SENDCO', { schoolUrn: '950001', email: `booker${n}@outage.example.org`, sub: `booker-${n}` });
      const variables = { input: { eventId, schoolUrn: '950001', idempotencyKey: `outage-booking-${n}`, delegates: [{ name: `Delegate ${n}`, email: delegate(n) }] } };
      try {
        const answer = await stack.gql(BOOK_EVENT, variables, token);
        return { n, answer, done: !answer.errors && answer.data?.bookEvent?.places?.[0]?.status === 'CONFIRMED' };
      } catch (error) {
        return { n, done: false, failure: (error as Error).message };
      }
    };

    // Load: two clients booking one after another until told to stop.
    const attempts: Attempt[] = [];
    let next = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        attempts.push(await book(next++));
        await sleep(50);
      }
    };
    const clients = [client(), client()];
    const doneCount = () => attempts.filter((a) => a.done).length;

    await until('a few bookings are done', async () => doneCount() >= 6);
    proxy.cut();
    const cutAt = attempts.length;
    await until('the gateway says it is not ready', async () => (await ready(stack.serviceUrls.gateway)) === 503);
    expect(await ready(stack.serviceUrls.training)).toBe(503);
    expect(await ready(stack.serviceUrls.directory)).toBe(503);
    // The jobs worker needs Postgres only when its queue lives there.
    expect(await ready(stack.serviceUrls.jobs)).toBe(process.env.REDIS_URL ? 200 : 503);
    // Bookings keep arriving while it is down; none of them can be done.
    await until('bookings have been refused during the outage', async () => attempts.length >= cutAt + 4);
    const duringOutage = attempts.slice(cutAt + 2); // the first two may have been under way at the cut
    expect(duringOutage.filter((a) => a.done)).toEqual([]);
    for (const attempt of duringOutage) {
      // Refused with a GraphQL error that says nothing about the database's insides.
      expect(JSON.stringify(attempt.answer ?? attempt.failure)).not.toMatch(/ECONNREFUSED|Connection terminated|postgres|SELECT|INSERT|\.ts:|\.js:/i);
    }

    proxy.restore();
    await until('every service is ready again', async () => (await ready(stack.serviceUrls.gateway)) === 200 && (await ready(stack.serviceUrls.jobs)) === 200);
    const doneBeforeRecovery = doneCount();
    await until('bookings are done again', async () => doneCount() >= doneBeforeRecovery + 6);
    stop = true;
    await Promise.all(clients);

    // A client whose booking was not answered as done sends it again with the same key.
    for (const attempt of attempts.filter((a) => !a.done)) {
      const again = await book(attempt.n);
      expect({ n: attempt.n, done: again.done, errors: again.answer?.errors }).toEqual({ n: attempt.n, done: true, errors: undefined });
    }

    // Every booking is in the register once, each delegate confirmed once ...
    const register = await stack.gql(EVENT_REGISTER, { id: eventId }, trainingAdmin);
    expect(register.errors).toBeUndefined();
    const emails = register.data.event.places.map((p: { delegateEmail: string }) => p.delegateEmail).sort();
    expect(emails).toEqual(attempts.map((a) => delegate(a.n)).sort());
    expect(register.data.event.places.every((p: { status: string }) => p.status === 'CONFIRMED')).toBe(true);

    // ... and emailed once, as is each booker.
    for (const attempt of attempts) {
      await stack.mailbox.waitForCount(delegate(attempt.n), 1, 120_000);
      await stack.mailbox.waitForCount(`booker${attempt.n}@outage.example.org`, 1, 120_000);
    }
    await sleep(5000); // time for any duplicate to arrive before counting
    const count = (address: string) => stack.mailbox.messages.filter((m) => m.envelopeTo.includes(address)).length;
    const doubled = attempts.flatMap((a) => [delegate(a.n), `booker${a.n}@outage.example.org`]).filter((address) => count(address) !== 1);
    expect(doubled).toEqual([]);
  });
});
