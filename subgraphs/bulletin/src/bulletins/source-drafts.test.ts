import type { BulletinDraftJob } from '@sendco/queue';
import { draftActor, draftInput } from './source-drafts';

const job = (overrides: Partial<BulletinDraftJob> = {}): BulletinDraftJob => ({
  sourceKey: 'pathways:round:3f0c',
  title: 'Enhanced Pathways: decisions',
  intro: 'The board has met.',
  items: [{ heading: 'Approved', body: 'Two **pathways**.', topic: 'enhanced-pathways' }],
  ...overrides,
});
const fields = async (value: unknown) => (await draftInput(value as BulletinDraftJob)).problems.map((p) => p.field);

describe('draftInput', () => {
  it("makes the job createBulletin's input, addressed to its items' topics unless it names its own", async () => {
    const { problems, input } = await draftInput(job({ items: [...job().items, { heading: 'Also', body: 'x', topic: 'send-live', link: 'https://example.org/a' }, { heading: 'Again', body: 'y', topic: 'send-live' }] }));
    expect(problems).toEqual([]);
    expect(input).toMatchObject({ title: 'Enhanced Pathways: decisions', intro: 'The board has met.', topics: ['enhanced-pathways', 'send-live'], includeUpcoming: false });
    expect(input.items[1]).toMatchObject({ heading: 'Also', link: 'https://example.org/a' });
    expect((await draftInput(job({ topics: [] }))).input.topics).toEqual([]);
  });

  it('wants a sourceKey that names the service', async () => {
    for (const sourceKey of ['', 'pathways', ':round:1', 'Pathways:round:1', 'pathways:has space', `pathways:${'x'.repeat(201)}`]) {
      expect(await fields(job({ sourceKey }))).toEqual(['draft.sourceKey']);
    }
    expect(await fields(job({ sourceKey: 'pathways:round:0b6e-4c' }))).toEqual([]);
  });

  it("applies the editor input's limits: lengths and http(s) links", async () => {
    expect(await fields(job({ title: 't'.repeat(201) }))).toEqual(['draft.title']);
    expect(await fields(job({ items: [{ heading: 'h', body: 'b', topic: 't', link: 'javascript:alert(1)' }] }))).toEqual(['draft.items.0.link']);
    expect(await fields(job({ items: [{ heading: 'h'.repeat(201), body: 'b', topic: 't' }] }))).toEqual(['draft.items.0.heading']);
  });

  it('names a payload of the wrong shape instead of failing on it', async () => {
    expect(await fields({ sourceKey: 'pathways:x', title: 5, items: 'none' })).toEqual(['draft.items']);
    const { input } = await draftInput({ sourceKey: 'pathways:x', title: 5, intro: null, items: [null] } as unknown as BulletinDraftJob);
    expect(input).toMatchObject({ title: '', intro: '', items: [{ heading: '', body: '' }] });
  });

  it('says the service created it', () => {
    expect(draftActor('pathways:round:1')).toBe('service:pathways');
  });
});
