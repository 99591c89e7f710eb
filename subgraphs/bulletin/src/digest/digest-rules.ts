/**
 * What goes in the weekly digest: the items of every bulletin sent since the last digest, and
 * the upcoming training and clinics. Each digest reader gets only the items of their topics (an
 * item's own topic, or else its bulletin's; a reader with no topics wants every topic, an item of
 * a bulletin for everyone goes to everyone): one edition per distinct set of topics among the
 * readers. Nothing new for a reader (none of the week's items are theirs and no upcoming entry
 * that the last digest did not list) means no digest for them that week.
 *
 * Each cron slot (the scheduled time of the run) is one digest at most, whoever triggers it and
 * however often: `digestSlot` names it, the `digest_run` table's unique `slot` keeps it.
 */
import { CronExpressionParser } from 'cron-parser';
import type { BulletinItem, UpcomingEntry } from '../bulletins/bulletin.entity';
import { matchesTopics } from '../topics/topic-matching';

export interface DigestIssue {
  title: string;
  /** The bulletin's topics (empty: for everyone). */
  topics: string[];
  items: BulletinItem[];
}

/** One digest bulletin: for the readers whose topics are exactly `audience` (sorted; empty = no topics chosen). */
export interface DigestEdition {
  audience: string[];
  items: BulletinItem[];
  /** How many of the week's bulletins its items come from. */
  issueCount: number;
}

/** A reader's topics as a set: sorted, without repeats (the edition they belong to). */
export function audienceOf(topics: readonly string[]): string[] {
  return [...new Set(topics)].sort();
}

export function planDigests(
  issues: readonly DigestIssue[],
  upcoming: readonly UpcomingEntry[],
  listedLastTime: readonly string[],
  audiences: readonly (readonly string[])[],
): DigestEdition[] {
  const somethingNewComingUp = upcoming.some((entry) => !listedLastTime.includes(entry.key));
  const editions = new Map<string, DigestEdition>();
  for (const topics of audiences) {
    const audience = audienceOf(topics);
    const key = JSON.stringify(audience);
    if (editions.has(key)) continue;
    const theirs = issues
      .map((issue) => ({ issue, items: issue.items.filter((item) => matchesTopics(audience, item.topic ? [item.topic] : issue.topics)) }))
      .filter(({ items }) => items.length > 0);
    if (theirs.length === 0 && !somethingNewComingUp) continue;
    editions.set(key, {
      audience,
      items: theirs.flatMap(({ issue, items }) => items.map((item) => ({ ...item, heading: `${item.heading} (from “${issue.title}”)` }))),
      issueCount: theirs.length,
    });
  }
  return [...editions.values()];
}

/** The week a digest covers, for its title. */
export function digestTitle(periodEnd: Date): string {
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(periodEnd);
  return `SENDCO bulletin: the week to ${day}`;
}

export function digestIntro(edition: DigestEdition): string {
  const n = edition.issueCount;
  return n ? `This week's news for SENDCOs, from ${n} bulletin${n === 1 ? '' : 's'}, and what is coming up.` : 'What is coming up for SENDCOs.';
}

/**
 * The cron slot a run belongs to: the time the scheduler planned it for (BullMQ's job scheduler
 * puts it in the job's `prevMillis`), or, for a run started another way, the latest time the cron
 * (UK time) names at or before `now`.
 */
export function digestSlot(cron: string, now: Date, scheduledMillis?: number): Date {
  if (scheduledMillis && Number.isFinite(scheduledMillis)) return new Date(scheduledMillis);
  return CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: 'Europe/London' }).prev().toDate();
}
