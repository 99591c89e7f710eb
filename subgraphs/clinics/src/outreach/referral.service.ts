/**
 * Special School Outreach referrals: a school's SENDCO refers it; ADMIN allocates it to a special
 * school; that school's provider (or ADMIN) moves it on and closes it. The referring school is
 * emailed at every step; every step is audited.
 */
import { Brackets, In, type DataSource } from 'typeorm';
import { requireSignedIn, type Principal } from '@sendco/auth';
import { freeTextProblem } from '@sendco/child-data';
import { audit, isUuid } from '@sendco/database';
import { badUserInput, forbidden, notFound } from '@sendco/errors';
import { decodeCursor, pageSize, toConnection, type Connection } from '@sendco/federation';
import { commitWithJobs, type OutboxRelay } from '@sendco/queue';
import { mayCountReferrals, mayReferToOutreach, maySeeReferral, referralScope } from '../access';
import { requireSpecialSchool, type SchoolDirectory } from '../schools/special-schools';
import { checkMayChangeReferral, checkReferralTransition } from './referral-transitions';
import { OutreachReferral, OutreachReferralUpdate } from './referral.entity';
import { OutreachPackage, OutreachReferralStatus } from './referral.enums';
import { referralUpdateEmail } from './referral-emails';
import type { OutreachReferralChangeInput, OutreachReferralFilter, OutreachReferralInput } from './referral.inputs';

export interface ReferralCounts {
  total: number;
  byStatus: { status: OutreachReferralStatus; count: number }[];
  byPackage: { package: OutreachPackage; count: number }[];
  /** Month received, Europe/London, as YYYY-MM, oldest first. */
  byMonth: { month: string; count: number }[];
}

