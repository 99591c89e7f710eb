import { gzipSync } from 'node:zlib';
import { SchoolPhase } from '../schools/school-phase';
import { SchoolStatus } from '../schools/school-status';
import { decodeGiasFile, GiasFileError, giasDate, readGiasRows } from './gias-file';
import { directoryPhase, mapGiasRow } from './gias-mapping';

const HEADER = 'URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),OpenDate,CloseDate,HeadFirstName';

describe('directoryPhase: GIAS type and phase → the directory phase', () => {
  it.each([
    ['Community special school', 'Not applicable', SchoolPhase.SPECIAL],
    ['Academy special converter', 'Secondary', SchoolPhase.SPECIAL],
    ['Foundation special school', 'Primary', SchoolPhase.SPECIAL],
    ['Non-maintained special school', 'Not applicable', SchoolPhase.SPECIAL],
    ['Free schools special', 'All-through', SchoolPhase.SPECIAL],
    ['Other independent special school', 'Not applicable', SchoolPhase.SPECIAL],
    ['Special post 16 institution', '16 plus', SchoolPhase.SPECIAL],
    ['Pupil referral unit', 'Not applicable', SchoolPhase.ALTERNATIVE_PROVISION],
    ['Academy alternative provision converter', 'Secondary', SchoolPhase.ALTERNATIVE_PROVISION],
    ['Community school', 'Primary', SchoolPhase.PRIMARY],
    ['Community school', 'Middle deemed primary', SchoolPhase.PRIMARY],
    ['Academy converter', 'Middle deemed secondary', SchoolPhase.SECONDARY],
    ['Academy sponsor led', 'All-through', SchoolPhase.ALL_THROUGH],
    ['Free schools 16 to 19', '16 plus', SchoolPhase.POST_16],
    ['Further education', 'Not applicable', SchoolPhase.POST_16],
    ['Sixth form centres', 'Not applicable', SchoolPhase.POST_16],
    ['Local authority nursery school', 'Not applicable', SchoolPhase.EARLY_YEARS],
    ['Local authority nursery school', 'Nursery', SchoolPhase.EARLY_YEARS],
  ])('%s, %s → %s', (type, phase, expected) => expect(directoryPhase(type, phase)).toBe(expected));

  it.each([["Children's centre"], ['Higher education institutions'], ['Welsh establishment'], ['Online provider'], ['Miscellaneous']])(
    '%s with no phase is not a school the directory serves',
    (type) => expect(directoryPhase(type, 'Not applicable')).toBeUndefined(),
  );
});

describe('giasDate', () => {
  it('reads dd-MM-yyyy and refuses what is not a date', () => {
    expect(giasDate('01-09-2011')).toBe('2011-09-01');
    expect(giasDate('29-02-2024')).toBe('2024-02-29');
    expect(giasDate('')).toBeNull();
    expect(giasDate('29-02-2023')).toBeUndefined();
    expect(giasDate('2011-09-01')).toBeUndefined();
    expect(giasDate('31-13-2011')).toBeUndefined();
  });
});

describe('reading a GIAS file', () => {
  const csv = `${HEADER}\r\n123456,931,Oxfordshire,St Thérèse Primary,Community school,Open,Primary,01-09-2011,,Anne\r\n654321,202,Camden,Elsewhere School,Community school,Open,Primary,,,Bob\r\n`;

  it('takes UTF-8, Windows-1252 and gzipped bytes alike', () => {
    expect(decodeGiasFile(Buffer.from(csv, 'utf8'))).toBe(csv);
    expect(decodeGiasFile(Buffer.from(csv, 'latin1'))).toBe(csv);
    expect(decodeGiasFile(gzipSync(Buffer.from(csv, 'latin1')))).toBe(csv);
    expect(decodeGiasFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]))).toBe(csv);
  });

  it("keeps the authority's rows only, reads columns by name whatever their order, and never the head's name", () => {
    const { rows, otherAuthorityRows } = readGiasRows(csv, '931');
    expect(otherAuthorityRows).toBe(1);
    expect(rows).toHaveLength(1);
    expect(rows[0].line).toBe(2);
    expect(rows[0].values.name).toBe('St Thérèse Primary');
    expect(JSON.stringify(rows[0])).not.toContain('Anne');
    const reordered = 'establishmentname,PhaseOfEducation(name),urn,LA(code),EstablishmentStatus (name),TypeOfEstablishment (name),Extra\r\nX School,Primary,111111,931,Open,Community school,zz\r\n';
    expect(readGiasRows(reordered, '931').rows[0].values).toMatchObject({ urn: '111111', name: 'X School', phase: 'Primary', street: '' });
  });

  it('names the required columns a file lacks', () => {
    expect(() => readGiasRows('URN,EstablishmentName\r\n123456,X\r\n', '931')).toThrow(GiasFileError);
    try {
      readGiasRows('URN,EstablishmentName\r\n123456,X\r\n', '931');
    } catch (error) {
      expect((error as GiasFileError).problems[0].message).toMatch(/"LA \(code\)".*"TypeOfEstablishment \(name\)".*"EstablishmentStatus \(name\)".*"PhaseOfEducation \(name\)"/);
    }
  });
});

describe('mapGiasRow', () => {
  const row = (values: Record<string, string>, line = 5) => readGiasRows(`${HEADER}\r\n${[values.urn ?? '123456', '931', 'Oxfordshire', values.name ?? 'A School', values.type ?? 'Community school', values.status ?? 'Open', values.phase ?? 'Primary', values.open ?? '', values.close ?? '', ''].join(',')}\r\n`.replace(/^/, ''), '931').rows.map((r) => ({ ...r, line }))[0];

  it('maps an open school with its details', () => {
    const mapped = mapGiasRow(row({ open: '01-09-2011' }));
    expect(mapped).toMatchObject({ kind: 'school', school: { urn: '123456', phase: SchoolPhase.PRIMARY, status: SchoolStatus.OPEN, laCode: '931', laName: 'Oxfordshire', openedOn: '2011-09-01', closedOn: null } });
  });

  it('maps a closed school with its closing date', () => {
    expect(mapGiasRow(row({ status: 'Closed', close: '31-08-2024' }))).toMatchObject({ kind: 'school', school: { status: SchoolStatus.CLOSED, closedOn: '2024-08-31' } });
  });

  it('skips what the directory does not serve, saying why', () => {
    expect(mapGiasRow(row({ type: "Children's centre", phase: 'Not applicable' }))).toEqual({ kind: 'skip', urn: '123456', reason: expect.stringContaining("Children's centre") });
  });

  it('names every bad cell by line and column', () => {
    const mapped = mapGiasRow(row({ urn: '12345', status: 'Shut', open: '2011-09-01' }, 9));
    expect(mapped.kind).toBe('bad');
    expect(mapped.kind === 'bad' && mapped.problems.map((p) => p.field)).toEqual(['file.9.URN', 'file.9.EstablishmentStatus (name)', 'file.9.OpenDate']);
  });
});
