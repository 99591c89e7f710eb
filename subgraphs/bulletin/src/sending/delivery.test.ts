/**
 * One bulletin to one subscriber, exactly once, against a real Postgres (DATABASE_URL, a database
 * of this file's own, the bulletin's real migrations): what happens after the relay has accepted
 * a message must never lead to a second send.
 *
 * - Recording the acceptance fails once (the database blinked): the attempt must not hand the
 *   row back as PENDING (the old code did, and BullMQ's retry sent the email again).
 * - A send that outlasts the claim's lease (the pooled transport queues it behind other emails,
 *   or the relay is slow) while BullMQ hands the job to another attempt (a stalled job): the
 *   live attempt keeps its claim, so the other one waits instead of sending a second copy.
 */
import { DelayedError, type Job } from 'bullmq';
import { Repository } from 'typeorm';
import { AuditEntry, createDataSource, createScratchDatabase, initializeDataSource, type DataSource } from '@sendco/database';
import { createLogger } from '@sendco/logger';
import { bulletinDeliveryJobId, type BulletinDeliveryJob } from '@sendco/queue';
import { Bulletin } from '../bulletins/bulletin.entity';
import { CreateBulletin1764500000000 } from '../migrations/1764500000000-CreateBulletin';
import { DigestSlots1764600000000 } from '../migrations/1764600000000-DigestSlots';
import { BULLETIN_SCHEMA } from '../schema-name';
import { Subscriber } from '../subscribers/subscriber.entity';
import { SubscriberLinks } from '../subscribers/subscriber-links';
import { createDeliveryProcessor } from './delivery';
import { Delivery, DeliveryState } from './delivery.entity';
import { CLAIM_LEASE_MS } from './sending-rules';

const baseUrl = process.env.DATABASE_URL;
const describeWithPostgres = baseUrl ? describe : describe.skip;
const logger = createLogger('delivery-test', 'silent');
const links = new SubscriberLinks('s'.repeat(40), 'http://localhost:4000');

function jobFor(data: BulletinDeliveryJob, attemptsMade = 0) {
  return { id: bulletinDeliveryJobId(data), data, attemptsMade, opts: { attempts: 10 }, moveToDelayed: jest.fn(async () => undefined) } as unknown as Job<BulletinDeliveryJob> & { moveToDelayed: jest.Mock };
}

describe('the delivery job id', () => {
  it('has no colon (BullMQ refuses custom ids with one, but for the three-part form it keeps for old repeatable jobs), and one per pair', () => {
    const a = { bulletinId: '0b7c7a56-4c64-4a52-9a0c-2d1f3f7f5d10', subscriberId: '5f0f5e0e-6a55-4a8a-8c1d-1e2d3c4b5a69' };
    const b = { ...a, subscriberId: '6f0f5e0e-6a55-4a8a-8c1d-1e2d3c4b5a69' };
    expect(bulletinDeliveryJobId(a)).not.toContain(':');
    expect(bulletinDeliveryJobId(a)).toBe(bulletinDeliveryJobId({ ...a }));
    expect(bulletinDeliveryJobId(a)).not.toBe(bulletinDeliveryJobId(b));
    expect(bulletinDeliveryJobId(a)).toContain(a.bulletinId);
    expect(bulletinDeliveryJobId(a)).toContain(a.subscriberId);
  });
});

