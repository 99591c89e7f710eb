import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { PageRenderer, pageContentSecurityPolicy } from './html-page';

const REPO = path.resolve(__dirname, '..', '..', '..');
/** Every folder of page templates in the product. */
const PAGE_TEMPLATE_DIRS = [path.join(REPO, 'gateway', 'templates', 'pages'), path.join(REPO, 'subgraphs', 'bulletin', 'templates', 'pages')];

function templates(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendco-pages-'));
  for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source);
  return dir;
}

async function serve(handler: express.RequestHandler): Promise<{ url: string; close: () => void }> {
  const server = express().get('/', handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

describe('PageRenderer', () => {
  it('escapes every value, in text and in attributes, inside a layout partial', () => {
    const dir = templates({ '_layout.hbs': '<title>{{title}}</title>{{> @partial-block}}', 'page.hbs': '{{#> layout}}<a href="{{href}}" title=\'{{title}}\'>{{text}}</a>{{/layout}}' });
    const html = new PageRenderer(dir).render('page', { title: `'><svg onload=alert(1)>`, href: '" onclick="alert(1)', text: '<script>alert(1)</script>{{x}}' });
    expect(html).toBe(
      '<title>&#x27;&gt;&lt;svg onload&#x3D;alert(1)&gt;</title><a href="&quot; onclick&#x3D;&quot;alert(1)" title=\'&#x27;&gt;&lt;svg onload&#x3D;alert(1)&gt;\'>&lt;script&gt;alert(1)&lt;/script&gt;{{x}}</a>',
    );
  });

  it('refuses a template that writes a value unescaped, and a missing value', () => {
    expect(() => new PageRenderer(templates({ 'page.hbs': '<p>{{{body}}}</p>' })).assertTemplates(['page'])).toThrow(/unescaped/);
    expect(() => new PageRenderer(templates({ 'page.hbs': '<p>{{& body}}</p>' })).assertTemplates(['page'])).toThrow(/unescaped/);
    expect(() => new PageRenderer(templates({ 'page.hbs': '<p>{{~{body}~}}</p>' })).assertTemplates(['page'])).toThrow(/unescaped/);
    expect(() => new PageRenderer(templates({ '_layout.hbs': '{{{x}}}' }))).toThrow(/unescaped/);
    expect(() => new PageRenderer(templates({ 'page.hbs': '<p>{{body}}</p>' })).render('page', {})).toThrow(/"body" not defined/);
    expect(() => new PageRenderer(templates({})).assertTemplates(['missing'])).toThrow(/ENOENT/);
  });

  it('no page template of the product writes a value unescaped', () => {
    for (const dir of PAGE_TEMPLATE_DIRS) {
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.hbs'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect({ file, source: fs.readFileSync(path.join(dir, file), 'utf8') }).toEqual({ file, source: expect.not.stringMatching(/\{\{~?\{|\{\{~?\s*&/) });
      // Loading them all is what each service does at start.
      expect(() => new PageRenderer(dir).assertTemplates(files.filter((f) => !f.startsWith('_')).map((f) => f.slice(0, -4)))).not.toThrow();
    }
  });

  it('sends the page with a policy that forbids scripts, or allows only its own nonce, fresh per response', async () => {
    const dir = templates({ 'plain.hbs': '<p>{{text}}</p>', 'scripted.hbs': '<script nonce="{{cspNonce}}" src="/x.js"></script>' });
    const pages = new PageRenderer(dir);
    const plain = await serve((_req, res) => pages.send(res, 'plain', { text: 'hi' }, { status: 400, policy: { formAction: ["'self'"] } }));
    const scripted = await serve((_req, res) => pages.send(res, 'scripted', {}, { script: true, policy: { connectSelf: true } }));
    try {
      const answer = await fetch(plain.url);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toBe(
        "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      const [first, second] = [await fetch(scripted.url), await fetch(scripted.url)];
      const nonces = await Promise.all(
        [first, second].map(async (response) => {
          const policy = response.headers.get('content-security-policy')!;
          const nonce = /; script-src 'nonce-([^']+)';/.exec(policy)![1];
          expect(policy).toContain("connect-src 'self'");
          expect(await response.text()).toBe(`<script nonce="${nonce}" src="/x.js"></script>`);
          return nonce;
        }),
      );
      expect(nonces[0]).not.toBe(nonces[1]);
      expect(nonces[0].length).toBeGreaterThanOrEqual(24);
    } finally {
      plain.close();
      scripted.close();
    }
  });

  it('the policy names only what it is given', () => {
    expect(pageContentSecurityPolicy({ images: ['data:', 'https:'] })).toBe(
      "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data: https:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
  });
});
