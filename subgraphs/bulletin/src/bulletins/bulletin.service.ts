/**
 * Bulletins from the editor's side (write, preview, test-send, schedule, cancel, delivery
 * figures) and the public archive. Content rules are in bulletin-content.ts, scheduling rules in
 * sending/sending-rules.ts; the send itself in sending/.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { hasRole, requireRole, type Principal } from '@sendco/auth';
import { audit, isUuid } from '@sendco/database';
import { badUserInput, conflict, notFound } from '@sendco/errors';
import { decodeCursor, pageSize, toConnection, type Connection } from '@sendco/federation';
import { bulletinSendJob, commitWithJobs, emailJob, type BulletinDraftJob, type OutboxRelay } from '@sendco/queue';
import { Topic } from '../topics/topic.entity';
import { EDITOR } from '../topics/topic.service';
import { Delivery, type DeliveryState } from '../sending/delivery.entity';
import { topicNames } from '../sending/fan-out';
import { checkCancel, checkSchedule, deliveryFigures, type DeliveryFigures } from '../sending/sending-rules';
import { checkBulletinContent } from './bulletin-content';
import { Bulletin, type RenderedBulletin } from './bulletin.entity';
import { BulletinKind, BulletinStatus } from './bulletin.enums';
import { personalise, type BulletinRenderer } from './bulletin-render';
import type { CreateBulletinInput } from './bulletin.inputs';
import type { UpcomingSource } from './upcoming';
import { draftActor, draftInput } from './source-drafts';

/** What a preview or a test send shows where each reader's own links will be. */
const SAMPLE_LINKS = { unsubscribeUrl: '#unsubscribe-link-of-each-reader', preferencesUrl: '#preferences-link-of-each-reader' };

