/**
 * What council officers see across the county: the summary, the returns waiting for QA (oldest
 * submission first), the export for the funding model, and the audit log of a return.
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '@sendco/auth';
import { AuditEntry, audit, isUuid } from '@sendco/database';
import { notFound } from '@sendco/errors';
import { AuditEntryView, decodeCursor, pageSize, toConnection, type Connection } from '@sendco/federation';
import { MatrixService } from '../matrix/matrix.service';
import { RETURN_SUBJECT, auditReturnReads } from '../returns/return-audit';
import { requireCouncilOfficer } from '../returns/return-access';
import { ReturnStatus } from '../returns/return-status';
import { BandingReturn } from '../returns/return.entity';
import type { BandingSummaryView } from './council.types';
import { approvedPupilsCsv } from './export';
import { countySummary } from './summary';

export class CouncilService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matrices: MatrixService,
  ) {}

  async summary(principal: Principal, version?: number | null): Promise<BandingSummaryView> {
    requireCouncilOfficer(principal);
    return countySummary(this.dataSource.manager, await this.matrices.version(version));
  }

  /** SUBMITTED returns of every version, the longest-waiting first; each listed return's read is audited. */
  async awaitingQa(principal: Principal, first?: number | null, after?: string | null, request?: object): Promise<Connection<BandingReturn>> {
    requireCouncilOfficer(principal);
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const query = this.dataSource.getRepository(BandingReturn).createQueryBuilder('r').where('r.status = :status', { status: ReturnStatus.SUBMITTED });
    const totalCount = await query.clone().getCount();
    if (cursor) query.andWhere('(r.submitted_at, r.id) > (:at, :id)', { at: cursor.key, id: cursor.id });
    const rows = await query.orderBy('r.submitted_at', 'ASC').addOrderBy('r.id', 'ASC').limit(size + 1).getMany();
    const connection = toConnection(rows, size, totalCount, (r) => ({ key: r.submittedAt!.toISOString(), id: r.id }));
    await auditReturnReads(this.dataSource.manager, principal, connection.edges.map((e) => e.node.id), 'bandingReturnsAwaitingQa', request);
    return connection;
  }

  /** CSV of the approved pupil rows of a version (newest by default); recorded in the audit log. */
  async exportCsv(principal: Principal, version?: number | null): Promise<string> {
    requireCouncilOfficer(principal);
    const matrix = await this.matrices.version(version);
    return this.dataSource.transaction(async (manager) => {
      const { csv, returnIds, rows } = await approvedPupilsCsv(manager, matrix);
      await audit(manager, [{ subjectType: 'matrix', subjectId: matrix.id, action: 'export.csv', actor: principal.sub, details: { version: matrix.version, rows, returns: returnIds.length } }]);
      await auditReturnReads(manager, principal, returnIds, 'bandingExportCsv');
      return csv;
    });
  }

  /** Every read and change of a return, oldest first (council officers only). */
  async auditLog(principal: Principal, returnId: string, first?: number | null, after?: string | null): Promise<Connection<AuditEntryView>> {
    requireCouncilOfficer(principal);
    if (!isUuid(returnId) || !(await this.dataSource.getRepository(BandingReturn).existsBy({ id: returnId }))) throw notFound('Banding return');
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const query = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a').where('a.subject_type = :type AND a.subject_id = :id', { type: RETURN_SUBJECT, id: returnId });
    const totalCount = await query.clone().getCount();
    // Ordered by the millisecond the cursor can carry (\`at\` has microseconds), so no entry repeats across pages.
    const atMs = "date_trunc('milliseconds', a.at)";
    if (cursor) query.andWhere(`(${atMs}, a.id) > (:at, :cursorId)`, { at: cursor.key, cursorId: cursor.id });
    const rows = await query.orderBy(atMs, 'ASC').addOrderBy('a.id', 'ASC').limit(size + 1).getMany();
    const connection = toConnection(rows, size, totalCount, (e) => ({ key: e.at.toISOString(), id: e.id }));
    return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: AuditEntryView.of(e.node) })) };
  }
}
