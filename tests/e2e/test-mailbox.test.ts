/**
 * The test SMTP listener itself: the benchmark's headers-only reading must give the same subject,
 * envelope and calendar method as the full reading the other tests use, for subjects nodemailer encodes and folds.
 */
import nodemailer from 'nodemailer';
import { TestMailbox, type MailboxReading } from '../support/mailbox';

const SUBJECT = 'Waiting list – Preparing for Ofsted 2: “SEND” review, Tuesday 3 March 2026 (a title long enough to be folded)';

async function sendThrough(reading: MailboxReading) {
  const mailbox = await new TestMailbox(reading).start();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mailbox.port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({
      from: 'training@example.org',
      to: 'Delegate <Delegate@Example.org>',
      subject: SUBJECT,
      text: 'Body',
      html: '<p>Body</p>',
      icalEvent: { method: 'REQUEST', content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n' },
    });
    await mailbox.waitForCount('delegate@example.org', 1, 10_000);
    return mailbox.messages[0];
  } finally {
    transport.close();
    await mailbox.stop();
  }
}

describe('TestMailbox', () => {
  it('reads the same subject and envelope with headers only as with the full parse', async () => {
    const full = await sendThrough('full');
    const headers = await sendThrough('headers');
    expect(full.subject).toBe(SUBJECT);
    expect(headers.subject).toBe(SUBJECT);
    expect(headers.envelopeTo).toEqual(['delegate@example.org']);
    expect(full.text.trim()).toBe('Body');
    expect(headers.parsed).toBeUndefined();
    expect(headers.text).toBe('');
    expect(full.calendars[0]).toContain('METHOD:REQUEST');
    expect(full.calendarMethods).toEqual(['REQUEST']);
    expect(headers.calendarMethods).toEqual(['REQUEST']);
  });
});
