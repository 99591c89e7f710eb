/**
 * The few plain web pages of the bulletin (served through the gateway's port at /bulletin/…):
 * templates in `templates/pages`, rendered and sent by the shared page renderer, so every value is
 * escaped and every page carries the policy that forbids scripts (`@sendco/federation` html-page).
 */
import path from 'node:path';
import type { Response } from 'express';
import { PageRenderer, sendHtml, type PagePolicy } from '@sendco/federation';
import { formatLondon } from '@sendco/mail';

export const PAGE_TEMPLATES_DIR = path.resolve(__dirname, '..', '..', 'templates', 'pages');

const FREQUENCIES = [
  { value: 'EACH_BULLETIN', label: 'Each bulletin as it goes out' },
  { value: 'WEEKLY_DIGEST', label: 'A weekly digest' },
] as const;

export class BulletinPages {
  private readonly renderer = new PageRenderer(PAGE_TEMPLATES_DIR).assertTemplates(['message', 'confirm-button', 'archive-list', 'preferences']);
  /** The forms post to PUBLIC_URL's /bulletin/… (the gateway's origin). */
  private readonly policy: Omit<PagePolicy, 'scriptNonce'>;

  constructor(publicUrl: string) {
    this.policy = { formAction: ["'self'", new URL(publicUrl).origin] };
  }

  message(res: Response, title: string, text: string, status = 200): void {
    this.renderer.send(res, 'message', { title, text }, { status, policy: this.policy });
  }

  /** A page with one button: a link scanner following the email's link changes nothing; the person's click does. */
  confirmButton(res: Response, ask: { title: string; question: string; button: string }, action: string): void {
    this.renderer.send(res, 'confirm-button', { ...ask, action }, { policy: this.policy });
  }

  archiveList(res: Response, bulletins: { id: string; title: string; sentAt: Date }[], base: string): void {
    const items = bulletins.map((b) => ({ href: `${base}/${encodeURIComponent(b.id)}`, title: b.title, date: formatLondon(b.sentAt, 'date') }));
    this.renderer.send(res, 'archive-list', { title: 'Bulletin archive', bulletins: items }, { policy: this.policy });
  }

  preferences(
    res: Response,
    prefs: { email: string; name: string | null; topics: string[]; frequency: string },
    topics: { slug: string; name: string }[],
    action: string,
    saved: boolean,
  ): void {
    this.renderer.send(
      res,
      'preferences',
      {
        title: 'Your bulletin preferences',
        saved,
        email: prefs.email,
        action,
        topics: topics.map((t) => ({ slug: t.slug, name: t.name, checked: prefs.topics.includes(t.slug) })),
        frequencies: FREQUENCIES.map((f) => ({ ...f, checked: prefs.frequency === f.value })),
      },
      { policy: this.policy },
    );
  }

  /** A sent bulletin's web copy: its frozen rendering (the email templates escaped it), under the same policy. */
  archiveCopy(res: Response, html: string): void {
    sendHtml(res, html, { policy: { ...this.policy, images: ['data:', 'https:'] } });
  }
}
