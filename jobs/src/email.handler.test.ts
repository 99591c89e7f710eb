/**
 * The email processor end to end over real SMTP: the real renderer and mailer deliver to an
 * smtp-server listener on loopback, and the received message is parsed back with mailparser.
 * Also: payloads that can never be sent fail without retries, and send failures reach BullMQ.
 */
import type { AddressInfo } from 'node:net';
import { UnrecoverableError, type Job } from 'bullmq';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '@sendco/logger';
import { createMailer, TemplateRenderer, type Mailer } from '@sendco/mail';
import { cpdCertificateJob, emailJob, type CalendarInvite, type EmailJob } from '@sendco/queue';
import { createEmailProcessor, recipientDomain, redactAddresses, TEMPLATES_DIR } from './email.handler';

interface Received {
  rcptTo: string[];
  raw: Buffer;
}

interface SmtpListener {
  server: SMTPServer;
  port: number;
  received: Received[];
  /** SMTP sessions opened so far (one per TCP connection). */
  connections: number;
  /** SMTP sessions open right now. */
  open: number;
  /** Resolves when no session is open. */
  allClosed(): Promise<void>;
}

/** An SMTP listener on 127.0.0.1 (`port` 0: any free port) that keeps every message it accepts. */
async function startSmtpListener(port = 0): Promise<SmtpListener> {
  const received: Received[] = [];
  let waiting: (() => void)[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      listener.connections += 1;
      listener.open += 1;
      callback();
    },
    onClose() {
      listener.open -= 1;
      if (listener.open === 0) {
        for (const resolve of waiting) resolve();
        waiting = [];
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  const listener: SmtpListener = {
    server,
    port: 0,
    received,
    connections: 0,
    open: 0,
    allClosed: () => (listener.open === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
  };
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  listener.port = (server.server.address() as AddressInfo).port;
  return listener;
}

/** Stops the listener the way a mail server going away does: every open session is dropped. */
async function stopSmtpListener(listener: SmtpListener): Promise<void> {
  const closed = new Promise<void>((resolve) => listener.server.close(() => resolve()));
  for (const connection of (listener.server as unknown as { connections: Set<{ close(): void }> }).connections) connection.close();
  await closed;
  await listener.allClosed();
}

const mailConfig = (port: number, connections = 2) => ({
  smtpUrl: `smtp://127.0.0.1:${port}`,
  devMailbox: true,
  from: 'SENDCO Hub <no-reply@example.org>',
  pool: { connections, messagesPerConnection: 100 },
});

function fakeJob(data: EmailJob, id = '42'): Job<EmailJob> {
  return { id, data, attemptsMade: 0, opts: { attempts: 10 } } as unknown as Job<EmailJob>;
}

/** iCalendar folds long lines (CRLF + space/tab); undo that before looking for a property. */
function unfold(ics: string): string {
  return ics.replace(/\r\n[ \t]/g, '');
}

const logger = createLogger('jobs-test', 'silent');

const invite: CalendarInvite = {
  uid: 'place-7d1e2c@sendco-hub.example.org',
  sequence: 0,
  method: 'REQUEST',
  title: 'Understanding ADHD: an introduction for school staff',
  description: 'SEND training. Booking reference SEND-26-0500.',
  startsAt: '2026-03-16T09:30:00Z',
  endsAt: '2026-03-16T12:00:00Z',
  url: 'https://meet.example.org/j/5521',
  organizer: { name: 'SEND Training Team', email: 'send.training@council.example.org' },
  attendee: { name: 'Grace Okafor', email: 'g.okafor@meadow.sch.example' },
};

const confirmationJob = emailJob(
  'booking-confirmation',
  { name: 'Grace Okafor', email: 'g.okafor@meadow.sch.example' },
  {
    delegateName: 'Grace Okafor',
    eventTitle: 'Understanding ADHD: an introduction for school staff',
    startsAt: '2026-03-16T09:30:00Z',
    endsAt: '2026-03-16T12:00:00Z',
    joiningUrl: 'https://meet.example.org/j/5521',
    bookingReference: 'SEND-26-0500',
  },
  invite,
).data;

describe('email processor over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  let mailer: Mailer;
  let parsed: ParsedMail;
  let result: { messageId: string };

  beforeAll(async () => {
    smtp = await startSmtpListener();
    mailer = createMailer(mailConfig(smtp.port));
    const processor = createEmailProcessor({ renderer: new TemplateRenderer(TEMPLATES_DIR), mailer, logger });
    // The mailer resolves only after the server has accepted the DATA, so the message is here by now.
    result = await processor(fakeJob(confirmationJob));
    parsed = await simpleParser(smtp.received[0].raw);
  });

  afterAll(async () => {
    mailer?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
  });

  it('delivers one message to the delegate, from the configured sender', () => {
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].rcptTo).toEqual(['g.okafor@meadow.sch.example']);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value).toEqual([{ name: 'Grace Okafor', address: 'g.okafor@meadow.sch.example' }]);
    expect(parsed.from?.value).toEqual([{ name: 'SENDCO Hub', address: 'no-reply@example.org' }]);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('returns the message id the server received', () => {
    expect(result.messageId).toBe(parsed.messageId);
  });

  it('has the rendered subject and both a text and an HTML part', () => {
    expect(parsed.subject).toMatch(/^Place confirmed: Understanding ADHD: an introduction for school staff on Monday,? 16 March 2026$/);
    expect(parsed.text).toContain('Dear Grace Okafor,');
    expect(parsed.text).toContain('the joining link is https://meet.example.org/j/5521');
    expect(parsed.html).toContain('Dear Grace Okafor,');
    expect(parsed.html).toContain('<a href="https://meet.example.org/j/5521"');
  });

  // nodemailer's icalEvent adds the invitation twice: a text/calendar alternative beside the text and
  // HTML (what Outlook and Gmail show as an invitation) and an application/ics file attachment
  // (invite.ics). mailparser lists both under `attachments`.
  it('carries the invitation as a text/calendar part with METHOD:REQUEST and the place UID', () => {
    const calendar = parsed.attachments.find((a) => a.contentType === 'text/calendar');
    expect(calendar).toBeDefined();
    expect(calendar!.headers.get('content-type')).toMatchObject({ value: 'text/calendar', params: { method: 'REQUEST' } });
    const ics = unfold(calendar!.content.toString('utf8'));
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${invite.uid}`);
    expect(ics).toContain('DTSTART:20260316T093000Z');
  });

  it('also attaches the invitation as invite.ics with the same content', () => {
    const file = parsed.attachments.find((a) => a.filename === 'invite.ics');
    const calendar = parsed.attachments.find((a) => a.contentType === 'text/calendar');
    expect(file).toMatchObject({ contentType: 'application/ics', contentDisposition: 'attachment' });
    expect(file!.content.equals(calendar!.content)).toBe(true);
  });
});

const certificateJob = cpdCertificateJob(
  { name: 'Grace Okafor', email: 'g.okafor@meadow.sch.example' },
  {
    number: 'CPD-000007',
    delegateName: 'Grace Okafor',
    eventTitle: 'Preparing for Ofsted, part 1',
    startsAt: '2026-03-16T09:30:00Z',
    endsAt: '2026-03-16T12:30:00Z',
    cpdHours: 3,
    issuedAt: '2026-03-16T15:00:00Z',
    issuedBy: 'SEND Training Team',
  },
).data as EmailJob;

describe('email processor with a CPD certificate, over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  let mailer: Mailer;
  let parsed: ParsedMail;

  beforeAll(async () => {
    smtp = await startSmtpListener();
    mailer = createMailer(mailConfig(smtp.port));
    await createEmailProcessor({ renderer: new TemplateRenderer(TEMPLATES_DIR), mailer, logger })(fakeJob(certificateJob));
    parsed = await simpleParser(smtp.received[0].raw);
  });

  afterAll(async () => {
    mailer?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
  });

  it('sends the text and HTML parts with the certificate attached as a PDF made at send time', () => {
    expect(parsed.subject).toMatch(/^Your CPD certificate: Preparing for Ofsted, part 1 on Monday,? 16 March 2026$/);
    expect(parsed.text).toContain('Dear Grace Okafor,');
    expect(parsed.html).toContain('Dear Grace Okafor,');
    const pdfs = parsed.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    expect(pdfs[0]).toMatchObject({ filename: 'cpd-certificate-CPD-000007.pdf', contentDisposition: 'attachment' });
    expect(pdfs[0].content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('adds no calendar invitation', () => {
    expect(parsed.attachments.filter((a) => /calendar|ics/.test(a.contentType))).toEqual([]);
  });
});

describe('the pooled SMTP transport', () => {
  const renderer = new TemplateRenderer(TEMPLATES_DIR);
  const job = (n: number) => fakeJob({ ...confirmationJob, to: { name: `Delegate ${n}`, email: `delegate${n}@meadow.sch.example` } }, String(n));
  let smtp: SmtpListener | undefined;
  let mailer: Mailer | undefined;

  afterEach(async () => {
    mailer?.close();
    if (smtp) await stopSmtpListener(smtp);
    smtp = mailer = undefined;
  });

  it('sends many emails over the same connection instead of one connection each', async () => {
    smtp = await startSmtpListener();
    mailer = createMailer(mailConfig(smtp.port, 1));
    const processor = createEmailProcessor({ renderer, mailer, logger });
    await Promise.all([1, 2, 3, 4, 5].map((n) => processor(job(n))));
    expect(smtp.received.map((r) => r.rcptTo[0]).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `delegate${n}@meadow.sch.example`));
    expect(smtp.connections).toBe(1);
  });

  it('closes its open connections on close(), so a shutdown leaves no session behind', async () => {
    smtp = await startSmtpListener();
    mailer = createMailer(mailConfig(smtp.port, 2));
    await Promise.all([1, 2, 3].map((n) => createEmailProcessor({ renderer, mailer: mailer!, logger })(job(n))));
    expect(smtp.open).toBeGreaterThan(0);
    mailer.close();
    await smtp.allClosed(); // hangs (and the test times out) if a pooled connection stayed open
    expect(smtp.open).toBe(0);
  });

  it('opens new connections after the mail server went away and came back', async () => {
    smtp = await startSmtpListener();
    const port = smtp.port;
    mailer = createMailer(mailConfig(port, 2));
    const processor = createEmailProcessor({ renderer, mailer, logger });
    await processor(job(1));
    await stopSmtpListener(smtp); // drops the pooled connection

    smtp = await startSmtpListener(port);
    await processor(job(2));
    expect(smtp.received.map((r) => r.rcptTo[0])).toEqual(['delegate2@meadow.sch.example']);
    expect(smtp.connections).toBe(1);
  });
});

describe('email processor failures', () => {
  const renderer = new TemplateRenderer(TEMPLATES_DIR);

  it('throws an unrecoverable error for an unknown template, without sending', async () => {
    const send = jest.fn();
    const processor = createEmailProcessor({ renderer, mailer: { send }, logger });
    const job = fakeJob({ ...confirmationJob, template: 'payment-reminder' } as unknown as EmailJob);

    await expect(processor(job)).rejects.toThrow(UnrecoverableError);
    await expect(processor(job)).rejects.toThrow(/unknown email template "payment-reminder"/);
    expect(send).not.toHaveBeenCalled();
  });

  it('throws an unrecoverable error for a job with no recipient address', async () => {
    const send = jest.fn();
    const processor = createEmailProcessor({ renderer, mailer: { send }, logger });

    await expect(processor(fakeJob({ ...confirmationJob, to: { email: '' } }))).rejects.toThrow(UnrecoverableError);
    expect(send).not.toHaveBeenCalled();
  });

  it('throws an unrecoverable error for a certificate that does not say what is on it, without sending', async () => {
    const send = jest.fn();
    const processor = createEmailProcessor({ renderer, mailer: { send }, logger });
    const job = fakeJob({ ...certificateJob, certificate: { number: 'CPD-1' } } as unknown as EmailJob);

    await expect(processor(job)).rejects.toThrow(UnrecoverableError);
    await expect(processor(job)).rejects.toThrow(/asks for a certificate/);
    expect(send).not.toHaveBeenCalled();
  });

  it('passes a mail server failure on as an ordinary error, so BullMQ retries with backoff', async () => {
    const failure = Object.assign(new Error('Connection refused'), { code: 'ESOCKET' });
    const processor = createEmailProcessor({ renderer, mailer: { send: jest.fn().mockRejectedValue(failure) }, logger });

    const rejection = processor(fakeJob(confirmationJob));
    await expect(rejection).rejects.toBe(failure);
    await expect(rejection).rejects.not.toBeInstanceOf(UnrecoverableError);
  });
});

describe('what the worker may log about a recipient', () => {
  it('keeps only the domain of an address', () => {
    expect(recipientDomain('G.Okafor@Meadow.SCH.example')).toBe('meadow.sch.example');
    expect(recipientDomain(undefined)).toBe('unknown');
  });

  it('removes mailboxes quoted in SMTP error messages', () => {
    expect(redactAddresses('550 5.1.1 <g.okafor@meadow.sch.example>: Recipient address rejected')).toBe(
      '550 5.1.1 <…@meadow.sch.example>: Recipient address rejected',
    );
  });
});
