/**
 * Mail: the nodemailer transport from SMTP_URL, HTML + plain-text templates rendered with
 * Handlebars from files (templates/<type>/{subject,html,text}.hbs), and .ics invitations built
 * with the `ics` library. Rendering is separate from sending so both can be tested.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { createEvent, type EventAttributes } from 'ics';
import nodemailer, { type Transporter } from 'nodemailer';
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

export function formatLondon(iso: string | Date, style: 'datetime' | 'date' | 'time' = 'datetime'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const options: Intl.DateTimeFormatOptions =
    style === 'date'
      ? { dateStyle: 'full', timeZone: LONDON }
      : style === 'time'
        ? { timeStyle: 'short', timeZone: LONDON }
        : { dateStyle: 'full', timeStyle: 'short', timeZone: LONDON };
  return new Intl.DateTimeFormat('en-GB', options).format(date);
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
  close(): void;
}

export function createMailer(config: Pick<AppConfig['mail'], 'smtpUrl' | 'devMailbox' | 'from'>): Mailer {
  const url = new URL(config.smtpUrl);
  const transport: Transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // The development mailbox is plain SMTP on loopback; a real relay may offer STARTTLS and we take it.
    ignoreTLS: config.devMailbox,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
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
      });
      return { messageId: info.messageId };
    },
    verify: () => transport.verify(),
    close: () => transport.close(),
  };
}

