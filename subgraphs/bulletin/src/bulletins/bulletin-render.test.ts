import { BulletinRenderer, listUnsubscribeHeaders, personalise } from './bulletin-render';
import { renderMarkdown } from './markdown';

const body = renderMarkdown('The panel **agreed** <b>20</b> pathways.');
const bulletin = {
  id: '4b1c3f0e-7a52-4c1e-9a39-2f6f0d9b8c11',
  title: 'Decisions & news',
  intro: 'First paragraph.\n\nSecond <paragraph>.',
  items: [{ heading: 'Enhanced Pathways', body: 'x', bodyHtml: body.html, bodyText: body.text, topic: 'enhanced-pathways', link: 'https://example.org/a?b=c' }],
};
const renderer = new BulletinRenderer('https://hub.example.org');

describe('rendering a bulletin once', () => {
  const rendered = renderer.render(bulletin, [{ key: 'training:1', kind: 'training', title: 'Preparing for Ofsted', startsAt: '2026-12-01T09:30:00Z', placesLeft: 0 }], new Map([['enhanced-pathways', 'Enhanced Pathways']]));

  it('has the subject, escaped intro, item HTML as sanitised, topic name, link and the upcoming section with places left', () => {
    expect(rendered.subject).toBe('Decisions & news');
    expect(rendered.html).toContain('Second &lt;paragraph&gt;.');
    expect(rendered.html).toContain('<p>The panel <strong>agreed</strong> <b>20</b> pathways.</p>');
    expect(rendered.text).toContain('## Enhanced Pathways (Enhanced Pathways)');
    expect(rendered.text).toContain('Read more: https://example.org/a?b=c');
    expect(rendered.text).toMatch(/Preparing for Ofsted, Tuesday,? 1 December 2026 at 09:30 \(0 places left\)/);
    expect(rendered.text).toContain('https://hub.example.org/bulletin/archive/4b1c3f0e-7a52-4c1e-9a39-2f6f0d9b8c11');
  });

  it('fills in each reader’s own links, in both parts, leaving the rendering untouched', () => {
    const mine = personalise(rendered, { unsubscribeUrl: 'https://hub.example.org/bulletin/unsubscribe?token=U', preferencesUrl: 'https://hub.example.org/bulletin/preferences?token=P' });
    for (const part of [mine.html, mine.text]) {
      expect(part).toContain('https://hub.example.org/bulletin/unsubscribe?token=U');
      expect(part).toContain('https://hub.example.org/bulletin/preferences?token=P');
      expect(part).not.toContain('%%');
    }
    expect(rendered.text).toContain('%%UNSUBSCRIBE_URL%%');
  });
});

describe('List-Unsubscribe headers', () => {
  it('offer the one-click URL (RFC 8058), and a mailto when there is one', () => {
    expect(listUnsubscribeHeaders('https://hub.example.org/bulletin/unsubscribe?token=T')).toEqual({
      'List-Unsubscribe': '<https://hub.example.org/bulletin/unsubscribe?token=T>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(listUnsubscribeHeaders('https://h/u', 'unsubscribe@example.org')['List-Unsubscribe']).toBe('<https://h/u>, <mailto:unsubscribe@example.org?subject=unsubscribe>');
  });
});
