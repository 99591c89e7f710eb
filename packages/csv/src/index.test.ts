import { csvTable, CsvSyntaxError, neutraliseFormula, parseCsvWithHeader } from './index';

describe('csvTable', () => {
  it('writes CRLF records, quotes cells holding line breaks and neutralises formulas', () => {
    expect(csvTable(['a', 'b'], [['=SUM(A1)', 'two\nlines'], [3, null]])).toBe('a,b\r\n\'=SUM(A1),"two\nlines"\r\n3,\r\n');
  });

  it.each(['=1', '+1', '-1', '@x', '\tx'])('neutralises %j', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });
});

describe('parseCsvWithHeader', () => {
  it('keys cells by lower-cased header and gives the line each record starts on', () => {
    const { headers, records } = parseCsvWithHeader('\uFEFFRef, Year \r\nP1, 7\r\n\r\n"P2","x\ny"\r\nP3,9\r\n');
    expect(headers).toEqual(['ref', 'year']);
    expect(records).toEqual([
      { line: 2, cells: { ref: 'P1', year: '7' }, cellCount: 2 },
      { line: 4, cells: { ref: 'P2', year: 'x\ny' }, cellCount: 2 },
      { line: 6, cells: { ref: 'P3', year: '9' }, cellCount: 2 },
    ]);
  });

  it('returns records with the wrong number of cells for the caller to report', () => {
    expect(parseCsvWithHeader('a,b\n1,2,3\n4\n').records.map((r) => [r.line, r.cellCount])).toEqual([
      [2, 3],
      [3, 1],
    ]);
  });

  it('refuses a file that is not CSV, naming the line', () => {
    expect(() => parseCsvWithHeader('a,b\n1,"2\n')).toThrow(CsvSyntaxError);
  });

  it('reads an empty file as no headers and no records', () => {
    expect(parseCsvWithHeader('')).toEqual({ headers: [], records: [] });
  });
});
