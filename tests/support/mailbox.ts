/**
 * A real SMTP listener for tests: every message the product sends arrives here over SMTP on
 * loopback and is parsed with mailparser, so tests assert on what a person would receive (the
 * benchmark's listener reads headers only: MailboxReading).
 */
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import libmime from 'libmime';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  /** The whole message as mailparser reads it; absent when the mailbox reads headers only. */
  parsed?: ParsedMail;
  subject: string;
  text: string;
  html: string;
  /** Calendar parts (nodemailer's icalEvent) as text; empty when the mailbox reads headers only. */
  calendars: string[];
  /** The `method` of each calendar part's Content-Type (REQUEST for an invitation), in either reading. */
  calendarMethods: string[];
  /** performance.now() when the message had been received and parsed (for the benchmark's latencies). */
  receivedAt: number;
}

/**
 * What the listener reads of each message: `full` (mailparser: parts, attachments, text, HTML) for
 * tests that assert on what a person receives; `headers` (the subject, and the method in each
 * calendar part's Content-Type) for the benchmark, whose checks read no more than that, the
 * envelope and the arrival time, and whose listener shares the product's cores: mailparser was
 * about 40% of the benchmark process's CPU during the rush. Every message still crosses SMTP whole
 * either way.
 */
export type MailboxReading = 'full' | 'headers';

/** Header lines folded over several lines (RFC 5322 §2.2.3) joined back into one each. */
const unfoldHeaders = (text: string): string => text.replace(/\r?\n[ \t]+/g, ' ');

/** The subject from a message's header block, unfolded and with its encoded words decoded. */
export function subjectFromHeaders(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  const headers = unfoldHeaders(end < 0 ? raw : raw.slice(0, end));
  const line = headers.split(/\r?\n/).find((l) => /^subject:/i.test(l));
  return line ? libmime.decodeWords(line.slice(line.indexOf(':') + 1).trim()) : '';
}

/** The `method` parameters of the text/calendar parts' Content-Type headers in a raw message. */
export function calendarMethodsIn(raw: string): string[] {
  return [...unfoldHeaders(raw).matchAll(/^content-type:\s*text\/calendar\b[^\r\n]*?\bmethod="?([A-Za-z]+)/gim)].map((m) => m[1].toUpperCase());
}

async function readWhole(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readMessage(stream: Readable, reading: MailboxReading): Promise<Omit<ReceivedMail, 'envelopeTo' | 'receivedAt'>> {
  if (reading === 'headers') {
    const raw = await readWhole(stream);
    return { subject: subjectFromHeaders(raw), text: '', html: '', calendars: [], calendarMethods: calendarMethodsIn(raw) };
  }
  // Every email the product sends has both a text and an HTML part: mailparser's conversions
  // between them (and link detection) would be CPU spent in the listener, on the same cores
  // as the product, for fields no test reads.
  const parsed = await simpleParser(stream, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const calendarParts = parsed.attachments.filter((a) => /calendar/.test(a.contentType));
  return {
    parsed,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    calendars: calendarParts.map((a) => a.content.toString('utf8').replace(/\r?\n[ \t]/g, '')),
    calendarMethods: calendarParts.map((a) => String((a.headers.get('content-type') as { params?: Record<string, string> } | undefined)?.params?.method ?? '').toUpperCase()),
  };
}

export class TestMailbox {
  readonly messages: ReceivedMail[] = [];

  constructor(private readonly reading: MailboxReading = 'full') {}

  private server?: SMTPServer;
  port = 0;
  /** Recipients refused at RCPT TO with a permanent 550, as a relay refuses an unknown mailbox. */
  readonly refusedRecipients = new Set<string>();
  /** Recipients refused at RCPT TO with a temporary 451 ("try again later"), however often they are sent. */
  readonly deferredRecipients = new Set<string>();
  /** While set, every recipient is refused with a temporary 451: a relay that is up but not taking mail (an outage). */
  deferringAll = false;
  /** The temporary refusals so far, by recipient. */
  readonly deferrals = new Map<string, number>();
  private holding = false;
  private held: { sessionId: string; accept: () => void }[] = [];
  private readonly closedSessions = new Set<string>();

  /**
   * Stops acknowledging messages: each one that arrives is kept waiting for its "250 OK". A sender
   * killed meanwhile never hears that its message was accepted, and by SMTP's rules (RFC 5321 §4.1.1.4,
   * RFC 1047) that message was not delivered: `discardUnacknowledged` drops it.
   */
  holdAcknowledgements(): void {
    this.holding = true;
  }

  /**
   * Waits until the sender of every message held so far has gone (killed, or its connection cut),
   * drops those messages, acknowledges any held since whose sender is still there, and acknowledges
   * as usual from then on. Returns how many were dropped.
   */
  async discardUnacknowledged(timeoutMs = 30_000): Promise<number> {
    const gone = this.held.slice();
    const deadline = Date.now() + timeoutMs;
    while (gone.some((m) => !this.closedSessions.has(m.sessionId))) {
      if (Date.now() > deadline) throw new Error('the senders of held messages are still connected');
      await new Promise((r) => setTimeout(r, 50));
    }
    this.holding = false;
    const rest = this.held.filter((m) => !gone.includes(m));
    this.held = [];
    for (const message of rest) {
      if (!this.closedSessions.has(message.sessionId)) message.accept();
    }
    return gone.length + rest.filter((m) => this.closedSessions.has(m.sessionId)).length;
  }

  /** Messages waiting for their acknowledgement. */
  get heldCount(): number {
    return this.held.length;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refusedRecipients.has(address.address.toLowerCase())) {
          callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
          return;
        }
        const recipient = address.address.toLowerCase();
        if (this.deferringAll || this.deferredRecipients.has(recipient)) {
          this.deferrals.set(recipient, (this.deferrals.get(recipient) ?? 0) + 1);
          callback(Object.assign(new Error('4.3.0 Temporary failure, try again later'), { responseCode: 451 }));
          return;
        }
        callback();
      },
      onClose: (session) => {
        this.closedSessions.add(session.id);
      },
      onData: (stream, session, callback) => {
        readMessage(stream, this.reading)
          .then((message) => {
            const accept = () => {
              // The sender went away before it could be told "250 OK": by SMTP's rules the message was not accepted.
              if (this.closedSessions.has(session.id)) return;
              this.messages.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), ...message, receivedAt: performance.now() });
              callback();
            };
            if (this.holding) this.held.push({ sessionId: session.id, accept });
            else accept();
          })
          .catch(callback);
      },
    });
    // A sender's connection reset (a killed worker, a cut proxy) is reported here; it is not the mailbox's failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.envelopeTo.includes(address.toLowerCase()));
  }

  /** Waits until `predicate` holds for the messages received so far. */
  async waitFor(predicate: (messages: ReceivedMail[]) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; received ${this.messages.length}: ${this.messages.map((m) => `${m.envelopeTo.join(',')} "${m.subject}"`).join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async waitForCount(address: string, count: number, timeoutMs?: number): Promise<ReceivedMail[]> {
    await this.waitFor((all) => all.filter((m) => m.envelopeTo.includes(address.toLowerCase())).length >= count, `${count} email(s) to ${address}`, timeoutMs);
    return this.to(address);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
