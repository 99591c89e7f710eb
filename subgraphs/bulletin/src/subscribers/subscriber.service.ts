/**
 * Subscribers: double opt-in sign-up, confirmation, one-click unsubscribe, preferences through
 * a signed link, suppression, and an editor's CSV import. Sign-up rules live in
 * subscription-rules.ts, links in subscriber-links.ts.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { audit } from '@sendco/database';
import { badUserInput } from '@sendco/errors';
import { commitWithJobs, emailJob, type OutboxJob, type OutboxRelay } from '@sendco/queue';
import { Topic } from '../topics/topic.entity';
import { assertKnownTopics, EDITOR } from '../topics/topic.service';
import { parseSubscriberCsv } from './subscriber-import';
import { Subscriber } from './subscriber.entity';
import { BulletinFrequency, SubscriptionStatus } from './subscriber.enums';
import type { SubscribeInput, SubscriberImportResult, SubscriptionPreferences, SubscriptionPreferencesInput } from './subscriber.inputs';
import { LinkPurpose, type SubscriberLinks } from './subscriber-links';
import { CONFIRMATION_COOLDOWN_MS, confirmOutcome, mailboxKey, normaliseEmail, signUpAction } from './subscription-rules';
import { suppressAddress } from './suppression';

const IMPORT_BATCH = 1000;

export class SubscriberService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: SubscriberLinks,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Public. The same answer whatever is known about the address; at most one confirmation email per cool-down. */
  async subscribe(input: SubscribeInput): Promise<{ ok: true }> {
    const email = normaliseEmail(input.email);
    const topics = [...new Set(input.topics)];
    await commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      await assertKnownTopics(manager, topics, 'topics');
      const now = this.clock();
      const repo = manager.getRepository(Subscriber);
      // A new address is inserted first, so two sign-ups at once find one row to lock.
      const inserted = await repo
        .createQueryBuilder()
        .insert()
        .values({ email, status: SubscriptionStatus.PENDING, frequency: input.frequency, source: 'form', topics })
        .orIgnore()
        .returning(['id'])
        .execute();
      const created = inserted.raw.length > 0;
      const existing = await repo.createQueryBuilder('s').setLock('pessimistic_write').where('s.email = :email', { email }).getOneOrFail();
      const action = signUpAction(created ? null : existing, now);
      if (action === 'leave-alone') return { result: undefined, jobs: [] };
      const choices = { name: input.name?.trim() || null, role: input.role?.trim() || null, schoolUrn: input.schoolUrn ?? null, topics, frequency: input.frequency };
      // The mailbox's one confirmation an hour, whichever spelling of it (me+1@, Me@) asks.
      if (action === 'cooling-down' || !(await claimConfirmation(manager, email, now))) {
        await repo.update({ id: existing.id }, { ...choices, status: SubscriptionStatus.PENDING });
        return { result: undefined, jobs: [] };
      }
      await repo.update({ id: existing.id }, { ...choices, status: SubscriptionStatus.PENDING, confirmationSentAt: now, unsubscribedAt: null });
      await audit(manager, [{ subjectType: 'subscriber', subjectId: existing.id, action: 'subscriber.asked-to-confirm', actor: 'anonymous', details: { topics } }]);
      return { result: undefined, jobs: [await this.confirmationEmail(manager, existing.id, email, choices.name, topics)] };
    });
    return { ok: true };
  }

  /** Public, with the link from the confirmation email. */
  async confirm(token: string): Promise<SubscriptionStatus> {
    const id = await this.links.subscriberId(token, LinkPurpose.confirm);
    return this.dataSource.transaction(async (manager) => {
      const subscriber = await this.lockedSubscriber(manager, id);
      const outcome = confirmOutcome(subscriber.status);
      if (outcome === 'no-longer-valid') throw badUserInput([{ field: 'token', message: 'is no longer valid: please sign up again' }]);
      if (outcome === 'confirmed') {
        await manager.getRepository(Subscriber).update({ id }, { status: SubscriptionStatus.CONFIRMED, confirmedAt: this.clock() });
        await audit(manager, [{ subjectType: 'subscriber', subjectId: id, action: 'subscriber.confirmed', actor: 'subscriber' }]);
      }
      return SubscriptionStatus.CONFIRMED;
    });
  }

  /** Public, with the link (or List-Unsubscribe URL) from any bulletin email. Unsubscribing twice is harmless. */
  async unsubscribe(token: string): Promise<SubscriptionStatus> {
    const id = await this.links.subscriberId(token, LinkPurpose.unsubscribe);
    return this.dataSource.transaction(async (manager) => {
      const subscriber = await this.lockedSubscriber(manager, id);
      // A suppressed address stays suppressed (the relay said it cannot receive mail); otherwise it is off the list.
      if (subscriber.status === SubscriptionStatus.SUPPRESSED || subscriber.status === SubscriptionStatus.UNSUBSCRIBED) return SubscriptionStatus.UNSUBSCRIBED;
      await manager.getRepository(Subscriber).update({ id }, { status: SubscriptionStatus.UNSUBSCRIBED, unsubscribedAt: this.clock() });
      await audit(manager, [{ subjectType: 'subscriber', subjectId: id, action: 'subscriber.unsubscribed', actor: 'subscriber' }]);
      return SubscriptionStatus.UNSUBSCRIBED;
    });
  }

  /** Public, with the preferences link from any bulletin email. */
  async preferences(token: string): Promise<SubscriptionPreferences> {
    const id = await this.links.subscriberId(token, LinkPurpose.preferences);
    return toPreferences(await this.lockedSubscriber(this.dataSource.manager, id, false));
  }

  async updatePreferences(token: string, input: SubscriptionPreferencesInput): Promise<SubscriptionPreferences> {
    const id = await this.links.subscriberId(token, LinkPurpose.preferences);
    return this.dataSource.transaction(async (manager) => {
      const subscriber = await this.lockedSubscriber(manager, id);
      const topics = input.topics ? [...new Set(input.topics)] : subscriber.topics;
      await assertKnownTopics(manager, topics, 'input.topics');
      const changes = {
        name: input.name === undefined ? subscriber.name : input.name.trim() || null,
        role: input.role === undefined ? subscriber.role : input.role.trim() || null,
        schoolUrn: input.schoolUrn === undefined ? subscriber.schoolUrn : input.schoolUrn || null,
        topics,
        frequency: input.frequency ?? subscriber.frequency,
      };
      await manager.getRepository(Subscriber).update({ id }, changes);
      await audit(manager, [{ subjectType: 'subscriber', subjectId: id, action: 'subscriber.preferences-changed', actor: 'subscriber', details: { topics: changes.topics, frequency: changes.frequency } }]);
      return toPreferences({ ...subscriber, ...changes });
    });
  }

  /** BULLETIN_EDITOR. A bounce reported by hand (the relay's own reports come through the webhook). */
  async suppress(principal: Principal, email: string, reason: string): Promise<boolean> {
    requireRole(principal, EDITOR);
    return this.suppressReported(email, reason, principal.sub);
  }

  /** The bounce webhook's entry. */
  suppressReported(email: string, reason: string, actor = 'mail-relay'): Promise<boolean> {
    return this.dataSource.transaction((manager) => suppressAddress(manager, email, reason, actor, this.clock()));
  }

  /**
   * BULLETIN_EDITOR. People on an existing list have opted in already, and the file says when
   * (opted_in_at, required): they are added CONFIRMED on that date, with the list's name kept as
   * their source. Nothing is imported unless every row is good.
   */
  async importCsv(principal: Principal, csv: string, listName: string): Promise<SubscriberImportResult> {
    requireRole(principal, EDITOR);
    const source = listName.trim();
    if (!source) throw badUserInput([{ field: 'source', message: 'must say where the list came from' }]);
    const now = this.clock();
    const { rows, problems } = parseSubscriberCsv(csv, now);
    if (problems.length) throw badUserInput(problems);
    return this.dataSource.transaction(async (manager) => {
      const known = new Set((await manager.getRepository(Topic).find({ select: { slug: true } })).map((t) => t.slug));
      const topicProblems = rows.flatMap((row) => row.topics.filter((t) => !known.has(t)).map((t) => ({ field: `csv.${row.line}.topics`, message: `"${t}" is not a bulletin topic` })));
      if (topicProblems.length) throw badUserInput(topicProblems);
      const result = { imported: 0, alreadySubscribed: 0, skipped: 0 };
      for (let start = 0; start < rows.length; start += IMPORT_BATCH) {
        const batch = rows.slice(start, start + IMPORT_BATCH);
        const existing = new Map(
          (await manager.getRepository(Subscriber).createQueryBuilder('s').setLock('pessimistic_write').where('s.email IN (:...emails)', { emails: batch.map((r) => r.email) }).getMany()).map((s) => [s.email, s]),
        );
        const fresh = batch.filter((row) => !existing.has(row.email));
        const optedInAt = new Map(batch.map((row) => [row.email, row.optedInAt]));
        if (fresh.length) {
          const inserted = await manager.getRepository(Subscriber).insert(
            fresh.map((row) => ({
              email: row.email,
              name: row.name,
              role: row.role,
              schoolUrn: row.schoolUrn,
              topics: row.topics,
              frequency: row.frequency,
              status: SubscriptionStatus.CONFIRMED,
              source: `import:${source}`,
              confirmedAt: row.optedInAt,
            })),
          );
          await audit(manager, inserted.identifiers.map(({ id }, i) => ({ subjectType: 'subscriber', subjectId: id as string, action: 'subscriber.imported', actor: principal.sub, details: { source, optedInAt: fresh[i].optedInAt.toISOString() } })));
        }
        result.imported += fresh.length;
        for (const subscriber of existing.values()) {
          if (subscriber.status === SubscriptionStatus.PENDING) {
            // They asked to join and the list says they opted in: that is the confirmation.
            await manager.getRepository(Subscriber).update({ id: subscriber.id }, { status: SubscriptionStatus.CONFIRMED, confirmedAt: optedInAt.get(subscriber.email), source: `import:${source}` });
            await audit(manager, [{ subjectType: 'subscriber', subjectId: subscriber.id, action: 'subscriber.imported', actor: principal.sub, details: { source } }]);
            result.imported += 1;
          } else if (subscriber.status === SubscriptionStatus.CONFIRMED) result.alreadySubscribed += 1;
          else result.skipped += 1; // unsubscribed or suppressed: an old list does not override their choice
        }
      }
      return result;
    });
  }

  private async confirmationEmail(manager: EntityManager, id: string, email: string, name: string | null, topics: string[]): Promise<OutboxJob> {
    const names = topics.length ? (await manager.getRepository(Topic).find({ order: { name: 'ASC' } })).filter((t) => topics.includes(t.slug)).map((t) => t.name) : [];
    return emailJob('bulletin-confirmation', { email, name: name ?? undefined }, { name: name ?? undefined, confirmUrl: await this.links.url(LinkPurpose.confirm, id), topics: names });
  }

  private async lockedSubscriber(manager: EntityManager, id: string, lock = true): Promise<Subscriber> {
    const query = manager.getRepository(Subscriber).createQueryBuilder('s').where('s.id = :id', { id });
    const subscriber = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    // A genuine token for a subscriber that has since been removed: the link is simply no good any more.
    if (!subscriber) throw badUserInput([{ field: 'token', message: 'is no longer valid' }]);
    return subscriber;
  }
}

