/**
 * The weekly digest, run by a BullMQ repeatable job (BULLETIN_DIGEST_CRON, UK time): a DIGEST
 * bulletin of the week's items and what is coming up, sent through the same fan-out and
 * deliveries as any bulletin to the subscribers who chose the weekly digest.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '@sendco/logger';
import { bulletinSendJob, commitWithJobs, type OutboxRelay } from '@sendco/queue';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinKind, BulletinStatus } from '../bulletins/bulletin.enums';
import type { UpcomingSource } from '../bulletins/upcoming';
import { digestTitle, planDigest } from './digest-rules';
import { DigestRun } from './digest-run.entity';

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** One digest run at a time, whichever process the job lands on. */
const DIGEST_LOCK = 'pg_advisory_xact_lock(hashtext(\'bulletin-weekly-digest\'))';

export type DigestOutcome = { outcome: 'skipped' } | { outcome: 'scheduled'; bulletinId: string };

export class WeeklyDigest {
  constructor(
    private readonly dataSource: DataSource,
    private readonly upcoming: UpcomingSource,
    private readonly logger: Logger,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async run(): Promise<DigestOutcome> {
    const now = this.clock();
    const upcoming = await this.upcoming.upcoming(now); // before the transaction: no lock held while the gateway answers
    const outcome = await commitWithJobs<DigestOutcome>(this.dataSource, this.outbox, async (manager) => {
      await manager.query(`SELECT ${DIGEST_LOCK}`);
      const last = await manager.getRepository(DigestRun).findOne({ where: {}, order: { periodEnd: 'DESC' } });
      const periodStart = last?.periodEnd ?? new Date(now.getTime() - WEEK_MS);
      const issues = await manager
        .getRepository(Bulletin)
        .createQueryBuilder('b')
        .where('b.kind = :kind AND b.sent_at > :periodStart AND b.sent_at <= :now', { kind: BulletinKind.ISSUE, periodStart, now })
        .orderBy('b.sent_at', 'ASC')
        .getMany();
      const plan = planDigest(issues, upcoming, last?.upcomingKeys ?? []);
      const upcomingKeys = upcoming.map((entry) => entry.key);
      if (!plan.send) {
        await manager.getRepository(DigestRun).insert({ periodEnd: now, bulletinId: null, upcomingKeys });
        return { result: { outcome: 'skipped' }, jobs: [] };
      }
      const repo = manager.getRepository(Bulletin);
      const digest = await repo.save(
        repo.create({
          kind: BulletinKind.DIGEST,
          title: digestTitle(now),
          intro: issues.length ? `This week's news for SENDCOs, from ${issues.length} bulletin${issues.length === 1 ? '' : 's'}, and what is coming up.` : 'What is coming up for SENDCOs.',
          topics: [],
          items: plan.items,
          includeUpcoming: true,
          status: BulletinStatus.SCHEDULED,
          sendAt: now,
          scheduleVersion: 1,
          createdBy: 'weekly-digest',
        }),
      );
      await manager.getRepository(DigestRun).insert({ periodEnd: now, bulletinId: digest.id, upcomingKeys });
      return { result: { outcome: 'scheduled', bulletinId: digest.id }, jobs: [bulletinSendJob({ bulletinId: digest.id, scheduleVersion: 1 }, now)] };
    });
    this.logger.info(outcome, 'weekly digest run');
    return outcome;
  }
}