export class BulletinService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly renderer: BulletinRenderer,
    private readonly upcoming: UpcomingSource,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** BULLETIN_EDITOR. A DRAFT; nothing is sent until it is scheduled. */
  async create(principal: Principal, input: CreateBulletinInput): Promise<Bulletin> {
    requireRole(principal, EDITOR);
    const items = await this.checkedItems(input, 'input');
    return this.dataSource.transaction(async (manager) => (await this.insertDraft(manager, input, items, principal.sub, null))!);
  }

  /**
   * A DRAFT another service asked for (a `bulletin-draft` job): the same content rules as
   * createBulletin (a refused draft is BAD_USER_INPUT naming `draft.<field>`), at most one bulletin
   * per sourceKey (a unique column: a repeated or concurrent job finds the first one), recorded in
   * the audit log as created by the service (`service:<name>`). Sent by an editor like any other.
   */
  async createFromSource(job: BulletinDraftJob): Promise<{ bulletin: Bulletin; created: boolean }> {
    const existing = await this.dataSource.getRepository(Bulletin).findOneBy({ sourceKey: job.sourceKey });
    if (existing) return { bulletin: existing, created: false };
    const { problems, input } = await draftInput(job);
    if (problems.length) throw badUserInput(problems);
    const items = await this.checkedItems(input, 'draft');
    return this.dataSource.transaction(async (manager) => {
      const bulletin = await this.insertDraft(manager, input, items, draftActor(job.sourceKey), job.sourceKey);
      return bulletin ? { bulletin, created: true } : { bulletin: await manager.getRepository(Bulletin).findOneByOrFail({ sourceKey: job.sourceKey }), created: false };
    });
  }

  /** BULLETIN_EDITOR. Drafts (an editor's own and those other services made), newest first. */
  async drafts(principal: Principal, first: number | null | undefined, after: string | null | undefined): Promise<Connection<Bulletin>> {
    requireRole(principal, EDITOR);
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const query = this.dataSource.getRepository(Bulletin).createQueryBuilder('b').where('b.status = :status', { status: BulletinStatus.DRAFT });
    const totalCount = await query.getCount();
    if (cursor) query.andWhere('(b.created_at, b.id) < (:key::timestamptz, :id::uuid)', { key: cursor.key, id: cursor.id });
    const rows = await query.orderBy('b.created_at', 'DESC').addOrderBy('b.id', 'DESC').limit(size + 1).getMany();
    return toConnection(rows, size, totalCount, (b) => ({ key: b.createdAt.toISOString(), id: b.id }));
  }

  private async checkedItems(input: CreateBulletinInput, field: string) {
    const known = new Set((await this.dataSource.getRepository(Topic).find({ select: { slug: true } })).map((t) => t.slug));
    const { problems, items } = checkBulletinContent(input, known, field);
    if (problems.length) throw badUserInput(problems);
    return items;
  }

  /** Inserts a DRAFT and its audit entry; null when a bulletin with this sourceKey exists already. */
  private async insertDraft(manager: EntityManager, input: CreateBulletinInput, items: Bulletin['items'], actor: string, sourceKey: string | null): Promise<Bulletin | null> {
    const values = {
      kind: BulletinKind.ISSUE,
      title: input.title.trim(),
      intro: input.intro.trim(),
      topics: [...new Set(input.topics)],
      items,
      includeUpcoming: input.includeUpcoming,
      status: BulletinStatus.DRAFT,
      createdBy: actor,
      sourceKey,
    };
    const inserted = await manager.createQueryBuilder().insert().into(Bulletin).values(values).orIgnore().returning('id').execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    if (!id) return null;
    await audit(manager, [{ subjectType: 'bulletin', subjectId: id, action: 'bulletin.created', actor, details: { title: values.title, ...(sourceKey ? { sourceKey } : {}) } }]);
    return manager.getRepository(Bulletin).findOneByOrFail({ id });
  }

  /** BULLETIN_EDITOR. `sendAt` null = now. Rescheduling a scheduled bulletin replaces its time. */
  async schedule(principal: Principal, id: string, sendAt: Date | null): Promise<Bulletin> {
    requireRole(principal, EDITOR);
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const bulletin = await this.locked(manager, id);
      const now = this.clock();
      const check = checkSchedule(bulletin.status, sendAt, now);
      if (!check.ok && check.reason === 'already-sending') throw conflict(`This bulletin is already ${bulletin.status === BulletinStatus.SENT ? 'sent' : 'being sent'}.`);
      if (!check.ok) throw badUserInput([{ field: 'sendAt', message: 'is in the past' }]);
      const due = sendAt && sendAt > now ? sendAt : now;
      const scheduleVersion = bulletin.scheduleVersion + 1;
      await manager.getRepository(Bulletin).update({ id }, { status: BulletinStatus.SCHEDULED, sendAt: due, scheduleVersion });
      Object.assign(bulletin, { status: BulletinStatus.SCHEDULED, sendAt: due, scheduleVersion });
      await audit(manager, [{ subjectType: 'bulletin', subjectId: id, action: 'bulletin.scheduled', actor: principal.sub, details: { sendAt: due.toISOString() } }]);
      return { result: bulletin, jobs: [bulletinSendJob({ bulletinId: id, scheduleVersion }, due)] };
    });
  }

  /** BULLETIN_EDITOR. Back to DRAFT, until sending starts; the due job then finds nothing to do. */
  async cancel(principal: Principal, id: string): Promise<Bulletin> {
    requireRole(principal, EDITOR);
    return this.dataSource.transaction(async (manager) => {
      const bulletin = await this.locked(manager, id);
      const check = checkCancel(bulletin.status);
      if (check === 'already-sending') throw conflict('Sending has started; a bulletin cannot be cancelled after that.');
      if (check === 'not-scheduled') return bulletin;
      const changes = { status: BulletinStatus.DRAFT, sendAt: null, scheduleVersion: bulletin.scheduleVersion + 1 };
      await manager.getRepository(Bulletin).update({ id }, changes);
      await audit(manager, [{ subjectType: 'bulletin', subjectId: id, action: 'bulletin.cancelled', actor: principal.sub }]);
      return Object.assign(bulletin, changes);
    });
  }

  /** BULLETIN_EDITOR. The bulletin as it would be sent now (the frozen one once sending has started). */
  async preview(principal: Principal, id: string): Promise<RenderedBulletin> {
    requireRole(principal, EDITOR);
    return personalise(await this.renderedFor(await this.get(principal, id)), SAMPLE_LINKS);
  }

  /** BULLETIN_EDITOR. The bulletin to the editor's own address (from their sign-in), marked as a test. */
  async sendTest(principal: Principal, id: string): Promise<string> {
    requireRole(principal, EDITOR);
    if (!principal.email) throw badUserInput([{ field: 'email', message: 'your sign-in has no email address to send the test to' }]);
    const rendered = personalise(await this.renderedFor(await this.get(principal, id)), SAMPLE_LINKS);
    await commitWithJobs(this.dataSource, this.outbox, async () => ({ result: undefined, jobs: [emailJob('bulletin-test', { email: principal.email!, name: principal.name }, rendered)] }));
    return principal.email;
  }

  /** Sent bulletins are public; drafts and scheduled ones only for editors (others are told it does not exist). */
  async get(principal: Principal, id: string): Promise<Bulletin> {
    const bulletin = isUuid(id) ? await this.dataSource.getRepository(Bulletin).findOneBy({ id }) : null;
    if (!bulletin || (!isPublished(bulletin) && !hasRole(principal, EDITOR))) throw notFound('Bulletin');
    return bulletin;
  }

  /** Public: sent issues, newest first. */
  async archive(first: number | null | undefined, after: string | null | undefined): Promise<Connection<Bulletin>> {
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const query = this.dataSource
      .getRepository(Bulletin)
      .createQueryBuilder('b')
      .where('b.kind = :kind AND b.sent_at IS NOT NULL', { kind: BulletinKind.ISSUE });
    const totalCount = await query.getCount();
    if (cursor) query.andWhere('(b.sent_at, b.id) < (:key::timestamptz, :id::uuid)', { key: cursor.key, id: cursor.id });
    const rows = await query.orderBy('b.sent_at', 'DESC').addOrderBy('b.id', 'DESC').limit(size + 1).getMany();
    return toConnection(rows, size, totalCount, (b) => ({ key: b.sentAt!.toISOString(), id: b.id }));
  }

  /** BULLETIN_EDITOR (checked by the field's resolver). */
  async delivery(bulletinId: string): Promise<DeliveryFigures> {
    const rows = await this.dataSource
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .select('d.state', 'state')
      .addSelect('count(*)::int', 'count')
      .where('d.bulletin_id = :bulletinId', { bulletinId })
      .groupBy('d.state')
      .getRawMany<{ state: DeliveryState; count: number }>();
    return deliveryFigures(Object.fromEntries(rows.map((r) => [r.state, r.count])));
  }

  private async renderedFor(bulletin: Bulletin): Promise<RenderedBulletin> {
    if (bulletin.rendered) return bulletin.rendered;
    const upcoming = bulletin.includeUpcoming ? await this.upcoming.upcoming(this.clock()) : [];
    return this.renderer.render(bulletin, upcoming, await topicNames(this.dataSource));
  }

  private async locked(manager: EntityManager, id: string): Promise<Bulletin> {
    const bulletin = isUuid(id) ? await manager.getRepository(Bulletin).createQueryBuilder('b').setLock('pessimistic_write').where('b.id = :id', { id }).getOne() : null;
    if (!bulletin) throw notFound('Bulletin');
    return bulletin;
  }
}

/** In the public archive: an issue whose sending has started. */
export function isPublished(bulletin: Pick<Bulletin, 'kind' | 'sentAt'>): boolean {
  return bulletin.kind === BulletinKind.ISSUE && bulletin.sentAt !== null;
}
