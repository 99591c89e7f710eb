/**
 * The CPD certificate PDF, read back as a PDF reader would: uncompressed, each font's ToUnicode
 * map turns the glyph codes of the page's text back into the characters a person sees (and a
 * screen reader reads, and copy and paste gives).
 */
import type { CpdCertificate } from '@sendco/queue';
import { certificateFilename, cpdHoursText, eventDates, renderCertificatePdf } from './cpd-certificate';

const certificate: CpdCertificate = {
  number: 'CPD-000123',
  delegateName: 'Grace Okafor',
  eventTitle: 'Preparing for Ofsted, part 1',
  workshopTitle: 'Sensory regulation strategies',
  startsAt: '2026-03-16T09:30:00Z',
  endsAt: '2026-03-16T12:00:00Z',
  cpdHours: 2.5,
  issuedAt: '2026-03-16T15:00:00Z',
  issuedBy: 'SEND Training Team',
};

/**
 * The page's text once per embedded font (pdfkit gives each font its own glyph codes, so the text
 * set in one font reads right only through that font's map). Enough of PDF for pdfkit's output:
 * `[<hex> kern <hex>] TJ` runs of 4-digit codes and `beginbfrange` maps of `<first> <last> [<utf16>…]`.
 */
function textByFont(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const runs = [...source.matchAll(/\[([^\]]*)\] TJ/g)].map(([, run]) => [...run.matchAll(/<([0-9a-f]+)>/gi)].map(([, hex]) => hex).join(''));
  const maps = [...source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)].map(([, body]) => {
    const map = new Map<number, string>();
    for (const [, first, entries] of body.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
      [...entries.matchAll(/<([0-9a-f ]+)>/gi)].forEach(([, units], i) => {
        map.set(parseInt(first, 16) + i, String.fromCharCode(...units.split(' ').map((u) => parseInt(u, 16))));
      });
    }
    return map;
  });
  return maps.map((map) => runs.map((run) => (run.match(/.{4}/g) ?? []).map((code) => map.get(parseInt(code, 16)) ?? '\uFFFD').join('')).join('\n'));
}

const readable = (pdf: Buffer, text: string) => textByFont(pdf).some((t) => t.includes(text));

describe('the CPD certificate PDF', () => {
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await renderCertificatePdf(certificate, { compress: false });
  });

  it('is a complete PDF of one page', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
  });

  it("names the delegate, the event, the workshop, the London date, the CPD hours and the certificate's number", () => {
    expect(readable(pdf, 'Grace Okafor')).toBe(true);
    expect(readable(pdf, 'Preparing for Ofsted, part 1')).toBe(true);
    expect(readable(pdf, 'Workshop: Sensory regulation strategies')).toBe(true);
    expect(textByFont(pdf).some((t) => /Monday,? 16 March 2026/.test(t))).toBe(true);
    expect(readable(pdf, '2.5 hours of continuing professional development')).toBe(true);
    expect(readable(pdf, 'CPD-000123')).toBe(true);
    expect(readable(pdf, 'SEND Training Team')).toBe(true);
  });

  it('is tagged, in British English, with a title that names the delegate', () => {
    const source = pdf.toString('latin1');
    expect(source).toContain('/StructTreeRoot');
    expect(source).toContain('/Lang (en-GB)');
    expect(source).toContain('/DisplayDocTitle true');
  });

  it('spells names outside Windows-1252 right (the built-in PDF fonts cannot)', async () => {
    const polish = await renderCertificatePdf({ ...certificate, delegateName: 'Łucja Wiśniewska' }, { compress: false });
    const vietnamese = await renderCertificatePdf({ ...certificate, delegateName: 'Nguyễn Thị Lan' }, { compress: false });
    expect(readable(polish, 'Łucja Wiśniewska')).toBe(true);
    expect(readable(vietnamese, 'Nguyễn Thị Lan')).toBe(true);
  });

  it('leaves out the workshop and the hours when there are none', async () => {
    const { workshopTitle, ...plain } = certificate;
    const noHours = await renderCertificatePdf({ ...plain, cpdHours: 0 }, { compress: false });
    expect(readable(noHours, 'Grace Okafor')).toBe(true);
    expect(readable(noHours, 'Workshop')).toBe(false);
    expect(readable(noHours, 'hours of continuing')).toBe(false);
  });

  it('keeps very long names and titles on the one page', async () => {
    const long = await renderCertificatePdf(
      { ...certificate, delegateName: 'Delegate '.repeat(22).trim(), eventTitle: 'Event title '.repeat(16).trim(), workshopTitle: 'Workshop '.repeat(22).trim() },
      { compress: false },
    );
    expect(long.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
  });

  it('is compressed by default', async () => {
    const compressed = await renderCertificatePdf(certificate);
    expect(compressed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(compressed.length).toBeLessThan(pdf.length);
    expect(compressed.toString('latin1')).toContain('/FlateDecode');
  });
});

describe('certificate wording', () => {
  it('gives one date for a one-day event and both for a longer one, in London time', () => {
    expect(eventDates('2026-03-16T09:30:00Z', '2026-03-16T15:00:00Z')).toMatch(/^Monday,? 16 March 2026$/);
    expect(eventDates('2026-03-16T09:30:00Z', '2026-03-17T15:00:00Z')).toMatch(/^Monday,? 16 March 2026 to Tuesday,? 17 March 2026$/);
    // 23:30 UTC on 31 July is 00:30 on 1 August in London (BST).
    expect(eventDates('2026-07-31T23:30:00Z', '2026-08-01T02:00:00Z')).toMatch(/^Saturday,? 1 August 2026$/);
  });

  it('says hour or hours', () => {
    expect(cpdHoursText(1)).toBe('1 hour');
    expect(cpdHoursText(1.5)).toBe('1.5 hours');
    expect(cpdHoursText(6)).toBe('6 hours');
  });

  it('names the file after the certificate, with nothing a mail client could misread', () => {
    expect(certificateFilename({ number: 'CPD-000123' })).toBe('cpd-certificate-CPD-000123.pdf');
    expect(certificateFilename({ number: '../CPD 7' })).toBe('cpd-certificate-CPD7.pdf');
  });
});
