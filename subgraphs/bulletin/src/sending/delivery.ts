/**
 * Sending one bulletin to one subscriber, exactly once: the delivery row is claimed (SENDING)
 * before the email is handed to the mail server and marked SENT as soon as the server has
 * accepted it. A retried or repeated job finds it SENT and sends nothing; an attempt that died
 * mid-send left a claim that another attempt takes over once its lease has run out (the server
 * never acknowledged that email, or the row would say SENT). A 5xx suppresses the address; other
 * failures release the claim and BullMQ retries with backoff.
 *
 * The one unavoidable gap is SMTP's own (RFC 1047): the server accepted the message but the
 * process died before its acknowledgement was recorded. The row is marked in the same moment
 * the acknowledgement arrives, which keeps that window as short as it can be.
 */
import { DelayedError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '@sendco/logger';
import type { Mailer } from '@sendco/mail';
import type { BulletinDeliveryJob } from '@sendco/queue';
import { Bulletin, type RenderedBulletin } from '../bulletins/bulletin.entity';
import { listUnsubscribeHeaders, personalise } from '../bulletins/bulletin-render';
import { Subscriber } from '../subscribers/subscriber.entity';
import { SubscriptionStatus } from '../subscribers/subscriber.enums';
import { LinkPurpose, type SubscriberLinks } from '../subscribers/subscriber-links';
import { suppressAddress } from '../subscribers/suppression';
import { completeIfDone } from './completion';
import { Delivery, DeliveryState } from './delivery.entity';
import { CLAIM_LEASE_MS, checkClaim, isPermanentFailure } from './sending-rules';
import { BULLETIN_SCHEMA } from '../schema-name';

export type DeliveryOutcome = 'sent' | 'already-done' | 'suppressed' | 'failed' | 'no-delivery';

// RFC 3834 (no auto-replies) and the usual mark of a mailing list.
const BULK_HEADERS = { 'Auto-Submitted': 'auto-generated', Precedence: 'bulk' };
/** Rendered bulletins kept per process: one or two are sending at any time. */
const RENDERED_CACHE_SIZE = 8;

export interface DeliveryDeps {
  dataSource: DataSource;
  mailer: Pick<Mailer, 'send'>;
  links: SubscriberLinks;
  logger: Logger;
  clock?: () => Date;
}

type Claim = { kind: 'claimed'; subscriber: Pick<Subscriber, 'email' | 'name'> } | { kind: 'done' | 'suppressed' | 'no-delivery' } | { kind: 'held'; until: number };

export function createDeliveryProcessor(deps: DeliveryDeps) {
  const clock = deps.clock ?? (() => new Date());
  const renderedCache = new Map<string, Promise<RenderedBulletin>>();

  const rendered = (bulletinId: string): Promise<RenderedBulletin> => {
    let cached = renderedCache.get(bulletinId);
    if (!cached) {
      cached = deps.dataSource
        .getRepository(Bulletin)
        .findOne({ where: { id: bulletinId }, select: { id: true, rendered: true } })
        .then((b) => {
          if (!b?.rendered) throw new Error(`bulletin ${bulletinId} has not been rendered for sending`);
          return b.rendered;
        });
      cached.catch(() => renderedCache.delete(bulletinId));
      renderedCache.set(bulletinId, cached);
      if (renderedCache.size > RENDERED_CACHE_SIZE) renderedCache.delete(renderedCache.keys().next().value!);
    }
    return cached;
  };

  /**
   * The common case in one statement: a PENDING delivery to a CONFIRMED subscriber is claimed and
   * the address read back together. Anything else (a claim to take over, a subscriber gone away,
   * a delivery already done) goes through `claimCarefully`, which applies the rules in full.
   */
  const claim = async (job: BulletinDeliveryJob): Promise<Claim> => {
    const now = clock();
    const [rows] = (await deps.dataSource.query(
      `UPDATE "${BULLETIN_SCHEMA}"."delivery" d SET state = $3, claimed_at = $4, attempts = d.attempts + 1
         FROM "${BULLETIN_SCHEMA}"."subscriber" s
        WHERE d.bulletin_id = $1 AND d.subscriber_id = $2 AND d.state = $5 AND s.id = d.subscriber_id AND s.status = $6
       RETURNING s.email, s.name`,
      [job.bulletinId, job.subscriberId, DeliveryState.SENDING, now, DeliveryState.PENDING, SubscriptionStatus.CONFIRMED],
    )) as [{ email: string; name: string | null }[], number];
    return rows.length ? { kind: 'claimed', subscriber: rows[0] } : claimCarefully(job);
  };

  const claimCarefully = (job: BulletinDeliveryJob): Promise<Claim> =>
    deps.dataSource.transaction(async (manager) => {
      const delivery = await manager
        .getRepository(Delivery)
        .createQueryBuilder('d')
        .setLock('pessimistic_write')
        .where('d.bulletin_id = :bulletinId AND d.subscriber_id = :subscriberId', job)
        .getOne();
      if (!delivery) return { kind: 'no-delivery' as const };
      const now = clock();
      const check = checkClaim(delivery, now);
      if (check === 'done') return { kind: 'done' as const };
      if (check === 'held') return { kind: 'held' as const, until: delivery.claimedAt!.getTime() + CLAIM_LEASE_MS };
      const subscriber = await manager.getRepository(Subscriber).findOne({ where: { id: job.subscriberId }, select: { id: true, email: true, name: true, status: true } });
      const key = { bulletinId: job.bulletinId, subscriberId: job.subscriberId };
      // Unsubscribed or suppressed since the fan-out: skipped, and counted as such.
      if (subscriber?.status !== SubscriptionStatus.CONFIRMED) {
        await manager.getRepository(Delivery).update(key, { state: DeliveryState.SUPPRESSED, claimedAt: null });
        return { kind: 'suppressed' as const };
      }
      await manager.getRepository(Delivery).update(key, { state: DeliveryState.SENDING, claimedAt: now, attempts: delivery.attempts + 1 });
      return { kind: 'claimed' as const, subscriber };
    });

  const finish = async (job: BulletinDeliveryJob, changes: Partial<Delivery>, suppress?: { email: string; reason: string }) => {
    const key = { bulletinId: job.bulletinId, subscriberId: job.subscriberId, state: DeliveryState.SENDING };
    if (suppress) {
      await deps.dataSource.transaction(async (manager) => {
        await manager.getRepository(Delivery).update(key, changes);
        await suppressAddress(manager, suppress.email, suppress.reason, 'system', clock());
      });
    } else await deps.dataSource.getRepository(Delivery).update(key, changes);
    if (changes.state !== DeliveryState.PENDING) await completeIfDone(deps.dataSource.manager, job.bulletinId, clock());
  };

  return async function processDelivery(job: Job<BulletinDeliveryJob>, token?: string): Promise<DeliveryOutcome> {
    const data = job.data;
    const claimed = await claim(data);
    switch (claimed.kind) {
      case 'held':
        // Another attempt holds it (or died holding it): look again when its lease runs out, without using up an attempt.
        await job.moveToDelayed(claimed.until + 100, token);
        throw new DelayedError();
      case 'done':
        return 'already-done';
      case 'no-delivery':
        return 'no-delivery';
      case 'suppressed':
        await completeIfDone(deps.dataSource.manager, data.bulletinId, clock());
        return 'suppressed';
    }
    const { subscriber } = claimed;
    try {
      const [unsubscribeUrl, preferencesUrl] = await Promise.all([deps.links.url(LinkPurpose.unsubscribe, data.subscriberId), deps.links.url(LinkPurpose.preferences, data.subscriberId)]);
      const email = personalise(await rendered(data.bulletinId), { unsubscribeUrl, preferencesUrl });
      const { messageId } = await deps.mailer.send({
        ...email,
        to: { email: subscriber.email, name: subscriber.name ?? undefined },
        headers: { ...listUnsubscribeHeaders(unsubscribeUrl), ...BULK_HEADERS },
      });
      await finish(data, { state: DeliveryState.SENT, sentAt: clock(), messageId, lastError: null });
      return 'sent';
    } catch (error) {
      const reason = String((error as Error).message ?? error).slice(0, 500);
      if (isPermanentFailure(error)) {
        await finish(data, { state: DeliveryState.FAILED, lastError: reason }, { email: subscriber.email, reason: `refused at send: ${reason}` });
        return 'failed';
      }
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await finish(data, lastAttempt ? { state: DeliveryState.FAILED, lastError: reason } : { state: DeliveryState.PENDING, claimedAt: null, lastError: reason });
      throw error; // BullMQ retries with the queue's backoff (or records the last failure)
    }
  };
}