export class OutreachReferralService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schools: SchoolDirectory,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
  ) {}

  /** The school's SENDCO (or ADMIN). RECEIVED; the school's contact is emailed a receipt. */
  async refer(principal: Principal, input: OutreachReferralInput): Promise<OutreachReferral> {
    requireSignedIn(principal);
    if (!mayReferToOutreach(principal, input.schoolUrn)) throw forbidden("Only your school's SENDCO can refer it to Outreach.");
    const needsSummary = input.needsSummary.trim();
    if (needsSummary.length < 20) throw badUserInput([{ field: 'needsSummary', message: 'needsSummary must be 20 to 5000 characters' }]);
    // Shared with the special school that supports the school: the one rule for children's data.
    const identifies = freeTextProblem(needsSummary);
    if (identifies) throw badUserInput([{ field: 'needsSummary', message: `needsSummary ${identifies}` }]);
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const repo = manager.getRepository(OutreachReferral);
      const referral = await repo.save(
        repo.create({
          schoolUrn: input.schoolUrn,
          supportPackage: input.package,
          needsSummary,
          contactName: input.contactName?.trim() || null,
          contactEmail: input.contactEmail.trim().toLowerCase(),
          status: OutreachReferralStatus.RECEIVED,
          referredBy: principal.sub,
        }),
      );
      await manager.getRepository(OutreachReferralUpdate).insert({ referralId: referral.id, status: referral.status });
      await audit(manager, [
        { subjectType: 'outreach_referral', subjectId: referral.id, action: 'outreach_referral.received', actor: principal.sub, details: { schoolUrn: referral.schoolUrn, package: referral.supportPackage } },
      ]);
      return { result: referral, jobs: [referralUpdateEmail(referral)] };
    });
  }

  /** One step of the referral (see referral-transitions.ts); the referring school is emailed. */
  async change(principal: Principal, id: string, change: OutreachReferralChangeInput): Promise<OutreachReferral> {
    requireSignedIn(principal);
    const found = isUuid(id) ? await this.dataSource.getRepository(OutreachReferral).findOneBy({ id }) : null;
    if (!found) throw notFound('Referral');
    checkMayChangeReferral(principal, found, change);
    checkReferralTransition(found, change);
    // The directory is asked before the transaction, so no lock waits on the network.
    const allocated = change.status === OutreachReferralStatus.ALLOCATED ? await requireSpecialSchool(this.schools, change.allocatedSchoolUrn!, 'allocatedSchoolUrn') : undefined;

    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const repo = manager.getRepository(OutreachReferral);
      const referral = await repo.findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      // Again under the lock: someone may have moved it on meanwhile.
      checkMayChangeReferral(principal, referral, change);
      checkReferralTransition(referral, change);
      const from = referral.status;
      referral.status = change.status;
      if (allocated) {
        referral.allocatedSchoolUrn = allocated.urn;
        referral.allocatedSchoolName = allocated.name;
      }
      await repo.update({ id }, { status: referral.status, allocatedSchoolUrn: referral.allocatedSchoolUrn, allocatedSchoolName: referral.allocatedSchoolName });
      const note = change.note?.trim() || null;
      await manager.getRepository(OutreachReferralUpdate).insert({ referralId: id, status: referral.status, allocatedSchoolUrn: allocated?.urn ?? null, note });
      await audit(manager, [
        {
          subjectType: 'outreach_referral',
          subjectId: id,
          action: `outreach_referral.${referral.status.toLowerCase()}`,
          actor: principal.sub,
          details: { from, to: referral.status, allocatedSchoolUrn: allocated?.urn, note },
        },
      ]);
      return { result: referral, jobs: [referralUpdateEmail(referral, note)] };
    });
  }

  async getReferral(principal: Principal, id: string): Promise<OutreachReferral> {
    requireSignedIn(principal);
    const referral = isUuid(id) ? await this.dataSource.getRepository(OutreachReferral).findOneBy({ id }) : null;
    if (!referral) throw notFound('Referral');
    if (!maySeeReferral(principal, referral)) throw forbidden("You can only see your own school's referrals, or those allocated to your school.");
    return referral;
  }

  /** The referrals the caller may see (referralScope), newest first, paged. */
  async listReferrals(principal: Principal, filter: OutreachReferralFilter, first?: number | null, after?: string | null): Promise<Connection<OutreachReferral>> {
    requireSignedIn(principal);
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const scope = referralScope(principal);
    const query = this.dataSource.getRepository(OutreachReferral).createQueryBuilder('r');
    if (!('everything' in scope)) {
      if (!scope.referredBy && !scope.allocatedTo) throw forbidden('Referrals are seen by the referring school, the allocated special school and the council.');
      query.where(
        new Brackets((q) => {
          q.where('false');
          if (scope.referredBy) q.orWhere('r.school_urn = :referredBy', { referredBy: scope.referredBy });
          if (scope.allocatedTo) q.orWhere('r.allocated_school_urn = :allocatedTo', { allocatedTo: scope.allocatedTo });
        }),
      );
    }
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.package) query.andWhere('r.package = :package', { package: filter.package });
    const totalCount = await query.getCount();
    if (cursor) query.andWhere('(r.received_at, r.id) < (:cursorAt, :cursorId)', { cursorAt: new Date(cursor.key), cursorId: cursor.id });
    const rows = await query.orderBy('r.received_at', 'DESC').addOrderBy('r.id', 'DESC').limit(size + 1).getMany();
    return toConnection(rows, size, totalCount, (r) => ({ key: r.receivedAt.toISOString(), id: r.id }));
  }

  /** Steps of many referrals, oldest first, in one query. */
  async updatesOf(referralIds: readonly string[]): Promise<OutreachReferralUpdate[][]> {
    const rows = referralIds.length
      ? await this.dataSource.getRepository(OutreachReferralUpdate).find({ where: { referralId: In([...referralIds]) }, order: { at: 'ASC' } })
      : [];
    return referralIds.map((id) => rows.filter((r) => r.referralId === id));
  }

  /**
   * COUNCIL_OFFICER or ADMIN: referrals received in [from, to), counted by status, package and
   * month (Europe/London) in one pass, so "428 referrals since September 2023" is one query.
   */
  async counts(principal: Principal, from?: Date | null, to?: Date | null): Promise<ReferralCounts> {
    requireSignedIn(principal);
    if (!mayCountReferrals(principal)) throw forbidden('Outreach figures are for council officers.');
    const table = this.dataSource.getRepository(OutreachReferral).metadata.tablePath; // clinics.outreach_referral
    const rows: { status: string | null; package: string | null; month: string | null; count: string }[] = await this.dataSource.query(
      `SELECT status, package, to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month, count(*) AS count
         FROM ${table}
        WHERE ($1::timestamptz IS NULL OR received_at >= $1) AND ($2::timestamptz IS NULL OR received_at < $2)
        GROUP BY GROUPING SETS ((status), (package), (month), ())`,
      [from ?? null, to ?? null],
    );
    const counted = (row: { count: string }) => Number(row.count);
    const byStatus = rows.filter((r) => r.status !== null).map((r) => ({ status: r.status as OutreachReferralStatus, count: counted(r) }));
    const byPackage = rows.filter((r) => r.package !== null).map((r) => ({ package: r.package as OutreachPackage, count: counted(r) }));
    const byMonth = rows.filter((r) => r.month !== null).map((r) => ({ month: r.month!, count: counted(r) }));
    const total = rows.find((r) => r.status === null && r.package === null && r.month === null);
    return {
      total: total ? counted(total) : 0,
      byStatus: Object.values(OutreachReferralStatus).map((status) => ({ status, count: byStatus.find((s) => s.status === status)?.count ?? 0 })),
      byPackage: Object.values(OutreachPackage).map((p) => ({ package: p, count: byPackage.find((s) => s.package === p)?.count ?? 0 })),
      byMonth: byMonth.sort((a, b) => a.month.localeCompare(b.month)),
    };
  }
}