describeWithPostgres('a bulletin delivery (real Postgres)', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let bulletinId: string;

  beforeAll(async () => {
    const database = await createScratchDatabase(baseUrl!, `sendco_delivery_test_${process.pid}`);
    drop = database.drop;
    dataSource = createDataSource({ schema: BULLETIN_SCHEMA, url: database.url, entities: [Bulletin, Subscriber, Delivery, AuditEntry], migrations: [CreateBulletin1764500000000, DigestSlots1764600000000], poolSize: 4 });
    await initializeDataSource(dataSource);
    const [bulletin] = await dataSource.query(
      `INSERT INTO "${BULLETIN_SCHEMA}"."bulletin" (kind, title, intro, items, status, created_by, rendered, fanout_done)
       VALUES ('ISSUE', 'T', 'I', '[]', 'SENDING', 'test', $1, true) RETURNING id`,
      [JSON.stringify({ subject: 'News', html: '<p>News</p>', text: 'News' })],
    );
    bulletinId = bulletin.id;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  afterEach(() => jest.restoreAllMocks());

  let subscribers = 0;
  async function pendingDelivery(): Promise<BulletinDeliveryJob> {
    const [subscriber] = await dataSource.query(
      `INSERT INTO "${BULLETIN_SCHEMA}"."subscriber" (email, status, frequency, source) VALUES ($1, 'CONFIRMED', 'EACH_BULLETIN', 'test') RETURNING id`,
      [`reader${++subscribers}@example.org`],
    );
    await dataSource.query(`INSERT INTO "${BULLETIN_SCHEMA}"."delivery" (bulletin_id, subscriber_id, state) VALUES ($1, $2, 'PENDING')`, [bulletinId, subscriber.id]);
    return { bulletinId, subscriberId: subscriber.id };
  }

  const deliveryRow = (job: BulletinDeliveryJob) => dataSource.getRepository(Delivery).findOneByOrFail({ bulletinId: job.bulletinId, subscriberId: job.subscriberId });

  it('records an accepted message as SENT even when the first write of it fails, and a retry sends nothing', async () => {
    const data = await pendingDelivery();
    const send = jest.fn(async () => ({ messageId: '<accepted@relay>' }));
    const process = createDeliveryProcessor({ dataSource, mailer: { send }, links, logger });
    // The database refuses the first write after the relay's acceptance (a failover, a timeout).
    const update = Repository.prototype.update;
    let refused = false;
    jest.spyOn(Repository.prototype, 'update').mockImplementation(function (this: Repository<object>, criteria: unknown, changes: unknown) {
      if (!refused && (changes as Partial<Delivery>).state === DeliveryState.SENT) {
        refused = true;
        return Promise.reject(new Error('connection terminated unexpectedly'));
      }
      return update.call(this, criteria as never, changes as never);
    });
    // However this attempt ends, BullMQ may run the job again (a retry, a repeated job).
    await process(jobFor(data)).catch(() => undefined);
    await process(jobFor(data, 1)).catch(() => undefined);
    expect(refused).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    expect(await deliveryRow(data)).toMatchObject({ state: DeliveryState.SENT, messageId: '<accepted@relay>' });
  });

  it('keeps its claim while a send outlasts the lease, so an overlapping attempt waits instead of sending again', async () => {
    const data = await pendingDelivery();
    let now = Date.now();
    const clock = () => new Date(now);
    let accept!: () => void;
    const inFlight = new Promise<void>((resolve) => (accept = resolve));
    let sendStarted!: () => void;
    const started = new Promise<void>((resolve) => (sendStarted = resolve));
    const send = jest.fn(async () => {
      sendStarted();
      await inFlight;
      return { messageId: '<slow@relay>' };
    });
    const process = createDeliveryProcessor({ dataSource, mailer: { send }, links, logger, clock, claimRenewMs: 50 });
    const first = process(jobFor(data));
    await started;
    // The send is still waiting for the relay when the lease would have run out...
    now += CLAIM_LEASE_MS + 5_000;
    await new Promise((resolve) => setTimeout(resolve, 300)); // (the live attempt renews its claim meanwhile)
    // ...and BullMQ hands the job to another attempt (it took the first for stalled).
    const second = jobFor(data);
    await expect(process(second)).rejects.toBeInstanceOf(DelayedError);
    expect(second.moveToDelayed).toHaveBeenCalled();
    accept();
    await expect(first).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(1);
    expect(await deliveryRow(data)).toMatchObject({ state: DeliveryState.SENT });
  });

  it('still lets another attempt take over a claim whose attempt died (no renewals) once the lease has run out', async () => {
    const data = await pendingDelivery();
    await dataSource.query(`UPDATE "${BULLETIN_SCHEMA}"."delivery" SET state = 'SENDING', claimed_at = now() - interval '2 minutes' WHERE subscriber_id = $1`, [data.subscriberId]);
    const send = jest.fn(async () => ({ messageId: '<taken-over@relay>' }));
    const process = createDeliveryProcessor({ dataSource, mailer: { send }, links, logger });
    await expect(process(jobFor(data))).resolves.toBe('sent');
    expect(send).toHaveBeenCalledTimes(1);
  });
});
