/**
 * Mail: a pooled nodemailer transport from SMTP_URL, HTML + plain-text templates rendered with
 * Handlebars from files (templates/<type>/{subject,html,text}.hbs), and .ics invitations built
 * with the `ics` library. Rendering is separate from sending so both can be tested.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { createEvent, type EventAttributes } from 'ics';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { AppConfig } from '@sendco/config';

export const LONDON = 'Europe/London';

export interface Invite {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  location?: string;
  url?: string;
  organizer: { name?: string; email: string };
  attendee: { name?: string; email: string };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface OutgoingEmail extends RenderedEmail {
  to: { name?: string; email: string };
  invite?: Invite;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * One formatter per style for the whole process: making an Intl.DateTimeFormat costs far more than
 * using one (it was an eighth of the jobs worker's CPU when made for every date in every email).
 */
const LONDON_FORMATS = {
  date: new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: LONDON }),
  time: new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: LONDON }),
  datetime: new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: LONDON }),
};

export function formatLondon(iso: string | Date, style: 'datetime' | 'date' | 'time' = 'datetime'): string {
  return LONDON_FORMATS[style].format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** Renders templates/<name>/{subject,html,text}.hbs; compiled once per process. */
export class TemplateRenderer {
  private readonly engine = Handlebars.create();
  private readonly compiled = new Map<string, { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }>();

  constructor(private readonly directory: string) {
    this.engine.registerHelper('datetime', (value: string) => formatLondon(value, 'datetime'));
    this.engine.registerHelper('date', (value: string) => formatLondon(value, 'date'));
    this.engine.registerHelper('time', (value: string) => formatLondon(value, 'time'));
    this.engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    const layout = path.join(directory, 'layout.html.hbs');
    if (fs.existsSync(layout)) this.engine.registerPartial('layout', fs.readFileSync(layout, 'utf8'));
  }

  /** Throws if any template file is missing, so a worker fails at boot rather than at send time. */
  assertTemplates(names: readonly string[]): void {
    for (const name of names) this.load(name);
  }

  render(name: string, vars: object): RenderedEmail {
    const t = this.load(name);
    return { subject: t.subject(vars).trim(), html: t.html(vars), text: t.text(vars) };
  }

  private load(name: string) {
    let t = this.compiled.get(name);
    if (!t) {
      const read = (part: string) => {
        const file = path.join(this.directory, name, `${part}.hbs`);
        if (!fs.existsSync(file)) throw new Error(`email template missing: ${file}`);
        return fs.readFileSync(file, 'utf8');
      };
      t = {
        subject: this.engine.compile(read('subject'), { noEscape: true, strict: true }),
        html: this.engine.compile(read('html'), { strict: true }),
        text: this.engine.compile(read('text'), { noEscape: true, strict: true }),
      };
      this.compiled.set(name, t);
    }
    return t;
  }
}

/** An RFC 5545 invitation; the same uid with a higher sequence updates or cancels it in the delegate's calendar. */
export function buildIcs(invite: Invite): string {
  const attributes: EventAttributes = {
    uid: invite.uid,
    sequence: invite.sequence,
    method: invite.method,
    status: invite.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    title: invite.title,
    description: invite.description,
    start: new Date(invite.startsAt).getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: new Date(invite.endsAt).getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    location: invite.location,
    url: invite.url,
    organizer: { name: invite.organizer.name ?? 'SENDCO Hub', email: invite.organizer.email },
    attendees: [{ name: invite.attendee.name, email: invite.attendee.email, rsvp: false, partstat: 'ACCEPTED', role: 'REQ-PARTICIPANT' }],
    productId: 'sendco-hub/ics',
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new Error(`could not build invitation: ${error?.message ?? 'no value'}`);
  return value;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  verify(): Promise<boolean>;
  /** Closes the pool's idle connections; call it once nothing is being sent any more. */
  close(): void;
}

/**
 * One SMTP session per email (greeting, EHLO, then the message) cost more than the message
 * itself and capped sending at 20-30 emails a second (BENCHMARKS.md), so connections are pooled:
 * up to `pool.connections` stay open and each carries up to `pool.messagesPerConnection` emails
 * before it is replaced. A connection the server drops is replaced on the next send, and
 * nodemailer puts an email whose connection closed mid-send back in the queue.
 */
export type MailTransportConfig = Pick<AppConfig['mail'], 'smtpUrl' | 'devMailbox' | 'pool'> & Partial<Pick<AppConfig['mail'], 'requireTls'>>;

/**
 * nodemailer's options for SMTP_URL. With `requireTls` (an smtp:// URL with credentials in
 * production, unless SMTP_REQUIRE_TLS=false) the connection must be upgraded with STARTTLS
 * before AUTH and the message are sent: a relay that does not offer it gets neither the
 * password nor the email in clear, and the send fails (and is retried) instead.
 */
export function smtpTransportOptions(config: MailTransportConfig): SMTPPool.Options {
  const url = new URL(config.smtpUrl);
  return {
    pool: true,
    maxConnections: config.pool.connections,
    maxMessages: config.pool.messagesPerConnection,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // The development mailbox is plain SMTP on loopback; a real relay may offer STARTTLS and we take it.
    ignoreTLS: config.devMailbox,
    requireTLS: config.requireTls ?? false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    // Also how long an idle pooled connection stays open.
    socketTimeout: 30_000,
  };
}

export function createMailer(config: MailTransportConfig & Pick<AppConfig['mail'], 'from'>): Mailer {
  const transport: Transporter = nodemailer.createTransport(smtpTransportOptions(config));
  const from = config.from;
  return {
    async send(email) {
      const icalEvent = email.invite
        ? { method: email.invite.method, filename: email.invite.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content: buildIcs(email.invite) }
        : undefined;
      const info = await transport.sendMail({
        from,
        to: email.to.name ? { name: email.to.name, address: email.to.email } : email.to.email,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: email.headers,
        icalEvent,
        attachments: email.attachments,
        // Left to choose, nodemailer picks quoted-printable or base64 for every text part by
        // matching each Latin letter of it with a regex (a string per letter): about 7% of the jobs
        // worker's CPU in a rush (BENCHMARKS.md, "Third round"). The templates are English text,
        // for which it picks quoted-printable anyway.
        textEncoding: 'quoted-printable',
      });
      return { messageId: info.messageId };
    },
    verify: () => transport.verify(),
    close: () => transport.close(),
  };
}

