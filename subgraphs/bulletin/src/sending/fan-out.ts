/**
 * Starting a send: when a bulletin's send job falls due (and it is still scheduled by that job),
 * render it once, freeze it, and fan it out: page through the matching subscribers in id order,
 * a page at a time, recording a delivery row per subscriber and enqueuing one delivery job each
 * with the deterministic id `bulletin-delivery.<id>.<subscriber>`. A crash mid-way resumes from the last
 * page recorded; rows and job ids make any repeat harmless.
 */
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '@sendco/logger';
import { bulletinDeliveryJobId, type BulletinDeliveryJob, type BulletinSendJob } from '@sendco/queue';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinKind, BulletinStatus } from '../bulletins/bulletin.enums';
import type { BulletinRenderer } from '../bulletins/bulletin-render';
import type { UpcomingSource } from '../bulletins/upcoming';
import { Subscriber } from '../subscribers/subscriber.entity';
import { BulletinFrequency, SubscriptionStatus } from '../subscribers/subscriber.enums';
import { Topic } from '../topics/topic.entity';
import { matchesTopicsSql, sameTopicsSql } from '../topics/topic-matching';
import { completeIfDone } from './completion';
import { Delivery, DeliveryState } from './delivery.entity';
import { sendJobDecision } from './sending-rules';

/** Subscribers recorded and enqueued per page: one short transaction and one bulk enqueue each. */
export const FAN_OUT_PAGE = 1000;

export type SendOutcome = { outcome: 'stale' } | { outcome: 'fanned-out'; recipients: number };

export class BulletinSender {
  constructor(
    private readonly dataSource: DataSource,
    private readonly renderer: BulletinRenderer,
    private readonly upcoming: UpcomingSource,
    private readonly deliveries: Pick<Queue<BulletinDeliveryJob>, 'addBulk'>,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async handleSendJob(job: BulletinSendJob): Promise<SendOutcome> {
    const repo = this.dataSource.getRepository(Bulletin);
    const bulletin = await repo.findOneBy({ id: job.bulletinId });
    const decision = sendJobDecision(bulletin, job.scheduleVersion);
    if (decision === 'stale') return { outcome: 'stale' };
    if (decision === 'start') {
      // Rendered before the status changes: a gateway that does not answer fails this attempt, to be retried, with nothing changed.
      const now = this.clock();
      const upcoming = bulletin!.includeUpcoming ? await this.upcoming.upcoming(now) : [];
      const rendered = this.renderer.render(bulletin!, upcoming, await topicNames(this.dataSource));
      const started = await repo
        .createQueryBuilder()
        .update()
        .set({ status: BulletinStatus.SENDING, sentAt: now, rendered, upcoming })
        .where('id = :id AND status = :scheduled AND schedule_version = :version', { id: job.bulletinId, scheduled: BulletinStatus.SCHEDULED, version: job.scheduleVersion })
        .execute();
      if (!started.affected) return { outcome: 'stale' }; // cancelled or rescheduled meanwhile
      this.logger.info({ bulletinId: job.bulletinId }, 'bulletin sending started');
    }
    return { outcome: 'fanned-out', recipients: await this.fanOut(job.bulletinId) };
  }

  private async fanOut(bulletinId: string): Promise<number> {
    const repo = this.dataSource.getRepository(Bulletin);
    for (;;) {
      const bulletin = await repo.findOneByOrFail({ id: bulletinId });
      const page = await this.dataSource
        .getRepository(Subscriber)
        .createQueryBuilder('s')
        .select(['s.id', 's.status'])
        .where('s.frequency = :frequency', { frequency: bulletin.kind === BulletinKind.DIGEST ? BulletinFrequency.WEEKLY_DIGEST : BulletinFrequency.EACH_BULLETIN })
        // Suppressed addresses get a row too, so they are counted as skipped.
        .andWhere('s.status IN (:...statuses)', { statuses: [SubscriptionStatus.CONFIRMED, SubscriptionStatus.SUPPRESSED] })
        // A digest edition goes to the readers of exactly its topics (digest/digest-rules.ts).
        .andWhere(bulletin.audienceTopics ? sameTopicsSql('s.topics', ':audience') : matchesTopicsSql('s.topics', ':topics'), { topics: bulletin.topics, audience: bulletin.audienceTopics })
        .andWhere(bulletin.fanoutCursor ? 's.id > :cursor' : 'TRUE', { cursor: bulletin.fanoutCursor })
        .orderBy('s.id', 'ASC')
        .limit(FAN_OUT_PAGE)
        .getMany();
      if (page.length === 0) break;
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(Delivery)
        .values(page.map((s) => ({ bulletinId, subscriberId: s.id, state: s.status === SubscriptionStatus.CONFIRMED ? DeliveryState.PENDING : DeliveryState.SUPPRESSED })))
        .orIgnore()
        .execute();
      const toSend = page.filter((s) => s.status === SubscriptionStatus.CONFIRMED);
      if (toSend.length) {
        await this.deliveries.addBulk(
          toSend.map((s) => {
            const data = { bulletinId, subscriberId: s.id };
            return { name: 'bulletin-delivery', data, opts: { jobId: bulletinDeliveryJobId(data) } };
          }),
        );
      }
      await repo.update({ id: bulletinId }, { fanoutCursor: page[page.length - 1].id });
    }
    await repo.update({ id: bulletinId }, { fanoutDone: true });
    await completeIfDone(this.dataSource.manager, bulletinId, this.clock()); // nobody to send to: SENT at once
    const recipients = await this.dataSource.getRepository(Delivery).countBy({ bulletinId });
    this.logger.info({ bulletinId, recipients }, 'bulletin fanned out');
    return recipients;
  }
}

export async function topicNames(dataSource: DataSource): Promise<Map<string, string>> {
  return new Map((await dataSource.getRepository(Topic).find()).map((t) => [t.slug, t.name]));
}
