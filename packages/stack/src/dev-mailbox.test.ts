/**
 * The dev mailbox end to end: nodemailer sends to the SMTP listener, a verbatim .eml file appears,
 * and the gateway's viewer (gateway/src/dev-mailbox.ts, tested here because it reads exactly what
 * this listener writes) lists and renders it safely.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { createLogger } from '@sendco/logger';
import { devMailboxRouter, type MessageSummary } from '../../../gateway/src/dev-mailbox';
import { startDevMailbox, type DevMailbox } from './dev-mailbox';

const logger = createLogger('test', 'silent');

describe('dev mailbox', () => {
  let dir: string;
  let mailbox: DevMailbox;
  let viewer: Server;
  let viewerUrl: string;

  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: mailbox.port, secure: false, ignoreTLS: true });

  function messageFiles(): string[] {
    return fs.readdirSync(dir).filter((name) => name.endsWith('.eml'));
  }

  beforeAll(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sendco-mailbox-')), 'mailbox'); // created by the listener
    mailbox = await startDevMailbox({ dir, port: 0, logger });
    const app = express().use('/dev/mail', devMailboxRouter(dir));
    viewer = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    viewerUrl = `http://127.0.0.1:${(viewer.address() as AddressInfo).port}/dev/mail`;
  });

  afterAll(async () => {
    await new Promise((resolve) => viewer?.close(resolve));
    await mailbox?.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('stores a sent message verbatim as an .eml file that mailparser reads back', async () => {
    await transport().sendMail({
      from: 'SENDCO Hub <no-reply@sendco-hub.example.org>',
      to: 'Ada Lovelace <ada@school.example.org>',
      subject: 'Your booking is confirmed',
      text: 'See you there.',
      html: '<p>See you <b>there</b>.</p>',
      attachments: [{ filename: 'invite.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar' }],
    });

    const files = messageFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{8}\.eml$/);
    const mail = await simpleParser(fs.readFileSync(path.join(dir, files[0])));
    expect(mail.subject).toBe('Your booking is confirmed');
    expect(mail.text?.trim()).toBe('See you there.');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['invite.ics']);
  });

  it('lists the messages newest first as JSON', async () => {
    await transport().sendMail({ from: 'a@example.org', to: 'b@example.org', subject: 'Second message', text: 'two' });

    const messages = (await (await fetch(`${viewerUrl}/api/messages`)).json()) as MessageSummary[];
    expect(messages.map((m) => m.subject)).toEqual(['Second message', 'Your booking is confirmed']);
    expect(messages[1]).toMatchObject({ to: '"Ada Lovelace" <ada@school.example.org>', file: expect.stringMatching(/\.eml$/) });
    expect(Number.isNaN(Date.parse(messages[1].date))).toBe(false);
  });

  it('renders the list and a message page, the HTML body only inside a sandboxed srcdoc', async () => {
    const [, first] = (await (await fetch(`${viewerUrl}/api/messages`)).json()) as MessageSummary[];

    const list = await (await fetch(viewerUrl)).text();
    expect(list).toContain(`href="/dev/mail/${first.file}"`);

    const response = await fetch(`${viewerUrl}/${first.file}`);
    const page = await response.text();
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page).toContain('srcdoc="&lt;p&gt;See you &lt;b&gt;there&lt;/b&gt;.&lt;/p&gt;');
    expect(page).toMatch(/<iframe sandbox="[^"]*"/);
    expect(page).not.toMatch(/<iframe[^>]*allow-scripts/);
    expect(page).not.toContain('<b>there</b>');
    expect(page).toContain('See you there.');
    expect(page).toContain(`href="/dev/mail/${first.file}/attachments/0"`);
  });

  it('escapes markup in headers and bodies', async () => {
    await transport().sendMail({
      from: 'a@example.org',
      to: 'b@example.org',
      subject: '<script>alert(1)</script>',
      html: '<img src=x onerror="alert(1)">"quoted"',
      text: '<script>alert(2)</script>',
    });
    const [newest] = (await (await fetch(`${viewerUrl}/api/messages`)).json()) as MessageSummary[];

    const page = await (await fetch(`${viewerUrl}/${newest.file}`)).text();
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('onerror&#x3D;&quot;alert(1)&quot;&gt;&quot;quoted&quot;');
  });

  it('serves an attachment as a download', async () => {
    const messages = (await (await fetch(`${viewerUrl}/api/messages`)).json()) as MessageSummary[];
    const booking = messages.find((m) => m.subject === 'Your booking is confirmed')!;

    const response = await fetch(`${viewerUrl}/${booking.file}/attachments/0`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="invite.ics"');
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await response.text()).toContain('BEGIN:VCALENDAR');
    expect((await fetch(`${viewerUrl}/${booking.file}/attachments/1`)).status).toBe(404);
  });

  it('serves only files from the listing (no path traversal)', async () => {
    fs.writeFileSync(path.join(path.dirname(dir), 'secret.eml'), 'Subject: secret\r\n\r\nsecret');
    for (const name of ['..%2Fsecret.eml', '%2E%2E%2Fsecret.eml', 'nope.eml', '.partial-x.eml']) {
      expect((await fetch(`${viewerUrl}/${name}`)).status).toBe(404);
    }
    expect((await fetch(`${viewerUrl}/..%2Fsecret.eml/attachments/0`)).status).toBe(404);
  });
});
