/**
 * The development mailbox viewer, mounted at /dev/mail outside production when SMTP_URL is unset.
 * It reads the `.eml` files the stack's dev SMTP listener stores (packages/stack/src/dev-mailbox.ts)
 * and shows them: a list, each message with its headers, HTML body, text body and attachments.
 *
 * The messages are untrusted input rendered in the product's origin, so: the HTML body is only
 * ever shown inside a sandboxed `<iframe srcdoc>` (no scripts, its own opaque origin), every
 * other value is HTML-escaped, attachments are downloads (never rendered inline), and a `:file`
 * is served only if it is literally one of the listed files, so no path can escape the folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import express, { type Response, type Router } from 'express';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

/** The list page parses headers only, but still: a dev mailbox, not an archive. */
const MAX_LISTED = 200;
/** Headers beyond this are not read for the list (real ones are a few KiB). */
const HEADER_READ_BYTES = 64 * 1024;

/** Scripts are off everywhere; the srcdoc iframe inherits this policy too. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface MessageSummary {
  file: string;
  /** ISO 8601: the Date header, else when the file was written. */
  date: string;
  to: string;
  subject: string;
}

export function devMailboxRouter(dir: string): Router {
  const router = express.Router();

  router.get('/api/messages', async (_req, res) => {
    res.json(await listSummaries(dir));
  });

  router.get('/', async (req, res) => {
    sendPage(res, 'Dev mailbox', renderList(await listSummaries(dir), req.baseUrl));
  });

  router.get('/:file', async (req, res) => {
    const file = await findMessageFile(dir, req.params.file);
    if (!file) return sendNotFound(res);
    const mail = await simpleParser(await fs.readFile(file));
    sendPage(res, mail.subject ?? '(no subject)', renderMessage(mail, req.baseUrl, req.params.file));
  });

  router.get('/:file/attachments/:index', async (req, res) => {
    const file = await findMessageFile(dir, req.params.file);
    const attachment = file ? attachmentAt(await simpleParser(await fs.readFile(file)), req.params.index) : undefined;
    if (!attachment) return sendNotFound(res);
    // A download, never rendered here: an HTML or SVG attachment must not run in our origin.
    res.attachment(attachmentName(attachment.filename, Number(req.params.index)));
    res.set({ 'Content-Type': attachment.contentType || 'application/octet-stream', 'X-Content-Type-Options': 'nosniff' });
    res.send(attachment.content);
  });

  return router;
}

// ---------------------------------------------------------------------------------------------
// Reading the folder

/** The message files, newest first (their names start with the time they arrived). */
export async function listMessageFiles(dir: string): Promise<string[]> {
  try {
    const names = await fs.readdir(dir);
    // Dot files are messages still being written by the SMTP listener.
    return names.filter((name) => name.endsWith('.eml') && !name.startsWith('.')).sort().reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []; // nothing received yet
    throw error;
  }
}

/** The path of `name` if it is one of the listed messages; anything else (../, encoded tricks) is not. */
async function findMessageFile(dir: string, name: string): Promise<string | undefined> {
  const files = await listMessageFiles(dir);
  return files.includes(name) ? path.join(dir, name) : undefined;
}

async function listSummaries(dir: string): Promise<MessageSummary[]> {
  const files = (await listMessageFiles(dir)).slice(0, MAX_LISTED);
  return Promise.all(files.map((file) => summarize(dir, file)));
}

async function summarize(dir: string, file: string): Promise<MessageSummary> {
  const fullPath = path.join(dir, file);
  const [headers, stat] = await Promise.all([readHeaderBlock(fullPath), fs.stat(fullPath)]);
  const mail = await simpleParser(headers, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  return { file, date: (mail.date ?? stat.mtime).toISOString(), to: addressText(mail.to), subject: mail.subject ?? '' };
}

/** The message's header block only, so listing does not parse every attachment. */
async function readHeaderBlock(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_READ_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    const end = [head.indexOf('\r\n\r\n'), head.indexOf('\n\n')].filter((i) => i >= 0);
    return end.length ? head.subarray(0, Math.min(...end)) : head;
  } finally {
    await handle.close();
  }
}