/**
 * Takes the mailbox's confirmation slot if its last confirmation is older than the limit (or it
 * has none): true means send. Concurrent claims for one mailbox queue on its row; each sees the
 * one before it committed, so only one of them wins.
 */
async function claimConfirmation(manager: EntityManager, email: string, now: Date): Promise<boolean> {
  // A row whose hour is over decides nothing, and it is a plain address, often of someone who never
  // asked (the target of a bombing): each claim deletes a batch of those. SKIP LOCKED, so a claim
  // never waits for another sign-up's transaction over rows that no longer matter.
  await manager.query(
    `DELETE FROM "bulletin"."confirmation_throttle" WHERE "mailbox" IN (
       SELECT "mailbox" FROM "bulletin"."confirmation_throttle"
       WHERE "sent_at" <= $1::timestamptz - make_interval(secs => $2) AND "mailbox" <> $3
       LIMIT 100 FOR UPDATE SKIP LOCKED)`,
    [now, CONFIRMATION_COOLDOWN_MS / 1000, mailboxKey(email)],
  );
  const rows: unknown[] = await manager.query(
    `INSERT INTO "bulletin"."confirmation_throttle" AS t ("mailbox", "sent_at") VALUES ($1, $2)
     ON CONFLICT ("mailbox") DO UPDATE SET "sent_at" = EXCLUDED."sent_at"
     WHERE t."sent_at" <= EXCLUDED."sent_at" - make_interval(secs => $3)
     RETURNING "mailbox"`,
    [mailboxKey(email), now, CONFIRMATION_COOLDOWN_MS / 1000],
  );
  return rows.length > 0;
}

function toPreferences(s: Pick<Subscriber, 'email' | 'name' | 'role' | 'schoolUrn' | 'topics' | 'frequency' | 'status'>): SubscriptionPreferences {
  return { email: s.email, name: s.name, role: s.role, schoolUrn: s.schoolUrn, topics: s.topics, frequency: s.frequency as BulletinFrequency, status: s.status };
}
