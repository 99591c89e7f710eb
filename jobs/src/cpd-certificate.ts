/**
 * The CPD certificate as a PDF, made by the worker when it sends the email, from what the job
 * carries (so nothing personal waits in Redis as a file, and a template change reaches every
 * certificate sent after it). The text is set in DejaVu Sans, embedded: pdfkit's built-in
 * Helvetica can only write Windows-1252, and a delegate called Łucja Wiśniewska or Nguyễn Thị Lan
 * must find their name spelt right on their certificate.
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { formatLondon } from '@sendco/mail';
import type { CpdCertificate } from '@sendco/queue';

const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
// Read once per process; fontkit parses them per document, which is quick next to the SMTP round trip.
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts() {
  fonts ??= { regular: fs.readFileSync(path.join(FONT_DIR, 'DejaVuSans.ttf')), bold: fs.readFileSync(path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')) };
  return fonts;
}

// The colours of the emails (layout.html.hbs), so the certificate looks like it comes from the same place.
const BRAND = '#1d4f91';
const INK = '#0b0c0c';
const SECONDARY = '#505a5f';
const MARGIN = 48;

export const CERTIFICATE_CONTENT_TYPE = 'application/pdf';

export function certificateFilename(certificate: Pick<CpdCertificate, 'number'>): string {
  return `cpd-certificate-${certificate.number.replace(/[^A-Za-z0-9-]/g, '')}.pdf`;
}

/** "Monday, 16 March 2026", or "Monday, 16 March 2026 to Tuesday, 17 March 2026" for an event over more than one (London) day. */
export function eventDates(startsAt: string, endsAt: string): string {
  const first = formatLondon(startsAt, 'date');
  const last = formatLondon(endsAt, 'date');
  return first === last ? first : `${first} to ${last}`;
}

/** "3 hours", "1 hour", "1.5 hours". */
export function cpdHoursText(hours: number): string {
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

export interface CertificatePdfOptions {
  /** Tests turn compression off to read the text back. */
  compress?: boolean;
}

/** One A4 landscape page. Tagged, with a title and a language, so a screen reader reads it in order. */
export function renderCertificatePdf(certificate: CpdCertificate, options: CertificatePdfOptions = {}): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    compress: options.compress ?? true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    autoFirstPage: false,
    info: {
      Title: `CPD certificate ${certificate.number}: ${certificate.delegateName}`,
      Subject: certificate.eventTitle,
      Author: certificate.issuedBy,
      Creator: 'SENDCO Hub',
    },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.addPage();
  const { width, height } = doc.page;
  const textWidth = width - 2 * MARGIN - 40;
  const left = MARGIN + 20;

  // Decoration is an artifact: a screen reader skips it.
  doc.markContent('Artifact', { type: 'Layout' });
  doc.rect(MARGIN / 2, MARGIN / 2, width - MARGIN, height - MARGIN).lineWidth(2).stroke(BRAND);
  doc.rect(MARGIN / 2, MARGIN / 2, width - MARGIN, 56).fill(BRAND);
  doc.endMarkedContent();

  const root = doc.struct('Document');
  doc.addStructure(root);
  const paragraph = (type: 'H1' | 'P', font: 'regular' | 'bold', size: number, color: string, text: string, gapAfter: number) => {
    root.add(
      doc.struct(type, {}, () => {
        doc.font(font).fontSize(size).fillColor(color).text(text, left, doc.y, { width: textWidth, align: 'center' });
      }),
    );
    doc.y += gapAfter;
  };

  doc.y = MARGIN / 2 + 18;
  paragraph('P', 'bold', 16, '#ffffff', `SENDCO Hub · ${certificate.issuedBy}`, 64);
  const heading = 'Certificate of continuing professional development';
  paragraph('H1', 'bold', fittedSize(doc, heading, textWidth, 26, 20), INK, heading, 26);
  paragraph('P', 'regular', 14, SECONDARY, 'This is to certify that', 10);
  paragraph('P', 'bold', fittedSize(doc, certificate.delegateName, textWidth, 30, 18), INK, certificate.delegateName, 10);
  paragraph('P', 'regular', 14, SECONDARY, 'attended', 10);
  paragraph('P', 'bold', fittedSize(doc, certificate.eventTitle, textWidth, 20, 14), INK, certificate.eventTitle, 8);
  if (certificate.workshopTitle) paragraph('P', 'regular', 14, INK, `Workshop: ${certificate.workshopTitle}`, 8);
  paragraph('P', 'regular', 14, INK, eventDates(certificate.startsAt, certificate.endsAt), 16);
  if (certificate.cpdHours > 0) paragraph('P', 'bold', 16, BRAND, `${cpdHoursText(certificate.cpdHours)} of continuing professional development`, 0);

  // The footer sits at the foot of the page, inside the border, however long the text above: with
  // no bottom margin pdfkit does not start a second page for it.
  doc.page.margins.bottom = 0;
  doc.y = Math.min(Math.max(doc.y + 12, height - MARGIN - 44), height - MARGIN / 2 - 30);
  paragraph('P', 'regular', 10, SECONDARY, `Issued by the ${certificate.issuedBy} on ${formatLondon(certificate.issuedAt, 'date')}.`, 2);
  paragraph('P', 'regular', 10, SECONDARY, `Certificate number ${certificate.number}. Quote it if you ask us to confirm this certificate.`, 0);

  root.end();
  doc.end();
  return done;
}

/** The largest size from `max` down to `min` at which `text` fits on one line; below `min` it wraps. */
function fittedSize(doc: PDFKit.PDFDocument, text: string, width: number, max: number, min: number): number {
  doc.font('bold');
  for (let size = max; size > min; size -= 1) {
    if (doc.fontSize(size).widthOfString(text) <= width) return size;
  }
  return min;
}
