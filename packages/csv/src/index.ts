/**
 * CSV in and out, one way for every subgraph: files a council officer opens in a spreadsheet
 * (RFC 4180, CRLF, formula-safe cells) and files a school uploads (csv-parse, with the line
 * number of every record so that a bad row can be named).
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

// What a spreadsheet takes as the start of a formula (OWASP's list): "=HYPERLINK(…)" typed by a
// school must reach the council as text, not run on their machine.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet will show as typed: one that would start a formula gets a leading '. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** A header row and records as CSV text; every cell formula-safe. */
export function csvTable(headers: readonly string[], records: readonly (readonly (string | number | null | undefined)[])[]): string {
  return stringify(
    records.map((record) => record.map((cell) => (typeof cell === 'number' ? String(cell) : neutraliseFormula(cell ?? '')))),
    {
      header: true,
      columns: [...headers],
      record_delimiter: 'windows',
      // csv-stringify quotes a field holding the record delimiter (CRLF) but not a bare LF or CR, which
      // spreadsheets also take as the end of a row: a cell typed on two lines would split.
      quoted_match: /[\r\n]/,
    },
  );
}

export interface CsvRecord {
  /** The line of the file the record starts on (1 is the header). */
  line: number;
  /** Cells by header name, trimmed. */
  cells: Record<string, string>;
  /** How many cells the record had (a record with more or fewer than the header is a problem to report). */
  cellCount: number;
}

/** The file cannot be read as CSV at all (an unclosed quote): nothing after `line` can be trusted. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    public readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Parses CSV with a header row into records keyed by the (trimmed, lower-cased) header names,
 * each with the line it starts on. Blank lines are skipped. Records with the wrong number of
 * cells are returned (with `cellCount`) so the caller can report every bad row, not just the first.
 */
export function parseCsvWithHeader(text: string): { headers: string[]; records: CsvRecord[] } {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as never;
  } catch (error) {
    const e = error as { message: string; lines?: number };
    throw new CsvSyntaxError(e.message, e.lines);
  }
  if (rows.length === 0) return { headers: [], records: [] };
  const headers = rows[0].record.map((h) => h.trim().toLowerCase());
  const records = rows.slice(1).map(({ record, info }) => ({
    // info.lines is where the record ends; a quoted cell may span lines.
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    cells: Object.fromEntries(headers.map((h, i) => [h, (record[i] ?? '').trim()])),
    cellCount: record.length,
  }));
  return { headers, records };
}
