/**
 * The development mailbox viewer, mounted at /dev/mail outside production when SMTP_URL is unset.
 * It reads the `.eml` files the stack's dev SMTP listener stores (packages/stack/src/dev-mailbox.ts)
 * and shows them: a list, each message with its headers, HTML body, text body and attachments.
 *
 * The messages are untrusted input rendered in the product's origin, so: the HTML body is only
 * ever shown inside a sandboxed `<iframe srcdoc>` (no scripts, its own opaque origin), every
 * value is HTML-escaped (Handlebars templates, the shared page renderer), the policy forbids scripts, attachments are downloads (never rendered inline), and a `:file`
 * is served only if it is literally one of the listed files, so no path can escape the folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import express, { type Response, type Router } from 'express';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { PageRenderer } from '@sendco/federation';
import { GATEWAY_PAGE_TEMPLATES } from './page-templates';

/** The list page parses headers only, but still: a dev mailbox, not an archive. */
const MAX_LISTED = 200;
/** Headers beyond this are not read for the list (real ones are a few KiB). */
const HEADER_READ_BYTES = 64 * 1024;

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
    pages.send(res, 'mailbox-list', listPage(await listSummaries(dir), req.baseUrl), { policy: PAGE_POLICY });
  });

  router.get('/:file', async (req, res) => {
    const file = await findMessageFile(dir, req.params.file);
    if (!file) return sendNotFound(res);
    const mail = await simpleParser(await fs.readFile(file));
    pages.send(res, 'mailbox-message', messagePage(mail, req.baseUrl, req.params.file), { policy: PAGE_POLICY });
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
// Rendering (templates in gateway/templates/pages, every value escaped by the shared page renderer)

/** Scripts are off everywhere (the srcdoc iframe inherits this policy too); emails' images may load. */
const PAGE_POLICY = { images: ['data:', 'https:', 'http:'] };

const pages = new PageRenderer(GATEWAY_PAGE_TEMPLATES).assertTemplates(['mailbox-list', 'mailbox-message']);

function messageHref(baseUrl: string, file: string): string {
  return `${baseUrl}/${encodeURIComponent(file)}`;
}

function listPage(messages: MessageSummary[], baseUrl: string) {
  return {
    title: 'Dev mailbox',
    apiHref: `${baseUrl}/api/messages`,
    truncated: messages.length === MAX_LISTED ? MAX_LISTED : 0,
    messages: messages.map((m) => ({ date: formatDate(m.date), to: m.to, subject: m.subject || '(no subject)', href: messageHref(baseUrl, m.file) })),
  };
}

function messagePage(mail: ParsedMail, baseUrl: string, file: string) {
  const headers = (
    [
      ['From', mail.from?.text ?? ''],
      ['To', addressText(mail.to)],
      ['Cc', addressText(mail.cc)],
      ['Subject', mail.subject ?? ''],
      ['Date', mail.date ? formatDate(mail.date.toISOString()) : ''],
    ] as const
  )
    .filter(([, value]) => value)
    .map(([name, value]) => ({ name, value }));
  const messageUrl = messageHref(baseUrl, file);
  return {
    title: mail.subject ?? '(no subject)',
    subject: mail.subject ?? '(no subject)',
    listHref: baseUrl || '/',
    headers,
    rawHeaders: mail.headerLines.map((line) => line.line).join('\n'),
    hasHtml: mail.html !== false,
    html: mail.html === false ? '' : mail.html,
    text: mail.text ?? '',
    attachments: mail.attachments.map((attachment, index) => ({
      name: attachmentName(attachment.filename, index),
      href: `${messageUrl}/attachments/${index}`,
      contentType: attachment.contentType,
      size: attachment.size,
    })),
  };
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'medium' });
}

function sendNotFound(res: Response): void {
  res.status(404).type('text').send('No such message');
}
