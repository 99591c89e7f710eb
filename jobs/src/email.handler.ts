/**
 * The `email` queue's processor: render the job's template and send it. The payload carries
 * everything the email needs, so this reads no database. Any error thrown here fails the
 * attempt and BullMQ retries it with the queue's exponential backoff; payloads that can never
 * succeed throw UnrecoverableError so they fail at once instead of retrying for minutes.
 */
import path from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '@sendco/logger';
import { inSpan } from '@sendco/tracing';
import type { Mailer, TemplateRenderer } from '@sendco/mail';
import { EMAIL_TEMPLATES, type CpdCertificate, type EmailJob, type EmailTemplate } from '@sendco/queue';
import { CERTIFICATE_CONTENT_TYPE, certificateFilename, renderCertificatePdf } from './cpd-certificate';

/** Resolved from the compiled file too: dist/email.handler.js and src/ both sit beside templates/. */
export const TEMPLATES_DIR = path.join(__dirname, '..', 'templates');

export interface EmailProcessorDeps {
  renderer: Pick<TemplateRenderer, 'render'>;
  mailer: Pick<Mailer, 'send'>;
  logger: Logger;
}

export interface EmailResult {
  messageId: string;
}

export type EmailProcessor = (job: Job<EmailJob>) => Promise<EmailResult>;

// RFC 3834: tells out-of-office responders not to answer an automated email.
const AUTOMATED_HEADERS = { 'Auto-Submitted': 'auto-generated' };

export function isKnownTemplate(value: unknown): value is EmailTemplate {
  return typeof value === 'string' && (EMAIL_TEMPLATES as readonly string[]).includes(value);
}

/** The part of an address that is safe to log: its domain, never the mailbox. */
export function recipientDomain(email: unknown): string {
  if (typeof email !== 'string' || !email.includes('@')) return 'unknown';
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** SMTP errors often quote the rejected address ("550 <jane@school.org> unknown"): keep only its domain. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@([A-Za-z0-9.-]+)/g, '…@$1');
}

function assertSendable(data: EmailJob | undefined): asserts data is EmailJob {
  if (!data || !isKnownTemplate(data.template)) {
    throw new UnrecoverableError(`unknown email template "${String(data?.template)}"; expected one of ${EMAIL_TEMPLATES.join(', ')}`);
  }
  if (typeof data.to?.email !== 'string' || !data.to.email.includes('@') || typeof data.vars !== 'object' || data.vars === null) {
    throw new UnrecoverableError(`email job for template "${data.template}" has no recipient address or no template variables`);
  }
  if (data.certificate !== undefined && !isCertificate(data.certificate)) {
    throw new UnrecoverableError(`email job for template "${data.template}" asks for a certificate but does not say what is on it`);
  }
}

function isCertificate(value: unknown): value is CpdCertificate {
  const c = value as Partial<CpdCertificate> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    [c.number, c.delegateName, c.eventTitle, c.startsAt, c.endsAt, c.issuedAt, c.issuedBy].every((v) => typeof v === 'string' && v.length > 0) &&
    typeof c.cpdHours === 'number'
  );
}

/** The certificate PDF. Made from the payload alone, so a failure here would fail every retry too. */
async function certificateAttachment(certificate: CpdCertificate) {
  try {
    return { filename: certificateFilename(certificate), content: await renderCertificatePdf(certificate), contentType: CERTIFICATE_CONTENT_TYPE };
  } catch (error) {
    throw new UnrecoverableError(`could not make the certificate PDF: ${(error as Error).message}`);
  }
}

export function createEmailProcessor({ renderer, mailer, logger }: EmailProcessorDeps): EmailProcessor {
  return async function processEmailJob(job) {
    const data = job.data;
    assertSendable(data);
    // In the trace of the request that committed the email (the job's consumer span is its parent); no address in it.
    return inSpan('email send', { attributes: { 'email.template': data.template, 'email.recipient_domain': recipientDomain(data.to.email) } }, async () => {
      const rendered = renderer.render(data.template, data.vars);
      const attachments = data.certificate ? [await certificateAttachment(data.certificate)] : undefined;
      const { messageId } = await mailer.send({ ...rendered, to: data.to, invite: data.invite, attachments, headers: { ...data.headers, ...AUTOMATED_HEADERS } });
      logger.debug({ jobId: job.id, template: data.template, recipientDomain: recipientDomain(data.to.email), messageId }, 'email handed to the mail server');
      return { messageId };
    });
  };
}
