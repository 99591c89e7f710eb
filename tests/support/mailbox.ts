/**
 * A real SMTP listener for tests: every message the product sends arrives here over SMTP on
 * loopback and is parsed with mailparser, so tests assert on what a person would receive.
 */
import { performance } from 'node:perf_hooks';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  parsed: ParsedMail;
  subject: string;
  text: string;
  html: string;
  /** Calendar parts (nodemailer's icalEvent) as text. */
  calendars: string[];
  /** performance.now() when the message had been received and parsed (for the benchmark's latencies). */
  receivedAt: number;
}

export class TestMailbox {
  readonly messages: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.messages.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              parsed,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              calendars: parsed.attachments.filter((a) => /calendar/.test(a.contentType)).map((a) => a.content.toString('utf8').replace(/\r?\n[ \t]/g, '')),
              receivedAt: performance.now(),
            });
            callback();
          })
          .catch(callback);
      },
    });
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
