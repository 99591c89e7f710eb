/**
 * The register as CSV (RFC 4180: CRLF line ends, fields quoted where they must be), for the
 * training team to open in a spreadsheet on the day. The school is its URN: school names belong
 * to the directory subgraph, whose tables this subgraph never reads.
 */
import { stringify } from 'csv-stringify/sync';
import type { PlaceStatus } from '../bookings/place-status';

export interface RegisterRow {
  reference: string;
  delegateName: string;
  delegateEmail: string;
  jobTitle?: string | null;
  schoolUrn: string;
  workshop?: string | null;
  status: PlaceStatus;
  accessRequirements?: string | null;
  dietaryRequirements?: string | null;
}

export const REGISTER_COLUMNS: readonly { key: keyof RegisterRow; header: string }[] = [
  { key: 'reference', header: 'Booking reference' },
  { key: 'delegateName', header: 'Delegate name' },
  { key: 'delegateEmail', header: 'Email' },
  { key: 'jobTitle', header: 'Job title' },
  { key: 'schoolUrn', header: 'School URN' },
  { key: 'workshop', header: 'Workshop' },
  { key: 'status', header: 'Status' },
  { key: 'accessRequirements', header: 'Access requirements' },
  { key: 'dietaryRequirements', header: 'Dietary requirements' },
];

// What a spreadsheet takes as the start of a formula (OWASP's list): "=HYPERLINK(…)" typed by a
// school as a job title must reach the training team as text, not run on their machine.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet will show as typed: one that would start a formula gets a leading '. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function registerCsv(rows: readonly RegisterRow[]): string {
  const records = rows.map((row) => REGISTER_COLUMNS.map(({ key }) => neutraliseFormula(row[key] ?? '')));
  return stringify(records, {
    header: true,
    columns: REGISTER_COLUMNS.map((c) => c.header),
    record_delimiter: 'windows',
    // csv-stringify quotes a field holding the record delimiter (CRLF) but not a bare LF or CR, which
    // spreadsheets also take as the end of a row: an access requirement typed on two lines would split.
    quoted_match: /[\r\n]/,
  });
}
