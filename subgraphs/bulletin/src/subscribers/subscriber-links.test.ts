import { signPurposeToken } from '@sendco/auth';
import { LINK_LIFETIME_SECONDS, LinkPurpose, SubscriberLinks } from './subscriber-links';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const ID = '4b1c3f0e-7a52-4c1e-9a39-2f6f0d9b8c11';
const now = new Date('2026-11-26T09:00:00Z');
const links = new SubscriberLinks(SECRET, 'https://hub.example.org', () => now);

async function problem(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string; details?: { fields?: unknown } }).details?.fields;
  }
  throw new Error('expected a refusal');
}

describe('subscriber links', () => {
  it('make a link per purpose that verifies for that purpose', async () => {
    const url = await links.url(LinkPurpose.unsubscribe, ID);
    expect(url).toMatch(/^https:\/\/hub\.example\.org\/bulletin\/unsubscribe\?token=[\w-]+\.[\w-]+\.[\w-]+$/);
    const token = new URL(url).searchParams.get('token')!;
    await expect(links.subscriberId(token, LinkPurpose.unsubscribe)).resolves.toBe(ID);
  });

  it('refuse a token made for another purpose, either way round', async () => {
    const confirm = await links.token(LinkPurpose.confirm, ID);
    const unsubscribe = await links.token(LinkPurpose.unsubscribe, ID);
    expect(await problem(links.subscriberId(confirm, LinkPurpose.unsubscribe))).toEqual([{ field: 'token', message: 'is a link for something else' }]);
    expect(await problem(links.subscriberId(unsubscribe, LinkPurpose.confirm))).toEqual([{ field: 'token', message: 'is a link for something else' }]);
    expect(await problem(links.subscriberId(unsubscribe, LinkPurpose.preferences))).toEqual([{ field: 'token', message: 'is a link for something else' }]);
  });

  it('refuse a tampered token, one signed with another secret, and garbage', async () => {
    const token = await links.token(LinkPurpose.confirm, ID);
    const [header, payload, signature] = token.split('.');
    const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' })).toString('base64url');
    expect(await problem(links.subscriberId(`${header}.${changed}.${signature}`, LinkPurpose.confirm))).toEqual([{ field: 'token', message: 'is not a genuine link from a bulletin email' }]);
    const foreign = await new SubscriberLinks('another-secret-of-at-least-thirty-two-chars', 'https://x', () => now).token(LinkPurpose.confirm, ID);
    expect(await problem(links.subscriberId(foreign, LinkPurpose.confirm))).toEqual([{ field: 'token', message: 'is not a genuine link from a bulletin email' }]);
    for (const garbage of ['', 'abc', 'a.b', 'a.b.c', '../../etc']) {
      expect(await problem(links.subscriberId(garbage, LinkPurpose.confirm))).toEqual([{ field: 'token', message: expect.stringMatching(/not a (genuine )?link/) }]);
    }
  });

  it('expire: a confirmation after 7 days, unsubscribe links after 400', async () => {
    const issued = new Date(now.getTime() - (LINK_LIFETIME_SECONDS[LinkPurpose.confirm] + 1) * 1000);
    const old = await new SubscriberLinks(SECRET, 'https://x', () => issued).token(LinkPurpose.confirm, ID);
    expect(await problem(links.subscriberId(old, LinkPurpose.confirm))).toEqual([{ field: 'token', message: 'has expired; please ask for a new one' }]);
    const stillGood = await new SubscriberLinks(SECRET, 'https://x', () => issued).token(LinkPurpose.unsubscribe, ID);
    await expect(links.subscriberId(stillGood, LinkPurpose.unsubscribe)).resolves.toBe(ID);
  });

  it('checks the signature before the expiry: a forged expired token is "not genuine"', async () => {
    const forged = await signPurposeToken({ purpose: LinkPurpose.confirm, subject: ID }, 'wrong-secret-wrong-secret-wrong-secret', 1, new Date(now.getTime() - 3600_000));
    expect(await problem(links.subscriberId(forged, LinkPurpose.confirm))).toEqual([{ field: 'token', message: 'is not a genuine link from a bulletin email' }]);
  });
});
