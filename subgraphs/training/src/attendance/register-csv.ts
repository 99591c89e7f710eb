/**
 * The register as CSV (RFC 4180: CRLF line ends, fields quoted where they must be), for the
 * training team to open in a spreadsheet on the day. The school is its URN: school names belong
 * to the directory subgraph, whose tables this subgraph never reads.
 */
import { csvTable } from '@sendco/csv';
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

export function registerCsv(rows: readonly RegisterRow[]): string {
  return csvTable(
    REGISTER_COLUMNS.map((c) => c.header),
    rows.map((row) => REGISTER_COLUMNS.map(({ key }) => row[key] ?? '')),
  );
}