function attachmentAt(mail: ParsedMail, index: string): ParsedMail['attachments'][number] | undefined {
  return /^\d+$/.test(index) ? mail.attachments[Number(index)] : undefined;
}

function attachmentName(filename: string | undefined, index: number): string {
  return filename?.trim() || `attachment-${index + 1}`;
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Rendering

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function messageHref(baseUrl: string, file: string): string {
  return `${baseUrl}/${encodeURIComponent(file)}`;
}

function renderList(messages: MessageSummary[], baseUrl: string): string {
  if (messages.length === 0) return '<h1>Dev mailbox</h1><p>No messages yet. Anything the product sends appears here.</p>';
  const rows = messages
    .map(
      (m) =>
        `<tr><td>${escapeHtml(formatDate(m.date))}</td><td>${escapeHtml(m.to)}</td>` +
        `<td><a href="${escapeHtml(messageHref(baseUrl, m.file))}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('\n');
  return `<h1>Dev mailbox</h1>
<p>${messages.length} message(s), newest first${messages.length === MAX_LISTED ? ` (only the newest ${MAX_LISTED} are listed)` : ''}. JSON: <a href="${escapeHtml(baseUrl)}/api/messages">api/messages</a></p>
<table><thead><tr><th>Date</th><th>To</th><th>Subject</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function renderMessage(mail: ParsedMail, baseUrl: string, file: string): string {
  const headerRows = (
    [
      ['From', mail.from?.text ?? ''],
      ['To', addressText(mail.to)],
      ['Cc', addressText(mail.cc)],
      ['Subject', mail.subject ?? ''],
      ['Date', mail.date ? formatDate(mail.date.toISOString()) : ''],
    ] as const
  )
    .filter(([, value]) => value)
    .map(([name, value]) => `<tr><th>${name}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const rawHeaders = mail.headerLines.map((line) => line.line).join('\n');
  // srcdoc is an attribute: escaping the whole document keeps it inside the quotes. `sandbox`
  // without allow-scripts/allow-same-origin: no scripts, an opaque origin; links may open a tab.
  const htmlBody =
    mail.html === false
      ? '<p><em>No HTML body.</em></p>'
      : `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="HTML body" srcdoc="${escapeHtml(mail.html)}"></iframe>`;
  return `<p><a href="${escapeHtml(baseUrl || '/')}">&larr; All messages</a></p>
<h1>${escapeHtml(mail.subject ?? '(no subject)')}</h1>
<table class="headers">${headerRows}</table>
<details><summary>All headers</summary><pre>${escapeHtml(rawHeaders)}</pre></details>
<h2>HTML</h2>
${htmlBody}
<h2>Text</h2>
${mail.text ? `<pre class="text">${escapeHtml(mail.text)}</pre>` : '<p><em>No text body.</em></p>'}
${renderAttachments(mail, messageHref(baseUrl, file))}`;
}

function renderAttachments(mail: ParsedMail, messageUrl: string): string {
  if (mail.attachments.length === 0) return '';
  const items = mail.attachments
    .map((attachment, index) => {
      const name = attachmentName(attachment.filename, index);
      const href = `${messageUrl}/attachments/${index}`;
      return `<li><a href="${escapeHtml(href)}" download>${escapeHtml(name)}</a> <small>${escapeHtml(attachment.contentType)}, ${attachment.size} bytes</small></li>`;
    })
    .join('\n');
  return `<h2>Attachments</h2><ul>${items}</ul>`;
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'medium' });
}

function sendPage(res: Response, title: string, body: string): void {
  res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 72rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
table.headers th { width: 6rem; }
iframe { width: 100%; height: 60vh; border: 1px solid #ccc; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .8rem; }
</style></head>
<body>
${body}
</body></html>`);
}

function sendNotFound(res: Response): void {
  res.status(404).type('text').send('No such message');
}
