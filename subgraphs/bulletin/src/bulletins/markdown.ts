/**
 * Bulletin item bodies: Markdown (markdown-it) → HTML that is safe in an email and on the
 * public archive page (sanitize-html, an allowlist), and → plain text (html-to-text) for the
 * text part. Markdown carrying a script, an event handler or a javascript: link is not cleaned
 * up silently: it is refused, so the editor sees what was wrong rather than a changed bulletin.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { convert } from 'html-to-text';

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: true });

/** Elements that run code or pull in other documents: never allowed, and a reason to refuse the body. */
const DANGEROUS_TAGS = new Set(['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'link', 'meta', 'base']);
const SCRIPT_URL = /^\s*(javascript|vbscript|data):/i;

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'blockquote', 'code', 'pre', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title'], th: ['align'], td: ['align'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

export interface RenderedMarkdown {
  html: string;
  text: string;
}

export class UnsafeMarkdownError extends Error {
  constructor(public readonly reasons: string[]) {
    super(`unsafe markup: ${reasons.join(', ')}`);
    this.name = 'UnsafeMarkdownError';
  }
}

/** What in the rendered HTML would run code, as readable reasons (empty = nothing). */
export function unsafeMarkup(html: string): string[] {
  const reasons = new Set<string>();
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true, // this pass only looks; its output is thrown away
    // Called for every element, allowed or not, before anything is removed.
    transformTags: {
      '*': (tagName, attribs) => {
        if (DANGEROUS_TAGS.has(tagName.toLowerCase())) reasons.add(`a <${tagName.toLowerCase()}> element`);
        for (const [name, value] of Object.entries(attribs)) {
          if (/^on/i.test(name)) reasons.add(`an event handler (${name.toLowerCase()})`);
          if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name.toLowerCase()) && SCRIPT_URL.test(value)) reasons.add(`a ${value.trim().split(':')[0].toLowerCase()}: link`);
        }
        return { tagName, attribs };
      },
    },
  });
  return [...reasons];
}

/** Renders a body; throws UnsafeMarkdownError when it carries scripts, event handlers or script links. */
export function renderMarkdown(source: string): RenderedMarkdown {
  const raw = markdown.render(source);
  const reasons = unsafeMarkup(raw);
  if (reasons.length) throw new UnsafeMarkdownError(reasons);
  const html = sanitizeHtml(raw, ALLOWED).trim();
  return { html, text: htmlToText(html) };
}

export function htmlToText(html: string): string {
  return convert(html, { wordwrap: 78, selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }, { selector: 'h3', options: { uppercase: false } }, { selector: 'h4', options: { uppercase: false } }] }).trim();
}
