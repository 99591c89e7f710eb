/**
 * The one way a service answers with an HTML page (the bulletin's pages, the dev mailbox, the
 * queue dashboard's sign-in page): Handlebars templates from files, every `{{value}}` escaped (a
 * template with unescaped output, `{{{…}}}` or `{{&…}}`, is refused when it is compiled), and a
 * Content-Security-Policy that forbids scripts, `script-src 'none'`, or only the page's own,
 * named by a nonce made for each response. Pages hold people's data: `Cache-Control: no-store`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import Handlebars from 'handlebars';

export interface PagePolicy {
  /** The nonce of the page's own scripts (a fresh one per response); without it no script runs. */
  scriptNonce?: string;
  /** The page's script may fetch from its own origin. */
  connectSelf?: boolean;
  /** Where the page's forms may post (CSP sources); none when unset. */
  formAction?: readonly string[];
  /** Image sources (CSP sources); `data:` when unset. */
  images?: readonly string[];
}

/**
 * Nothing loads or runs but the page's inline styles (and its own nonce'd script), it cannot be
 * framed, and `<base>` cannot redirect its relative links. Styles stay inline-able: the pages and
 * the emails shown in them are styled inline, and no value reaches them unescaped.
 */
export function pageContentSecurityPolicy(policy: PagePolicy = {}): string {
  return [
    "default-src 'none'",
    `script-src ${policy.scriptNonce ? `'nonce-${policy.scriptNonce}'` : "'none'"}`,
    "style-src 'unsafe-inline'",
    `img-src ${(policy.images ?? ['data:']).join(' ')}`,
    ...(policy.connectSelf ? ["connect-src 'self'"] : []),
    `form-action ${policy.formAction?.length ? policy.formAction.join(' ') : "'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export interface SendPageOptions {
  status?: number;
  policy?: Omit<PagePolicy, 'scriptNonce'>;
  /** Make a nonce for this response: the template gets it as `cspNonce`, the policy allows it. */
  script?: boolean;
}

/** Sends HTML that is already rendered (by templates: a frozen bulletin) under the pages' policy. */
export function sendHtml(res: Response, html: string, options: SendPageOptions & { scriptNonce?: string } = {}): void {
  res
    .status(options.status ?? 200)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': pageContentSecurityPolicy({ ...options.policy, scriptNonce: options.scriptNonce }),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    })
    .send(html);
}

const UNESCAPED_OUTPUT = /\{\{~?\{|\{\{~?\s*&/;

/**
 * The page templates of one folder: `<name>.hbs` is a page, `_<name>.hbs` a partial (a layout
 * used as `{{#> layout}}…{{/layout}}`). Compiled once, strict (a missing value is an error, not
 * an empty string).
 */
export class PageRenderer {
  private readonly engine = Handlebars.create();
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();

  constructor(private readonly directory: string) {
    for (const file of fs.readdirSync(directory)) {
      if (file.startsWith('_') && file.endsWith('.hbs')) this.engine.registerPartial(file.slice(1, -4), this.read(file));
    }
  }

  /** Throws if a page's template is missing or unsafe, so a service fails at start rather than on a request. */
  assertTemplates(names: readonly string[]): this {
    for (const name of names) this.load(name);
    return this;
  }

  render(name: string, vars: object): string {
    return this.load(name)(vars);
  }

  /** Renders `name` with `vars` and sends it with the pages' headers. */
  send(res: Response, name: string, vars: object, options: SendPageOptions = {}): void {
    const scriptNonce = options.script ? randomBytes(18).toString('base64') : undefined;
    sendHtml(res, this.render(name, scriptNonce ? { ...vars, cspNonce: scriptNonce } : vars), { ...options, scriptNonce });
  }

  private read(file: string): string {
    const source = fs.readFileSync(path.join(this.directory, file), 'utf8');
    if (UNESCAPED_OUTPUT.test(source)) throw new Error(`page template ${path.join(this.directory, file)} writes a value unescaped ({{{ }}} or {{& }}): pages escape everything`);
    return source;
  }

  private load(name: string): HandlebarsTemplateDelegate {
    let template = this.compiled.get(name);
    if (!template) {
      template = this.engine.compile(this.read(`${name}.hbs`), { strict: true, knownHelpersOnly: true });
      this.compiled.set(name, template);
    }
    return template;
  }
}
