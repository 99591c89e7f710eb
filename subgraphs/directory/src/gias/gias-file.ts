/**
 * Reading the national schools register: Get Information About Schools' `edubasealldata` CSV
 * (or an extract of it), as downloaded. Three things about that file shape this code:
 *
 * - it is not always UTF-8: older and some current releases are Windows-1252 (Latin-1), so a name
 *   like "St Thérèse" arrives as one byte per letter. Bytes that are not valid UTF-8 are read as
 *   Windows-1252 instead (a superset of Latin-1 for printable characters);
 * - its columns drift between releases (added, removed, reordered, "LA (code)" vs "LA(code)"):
 *   columns are found by name, spaces and case ignored, and only the ones listed here are read —
 *   nothing about the heads of schools or anyone else is taken in;
 * - dates are dd-MM-yyyy.
 *
 * It may be gzipped (the mutation takes it base64-encoded and, for a large file, compressed).
 */
import { gunzipSync } from 'node:zlib';
import { parseCsvWithHeader, CsvSyntaxError } from '@sendco/csv';
import type { FieldProblem } from '@sendco/errors';

/** The columns read, by their GIAS names. `required` ones must be in the header. */
export const GIAS_COLUMNS = {
  urn: { header: 'URN', required: true },
  name: { header: 'EstablishmentName', required: true },
  laCode: { header: 'LA (code)', required: true },
  laName: { header: 'LA (name)', required: false },
  establishmentType: { header: 'TypeOfEstablishment (name)', required: true },
  status: { header: 'EstablishmentStatus (name)', required: true },
  phase: { header: 'PhaseOfEducation (name)', required: true },
  street: { header: 'Street', required: false },
  town: { header: 'Town', required: false },
  postcode: { header: 'Postcode', required: false },
  website: { header: 'SchoolWebsite', required: false },
  telephone: { header: 'TelephoneNum', required: false },
  trust: { header: 'Trusts (name)', required: false },
  resourcedProvision: { header: 'TypeOfResourcedProvision (name)', required: false },
  openedOn: { header: 'OpenDate', required: false },
  closedOn: { header: 'CloseDate', required: false },
} as const;

export type GiasColumn = keyof typeof GIAS_COLUMNS;

/** One row of the register as read: every value a trimmed string, '' when empty or absent. */
export interface GiasRow {
  line: number;
  values: Record<GiasColumn, string>;
}

/** The largest file taken (the whole national file is about 60 MB). */
export const MAX_GIAS_FILE_BYTES = 200 * 1024 * 1024;

/** "TypeOfEstablishment (name)" and "typeofestablishment(name)" are one column. */
const columnKey = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Text from the file's bytes: gunzipped when gzipped, UTF-8 when it is valid UTF-8, else Windows-1252. */
export function decodeGiasFile(bytes: Buffer): string {
  const raw = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes, { maxOutputLength: MAX_GIAS_FILE_BYTES }) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
  } catch {
    return new TextDecoder('windows-1252').decode(raw);
  }
}

export class GiasFileError extends Error {
  constructor(public readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'GiasFileError';
  }
}

/**
 * The rows of the file whose `LA (code)` is `laCode` (the council's own schools), with the line
 * each starts on, and how many rows belonged to other authorities. Missing required columns are
 * a GiasFileError naming them.
 */
export function readGiasRows(text: string, laCode: string, field = 'file'): { rows: GiasRow[]; otherAuthorityRows: number } {
  let parsed: ReturnType<typeof parseCsvWithHeader>;
  try {
    parsed = parseCsvWithHeader(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new GiasFileError([{ field, message: `is not CSV${error.line ? ` (line ${error.line})` : ''}: ${error.message}` }]);
    throw error;
  }
  const headerByKey = new Map(parsed.headers.map((h) => [columnKey(h), h]));
  const headerOf = Object.fromEntries(
    Object.entries(GIAS_COLUMNS).map(([column, { header }]) => [column, headerByKey.get(columnKey(header))]),
  ) as Record<GiasColumn, string | undefined>;
  const missing = (Object.keys(GIAS_COLUMNS) as GiasColumn[]).filter((c) => GIAS_COLUMNS[c].required && !headerOf[c]);
  if (missing.length) {
    throw new GiasFileError([
      { field, message: `has no column ${missing.map((c) => `"${GIAS_COLUMNS[c].header}"`).join(', ')}: is it the GIAS edubasealldata CSV (or an extract with its header row)?` },
    ]);
  }
  const rows: GiasRow[] = [];
  let otherAuthorityRows = 0;
  for (const record of parsed.records) {
    const values = Object.fromEntries(
      (Object.keys(GIAS_COLUMNS) as GiasColumn[]).map((c) => [c, headerOf[c] ? (record.cells[headerOf[c]!] ?? '').trim() : '']),
    ) as Record<GiasColumn, string>;
    if (values.laCode !== laCode) {
      otherAuthorityRows += 1;
      continue;
    }
    rows.push({ line: record.line, values });
  }
  return { rows, otherAuthorityRows };
}

/** dd-MM-yyyy (GIAS) → yyyy-mm-dd; '' → null; anything else undefined (a bad date). */
export function giasDate(value: string): string | null | undefined {
  if (!value) return null;
  const match = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(value);
  if (!match) return undefined;
  const [, dd, mm, yyyy] = match;
  const date = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  if (date.getUTCDate() !== Number(dd) || date.getUTCMonth() !== Number(mm) - 1) return undefined;
  return `${yyyy}-${mm}-${dd}`;
}
