/** The few plain web pages of the bulletin (served through the gateway's port at /bulletin/…). */
import { formatLondon } from '@sendco/mail';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} – SENDCO bulletin</title>
<style>body{font-family:Arial,Helvetica,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}a{color:#1d70b8}button{font-size:1rem;padding:.5rem 1rem;background:#00703c;color:#fff;border:0;cursor:pointer}label{display:block;margin:.25rem 0}</style>
</head>
<body><p><strong>SENDCO bulletin</strong></p><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

/** A page with one button: a link scanner following the email's link changes nothing; the person's click does. */
export function confirmButtonPage(title: string, explanation: string, action: string, button: string): string {
  return page(title, `<p>${escapeHtml(explanation)}</p><form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(button)}</button></form>`);
}

export function archiveListPage(bulletins: { id: string; title: string; sentAt: Date }[], base: string): string {
  const items = bulletins.map((b) => `<li><a href="${escapeHtml(`${base}/${b.id}`)}">${escapeHtml(b.title)}</a> – ${escapeHtml(formatLondon(b.sentAt, 'date'))}</li>`).join('\n');
  return page('Bulletin archive', bulletins.length ? `<ul>${items}</ul>` : '<p>No bulletins have been sent yet.</p>');
}

export function preferencesPage(
  prefs: { email: string; name: string | null; topics: string[]; frequency: string },
  topics: { slug: string; name: string }[],
  action: string,
  saved: boolean,
): string {
  const checkbox = (t: { slug: string; name: string }) =>
    `<label><input type="checkbox" name="topics" value="${escapeHtml(t.slug)}"${prefs.topics.includes(t.slug) ? ' checked' : ''}> ${escapeHtml(t.name)}</label>`;
  const radio = (value: string, label: string) => `<label><input type="radio" name="frequency" value="${value}"${prefs.frequency === value ? ' checked' : ''}> ${label}</label>`;
  return page(
    'Your bulletin preferences',
    `${saved ? '<p><strong>Saved.</strong></p>' : ''}<p>For ${escapeHtml(prefs.email)}.</p>
<form method="post" action="${escapeHtml(action)}">
<h2>Topics</h2><p>Choose none to get every topic.</p>${topics.map(checkbox).join('\n')}
<h2>How often</h2>${radio('EACH_BULLETIN', 'Each bulletin as it goes out')}${radio('WEEKLY_DIGEST', 'A weekly digest')}
<p><button type="submit">Save</button></p></form>`,
  );
}
