/**
 * Sending one bulletin to one subscriber, exactly once: the delivery row is claimed (SENDING)
 * before the email is handed to the mail server and marked SENT as soon as the server has
 * accepted it. A retried or repeated job finds it SENT and sends nothing; an attempt that died
 * mid-send left a claim that another attempt takes over once its lease has run out (the server
 * never acknowledged that email, or the row would say SENT). A 5xx suppresses the address; other
 * failures release the claim and BullMQ retries with backoff.
 *
 * Once the server has accepted a message nothing hands the row back for another send: a failed
 * write of SENT is tried again for a few seconds, and if the database is still away the process
 * remembers the acceptance and records it when BullMQ runs the job again (the row stays SENDING,
 * never PENDING). While a send is in flight (the pooled transport may queue it behind other
 * emails, a relay may be slow) the attempt renews its claim, so the lease runs out only for an
 * attempt that died, never for a live, slow one.
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
  /** How often a live attempt renews its claim while it sends (default a quarter of the lease). */
  claimRenewMs?: number;
}

/** Tries of the SENT write after the server accepted, and the first wait between them (doubling: about 6 s in all). */
const RECORD_SENT_TRIES = 5;
const RECORD_SENT_FIRST_WAIT_MS = 200;

type Claim = { kind: 'claimed'; subscriber: Pick<Subscriber, 'email' | 'name'>; claimedAt: Date } | { kind: 'done' | 'suppressed' | 'no-delivery' } | { kind: 'held'; until: number };

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
    return rows.length ? { kind: 'claimed', subscriber: rows[0], claimedAt: now } : claimCarefully(job);
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
      return { kind: 'claimed' as const, subscriber, claimedAt: now };
    });

  /**
   * Keeps this attempt's claim fresh while it sends: claimed_at moves on as long as it is still
   * the one this attempt set, so the lease runs out only when the attempt has died.
   */
  const renewClaim = (job: BulletinDeliveryJob, claimedAt: Date) => {
    let current = claimedAt;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing
        .then(async () => {
          const next = clock();
          const result = await deps.dataSource
            .getRepository(Delivery)
            .createQueryBuilder()
            .update()
            .set({ claimedAt: next })
            .where('bulletin_id = :bulletinId AND subscriber_id = :subscriberId AND state = :sending AND claimed_at = :current', { ...job, sending: DeliveryState.SENDING, current })
            .execute();
          if (result.affected) current = next;
        })
        .catch((error) => deps.logger.warn({ err: error, bulletinId: job.bulletinId }, 'could not renew a delivery claim; will try again'));
    }, deps.claimRenewMs ?? CLAIM_LEASE_MS / 4);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await renewing;
      },
    };
  };

  /** Acceptances this process could not record yet (the database was away), by delivery. */
  const acceptedUnrecorded = new Map<string, string>();
  const deliveryKey = (job: BulletinDeliveryJob) => `${job.bulletinId}/${job.subscriberId}`;

  /** SENDING → SENT, tried again for a few seconds when the database does not take it. */
  const recordSent = async (job: BulletinDeliveryJob, messageId: string, tries = RECORD_SENT_TRIES) => {
    const key = { bulletinId: job.bulletinId, subscriberId: job.subscriberId, state: DeliveryState.SENDING };
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.dataSource.getRepository(Delivery).update(key, { state: DeliveryState.SENT, sentAt: clock(), messageId, lastError: null });
        return;
      } catch (error) {
        if (attempt >= tries) throw error;
        await new Promise((resolve) => setTimeout(resolve, RECORD_SENT_FIRST_WAIT_MS * 2 ** (attempt - 1)));
      }
    }
  };

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
    const remembered = acceptedUnrecorded.get(deliveryKey(data));
    if (remembered) {
      // Sent by an earlier attempt here, which could not record it: record it now, send nothing.
      await recordSent(data, remembered, 1);
      acceptedUnrecorded.delete(deliveryKey(data));
      await completeIfDone(deps.dataSource.manager, data.bulletinId, clock());
      return 'sent';
    }
    const claimed = await claim(data);
    switch (claimed.kind) {
      case 'held':
        // Another attempt holds it (or died holding it): look again when its lease runs out, without using up an attempt.
        await job.moveToDelayed(claimed.until + 100, token);
        throw new DelayedError();
      case 'done':
        // (an attempt that recorded the last delivery but not the bulletin's completion)
        await completeIfDone(deps.dataSource.manager, data.bulletinId, clock());
        return 'already-done';
      case 'no-delivery':
        return 'no-delivery';
      case 'suppressed':
        await completeIfDone(deps.dataSource.manager, data.bulletinId, clock());
        return 'suppressed';
    }
    const { subscriber } = claimed;
    const renewal = renewClaim(data, claimed.claimedAt);
    let messageId: string;
    try {
      const [unsubscribeUrl, preferencesUrl] = await Promise.all([deps.links.url(LinkPurpose.unsubscribe, data.subscriberId), deps.links.url(LinkPurpose.preferences, data.subscriberId)]);
      const email = personalise(await rendered(data.bulletinId), { unsubscribeUrl, preferencesUrl });
      ({ messageId } = await deps.mailer.send({
        ...email,
        to: { email: subscriber.email, name: subscriber.name ?? undefined },
        headers: { ...listUnsubscribeHeaders(unsubscribeUrl), ...BULK_HEADERS },
      }));
    } catch (error) {
      await renewal.stop();
      const reason = String((error as Error).message ?? error).slice(0, 500);
      if (isPermanentFailure(error)) {
        await finish(data, { state: DeliveryState.FAILED, lastError: reason }, { email: subscriber.email, reason: `refused at send: ${reason}` });
        return 'failed';
      }
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await finish(data, lastAttempt ? { state: DeliveryState.FAILED, lastError: reason } : { state: DeliveryState.PENDING, claimedAt: null, lastError: reason });
      throw error; // BullMQ retries with the queue's backoff (or records the last failure)
    }
    // Accepted by the server: from here on, nothing may hand the row back to be sent again.
    try {
      await recordSent(data, messageId);
    } catch (error) {
      acceptedUnrecorded.set(deliveryKey(data), messageId);
      deps.logger.error({ err: error, bulletinId: data.bulletinId }, 'a bulletin email was accepted but could not be recorded; recording it on the next attempt');
      throw error;
    } finally {
      await renewal.stop();
    }
    await completeIfDone(deps.dataSource.manager, data.bulletinId, clock());
    return 'sent';
  };
}
