/**
 * What goes in the weekly digest: the items of every bulletin sent since the last digest, and
 * the upcoming training and clinics. Nothing new (no bulletin sent, no upcoming entry that the
 * last digest did not list) means no digest that week.
 */
import type { BulletinItem, UpcomingEntry } from '../bulletins/bulletin.entity';

export type DigestPlan = { send: false } | { send: true; items: BulletinItem[] };

export function planDigest(issues: { title: string; items: BulletinItem[] }[], upcoming: UpcomingEntry[], listedLastTime: readonly string[]): DigestPlan {
  const newUpcoming = upcoming.filter((entry) => !listedLastTime.includes(entry.key));
  if (issues.length === 0 && newUpcoming.length === 0) return { send: false };
  return { send: true, items: issues.flatMap((issue) => issue.items.map((item) => ({ ...item, heading: `${item.heading} (from “${issue.title}”)` }))) };
}

/** The week a digest covers, for its title. */
export function digestTitle(periodEnd: Date): string {
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(periodEnd);
  return `SENDCO bulletin: the week to ${day}`;
}
