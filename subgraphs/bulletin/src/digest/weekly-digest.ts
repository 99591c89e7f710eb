/**
 * The weekly digest, run by a BullMQ repeatable job (BULLETIN_DIGEST_CRON, UK time): DIGEST
 * bulletins of the week's items and what is coming up, one per set of topics the digest
 * subscribers chose (each with only the items of those topics), sent through the same fan-out
 * and deliveries as any bulletin. One run per cron slot: the slot's `digest_run` row (unique) is
 * inserted first, in the transaction that makes the digests and their send jobs, so a slot that
 * is triggered again (another process, a retry after a crash) finds it and sends nothing.
 */
import type { DataSource } from 'typeorm';
import { entityTable } from '@sendco/database';
import type { Logger } from '@sendco/logger';
import { bulletinSendJob, commitWithJobs, type OutboxRelay } from '@sendco/queue';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinKind, BulletinStatus } from '../bulletins/bulletin.enums';
import type { UpcomingSource } from '../bulletins/upcoming';
import { Subscriber } from '../subscribers/subscriber.entity';
import { BulletinFrequency, SubscriptionStatus } from '../subscribers/subscriber.enums';
import { digestIntro, digestSlot, digestTitle, planDigests } from './digest-rules';
import { DigestRun } from './digest-run.entity';

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** One digest run at a time, whichever process the job lands on (the slot's row decides whether it runs at all). */
const DIGEST_LOCK = 'pg_advisory_xact_lock(hashtext(\'bulletin-weekly-digest\'))';

export type DigestOutcome =
  | { outcome: 'skipped'; slot: string }
  | { outcome: 'already-run'; slot: string }
  | { outcome: 'scheduled'; slot: string; bulletinIds: string[] };

export class WeeklyDigest {
  constructor(
    private readonly dataSource: DataSource,
    private readonly upcoming: UpcomingSource,
    private readonly logger: Logger,
    private readonly cron: string,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** `scheduledMillis`: the slot the scheduler planned this run for (else the cron's latest slot). */
  async run(scheduledMillis?: number): Promise<DigestOutcome> {
    const now = this.clock();
    const slot = digestSlot(this.cron, now, scheduledMillis);
    const upcoming = await this.upcoming.upcoming(now); // before the transaction: no lock held while the gateway answers
    const outcome = await commitWithJobs<DigestOutcome>(this.dataSource, this.outbox, async (manager) => {
      await manager.query(`SELECT ${DIGEST_LOCK}`);
      const runs = manager.getRepository(DigestRun);
      const last = await runs.findOne({ where: {}, order: { periodEnd: 'DESC' } });
      const upcomingKeys = upcoming.map((entry) => entry.key);
      // The slot's row first: a second trigger of the slot stops here, whichever process it reached.
      const claimed = await runs.createQueryBuilder().insert().values({ slot, periodEnd: now, upcomingKeys }).orIgnore().returning(['id']).execute();
      const runId = (claimed.raw as { id: string }[])[0]?.id;
      if (!runId) return { result: { outcome: 'already-run', slot: slot.toISOString() }, jobs: [] };

      const periodStart = last?.periodEnd ?? new Date(now.getTime() - WEEK_MS);
      const issues = await manager
        .getRepository(Bulletin)
        .createQueryBuilder('b')
        .where('b.kind = :kind AND b.sent_at > :periodStart AND b.sent_at <= :now', { kind: BulletinKind.ISSUE, periodStart, now })
        .orderBy('b.sent_at', 'ASC')
        .getMany();
      // Every set of topics the digest's readers chose, each as a sorted set.
      const audiences: { topics: string[] }[] = await manager.query(
        `SELECT DISTINCT ARRAY(SELECT DISTINCT t FROM unnest(s.topics) t ORDER BY t) AS topics
           FROM ${entityTable(manager, Subscriber)} s WHERE s.frequency = $1 AND s.status = $2`,
        [BulletinFrequency.WEEKLY_DIGEST, SubscriptionStatus.CONFIRMED],
      );
      const editions = planDigests(issues, upcoming, last?.upcomingKeys ?? [], audiences.map((a) => a.topics));
      if (editions.length === 0) return { result: { outcome: 'skipped', slot: slot.toISOString() }, jobs: [] };

      const repo = manager.getRepository(Bulletin);
      const digests = await repo.save(
        editions.map((edition) =>
          repo.create({
            kind: BulletinKind.DIGEST,
            title: digestTitle(now),
            intro: digestIntro(edition),
            topics: [],
            audienceTopics: edition.audience,
            items: edition.items,
            includeUpcoming: true,
            status: BulletinStatus.SCHEDULED,
            sendAt: now,
            scheduleVersion: 1,
            createdBy: 'weekly-digest',
          }),
        ),
      );
      const bulletinIds = digests.map((d) => d.id);
      await runs.update({ id: runId }, { bulletinId: bulletinIds[0], bulletinIds });
      return {
        result: { outcome: 'scheduled', slot: slot.toISOString(), bulletinIds },
        jobs: bulletinIds.map((bulletinId) => bulletinSendJob({ bulletinId, scheduleVersion: 1 }, now)),
      };
    });
    this.logger.info(outcome, 'weekly digest run');
    return outcome;
  }
}
