/**
 * An editor's existing list, as CSV: a header row, then one subscriber a row. Columns: email
 * (required), name, role, school_urn, topics (slugs separated by ";"), frequency
 * (EACH_BULLETIN / WEEKLY_DIGEST), opted_in_at (ISO date, required: the consent evidence, kept as
 * the subscriber's confirmation date; a row without it would be a subscriber nobody can show
 * agreed). Every problem is reported as `csv.<line>.<column>`; the service imports nothing unless
 * every row is good.
 */
import { parse } from 'csv-parse/sync';
import { isEmail } from 'class-validator';
import type { FieldProblem } from '@sendco/errors';
import { BulletinFrequency } from './subscriber.enums';
import { normaliseEmail } from './subscription-rules';

export const MAX_IMPORT_ROWS = 20_000;
const COLUMNS = ['email', 'name', 'role', 'school_urn', 'topics', 'frequency', 'opted_in_at'] as const;

export interface ImportRow {
  line: number;
  email: string;
  name: string | null;
  role: string | null;
  schoolUrn: string | null;
  topics: string[];
  frequency: BulletinFrequency;
  /** When the person opted in, from the file: the consent evidence. */
  optedInAt: Date;
}

export function parseSubscriberCsv(csv: string, now: Date = new Date()): { rows: ImportRow[]; problems: FieldProblem[] } {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    return { rows: [], problems: [{ field: 'csv', message: `is not valid CSV (${(error as Error).message.split('\n')[0]})` }] };
  }
  const [header, ...body] = records;
  const columns = (header ?? []).map((c) => c.toLowerCase().replace(/\s+/g, '_'));
  if (!columns.includes('email')) return { rows: [], problems: [{ field: 'csv', message: 'needs a header row with an "email" column' }] };
  const unknown = columns.filter((c) => !(COLUMNS as readonly string[]).includes(c));
  if (unknown.length) return { rows: [], problems: [{ field: 'csv', message: `has unknown columns: ${unknown.join(', ')} (expected ${COLUMNS.join(', ')})` }] };
  if (body.length === 0) return { rows: [], problems: [{ field: 'csv', message: 'has no subscribers below its header' }] };
  if (body.length > MAX_IMPORT_ROWS) return { rows: [], problems: [{ field: 'csv', message: `has more than ${MAX_IMPORT_ROWS} rows; split it` }] };

  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  const rows = body.map((record, i) => {
    const line = i + 2; // 1-based, after the header
    const cell = (column: (typeof COLUMNS)[number]) => {
      const at = columns.indexOf(column);
      const value = at < 0 ? '' : (record[at] ?? '').trim();
      return value === '' ? null : value;
    };
    const problem = (column: string, message: string) => problems.push({ field: `csv.${line}.${column}`, message });
    const email = normaliseEmail(cell('email') ?? '');
    if (!isEmail(email)) problem('email', 'is not an email address');
    else if (seen.has(email)) problem('email', `repeats line ${seen.get(email)}`);
    else seen.set(email, line);
    const schoolUrn = cell('school_urn');
    if (schoolUrn && !/^\d{6}$/.test(schoolUrn)) problem('school_urn', 'must be a 6-digit URN');
    const frequency = (cell('frequency')?.toUpperCase() ?? BulletinFrequency.EACH_BULLETIN) as BulletinFrequency;
    if (!Object.values(BulletinFrequency).includes(frequency)) problem('frequency', `must be ${Object.values(BulletinFrequency).join(' or ')}`);
    const optedIn = cell('opted_in_at');
    const optedInAt = new Date(optedIn ?? Number.NaN);
    if (!optedIn) problem('opted_in_at', 'is required: the date this person opted in to the list (consent evidence; without it they must sign up themselves)');
    else if (Number.isNaN(optedInAt.getTime())) problem('opted_in_at', 'must be a date (YYYY-MM-DD)');
    else if (optedInAt.getTime() > now.getTime()) problem('opted_in_at', 'must not be in the future');
    const name = cell('name');
    if (name && name.length > 200) problem('name', 'is longer than 200 characters');
    return {
      line,
      email,
      name,
      role: cell('role'),
      schoolUrn,
      topics: (cell('topics') ?? '').split(';').map((t) => t.trim()).filter(Boolean),
      frequency,
      optedInAt,
    };
  });
  return { rows, problems };
}
