/**
 * A bulletin is rendered once (subject, HTML, text) with placeholders where each reader's own
 * links go; sending then only fills in the links (`personalise`), so 10,000 recipients cost one
 * render and 10,000 string substitutions. The templates are files like every email's
 * (jobs/templates/bulletin-issue).
 */
import path from 'node:path';
import { TemplateRenderer } from '@sendco/mail';
import type { Bulletin, RenderedBulletin, UpcomingEntry } from './bulletin.entity';

/** The product's one folder of email templates. */
export const EMAIL_TEMPLATES_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'jobs', 'templates');

/** Per-reader values, as placeholders in the rendered bulletin. */
export const PLACEHOLDERS = {
  unsubscribeUrl: '%%UNSUBSCRIBE_URL%%',
  preferencesUrl: '%%PREFERENCES_URL%%',
} as const;
export type PersonalLinks = Record<keyof typeof PLACEHOLDERS, string>;
const PLACEHOLDER_PATTERN = /%%(UNSUBSCRIBE_URL|PREFERENCES_URL)%%/g;

export function archiveUrl(publicUrl: string, bulletinId: string): string {
  return `${publicUrl}/bulletin/archive/${bulletinId}`;
}

export class BulletinRenderer {
  private readonly templates = new TemplateRenderer(EMAIL_TEMPLATES_DIR);

  constructor(private readonly publicUrl: string) {
    this.templates.assertTemplates(['bulletin-issue']);
  }

  render(bulletin: Pick<Bulletin, 'id' | 'title' | 'intro' | 'items'>, upcoming: UpcomingEntry[], topicNames: ReadonlyMap<string, string>): RenderedBulletin {
    return this.templates.render('bulletin-issue', {
      title: bulletin.title,
      introParagraphs: bulletin.intro.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
      items: bulletin.items.map((item) => ({
        heading: item.heading,
        bodyHtml: item.bodyHtml,
        bodyText: item.bodyText,
        link: item.link ?? '',
        topicName: item.topic ? (topicNames.get(item.topic) ?? item.topic) : '',
      })),
      upcoming: upcoming.map((entry) => ({ ...entry, placesLeftKnown: entry.placesLeft !== null, placesLeft: entry.placesLeft ?? 0 })),
      archiveUrl: archiveUrl(this.publicUrl, bulletin.id),
      ...PLACEHOLDERS,
    });
  }
}

/** The rendered bulletin with one reader's links filled in. */
export function personalise(rendered: RenderedBulletin, links: PersonalLinks): RenderedBulletin {
  const fill = (text: string) => text.replace(PLACEHOLDER_PATTERN, (_, key: string) => (key === 'UNSUBSCRIBE_URL' ? links.unsubscribeUrl : links.preferencesUrl));
  return { subject: rendered.subject, html: fill(rendered.html), text: fill(rendered.text) };
}

/**
 * RFC 2369 / RFC 8058 headers: mail clients show an "Unsubscribe" button that POSTs
 * `List-Unsubscribe=One-Click` to the URL, with no page to visit.
 */
export function listUnsubscribeHeaders(unsubscribeUrl: string, mailto?: string): Record<string, string> {
  return {
    'List-Unsubscribe': mailto ? `<${unsubscribeUrl}>, <mailto:${mailto}?subject=unsubscribe>` : `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
