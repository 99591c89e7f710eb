import { loadConfig } from '@sendco/config';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { smtpTransportOptions } from './index';

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db:5432/sendco', AUTH_JWT_SECRET: 's'.repeat(32), BULLETIN_TOKEN_SECRET: 'b'.repeat(32), BANDING_QA_EMAIL: 'qa@council.example.org' };

describe('SMTP transport options from the configuration', () => {
  it('require STARTTLS for credentials over smtp:// in production', () => {
    const options = smtpTransportOptions(loadConfig({ ...production, SMTP_URL: 'smtp://relay%40council:p%40ss@relay.example.org:587' }).mail);
    expect(options).toMatchObject({ host: 'relay.example.org', port: 587, secure: false, requireTLS: true, ignoreTLS: false, auth: { user: 'relay@council', pass: 'p@ss' } });
  });

  it('let SMTP_REQUIRE_TLS=false opt out, and leave smtps://, no credentials and development as they were', () => {
    expect(smtpTransportOptions(loadConfig({ ...production, SMTP_URL: 'smtp://u:p@relay.example.org:587', SMTP_REQUIRE_TLS: 'false' }).mail).requireTLS).toBe(false);
    expect(smtpTransportOptions(loadConfig({ ...production, SMTP_URL: 'smtps://u:p@relay.example.org' }).mail)).toMatchObject({ secure: true, port: 465, requireTLS: false });
    expect(smtpTransportOptions(loadConfig({ ...production, SMTP_URL: 'smtp://relay.example.org' }).mail)).toMatchObject({ requireTLS: false, auth: undefined });
    expect(smtpTransportOptions(loadConfig({}).mail)).toMatchObject({ host: '127.0.0.1', port: 2525, ignoreTLS: true, requireTLS: false });
  });

  it('never send the password to a relay that offers no STARTTLS', async () => {
    let authAttempts = 0;
    const server = new SMTPServer({ disabledCommands: ['STARTTLS'], authOptional: true, allowInsecureAuth: true, logger: false, onAuth: (_auth, _session, callback) => { authAttempts += 1; callback(null, { user: 'u' }); } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    try {
      const options = smtpTransportOptions(loadConfig({ ...production, SMTP_URL: `smtp://u:secret@127.0.0.1:${port}` }).mail);
      const transport = nodemailer.createTransport(options);
      await expect(transport.sendMail({ from: 'a@example.org', to: 'b@example.org', subject: 'x', text: 'x' })).rejects.toThrow(/STARTTLS/i);
      expect(authAttempts).toBe(0);
      transport.close();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
