import { checkBulletinContent } from './bulletin-content';
import type { CreateBulletinInput } from './bulletin.inputs';

const topics = new Set(['enhanced-pathways', 'send-live']);
const input = (overrides: Partial<CreateBulletinInput> = {}): CreateBulletinInput => ({
  title: 'Autumn bulletin',
  intro: 'News for SENDCOs.',
  topics: [],
  items: [{ heading: 'Enhanced Pathways', body: 'The panel **agreed**.', topic: 'enhanced-pathways' }],
  includeUpcoming: false,
  ...overrides,
});

describe('checkBulletinContent', () => {
  it('accepts a good bulletin and renders its items', () => {
    const { problems, items } = checkBulletinContent(input(), topics);
    expect(problems).toEqual([]);
    expect(items[0]).toMatchObject({ heading: 'Enhanced Pathways', bodyHtml: '<p>The panel <strong>agreed</strong>.</p>', bodyText: 'The panel agreed.', topic: 'enhanced-pathways', link: null });
  });

  it('names every problem at once', () => {
    const { problems } = checkBulletinContent(
      input({
        title: '   ',
        topics: ['send-live', 'no-such-topic'],
        items: [
          { heading: ' ', body: 'fine' },
          { heading: 'Bad', body: '<img src=x onerror="alert(1)">', topic: 'nope' },
          { heading: 'Blank', body: '  ' },
        ],
      }),
      topics,
    );
    expect(problems.map((p) => p.field)).toEqual(['input.title', 'input.topics.1', 'input.items.0.heading', 'input.items.1.topic', 'input.items.1.body', 'input.items.2.body']);
    expect(problems.find((p) => p.field === 'input.items.1.body')!.message).toContain('an event handler (onerror)');
  });

  it('needs an introduction or an item', () => {
    expect(checkBulletinContent(input({ intro: ' ', items: [] }), topics).problems).toEqual([{ field: 'input.items', message: 'a bulletin needs an introduction or at least one item' }]);
    expect(checkBulletinContent(input({ items: [] }), topics).problems).toEqual([]);
  });
});
