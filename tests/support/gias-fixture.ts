/**
 * A Get Information About Schools `edubasealldata` file in the real column layout, for tests of
 * the register import: the release's column order and names (including columns the import never
 * reads, such as the head's name), dd-MM-yyyy dates, quoted cells with commas, and optionally
 * Windows-1252 bytes as some releases are.
 */
/** The first columns of the edubasealldata header, in a 2025 release's order (about a third of them). */
export const GIAS_HEADER = [
  'URN', 'LA (code)', 'LA (name)', 'EstablishmentNumber', 'EstablishmentName', 'TypeOfEstablishment (code)',
  'TypeOfEstablishment (name)', 'EstablishmentTypeGroup (code)', 'EstablishmentTypeGroup (name)', 'EstablishmentStatus (code)',
  'EstablishmentStatus (name)', 'ReasonEstablishmentOpened (code)', 'ReasonEstablishmentOpened (name)', 'OpenDate',
  'ReasonEstablishmentClosed (code)', 'ReasonEstablishmentClosed (name)', 'CloseDate', 'PhaseOfEducation (code)',
  'PhaseOfEducation (name)', 'StatutoryLowAge', 'StatutoryHighAge', 'Boarders (code)', 'Boarders (name)',
  'NurseryProvision (name)', 'OfficialSixthForm (code)', 'OfficialSixthForm (name)', 'Gender (code)', 'Gender (name)',
  'ReligiousCharacter (code)', 'ReligiousCharacter (name)', 'SchoolCapacity', 'CensusDate', 'NumberOfPupils',
  'TrustSchoolFlag (code)', 'TrustSchoolFlag (name)', 'Trusts (code)', 'Trusts (name)', 'UKPRN', 'LastChangedDate',
  'Street', 'Locality', 'Address3', 'Town', 'County (name)', 'Postcode', 'SchoolWebsite', 'TelephoneNum',
  'HeadTitle (name)', 'HeadFirstName', 'HeadLastName', 'HeadPreferredJobTitle', 'TypeOfResourcedProvision (name)',
  'ResourcedProvisionOnRoll', 'ResourcedProvisionCapacity', 'GOR (code)', 'GOR (name)', 'Easting', 'Northing',
];

export interface FixtureSchool {
  urn: string;
  name: string;
  laCode?: string;
  laName?: string;
  type: string;
  status?: string;
  phase: string;
  openDate?: string;
  closeDate?: string;
  street?: string;
  town?: string;
  postcode?: string;
  website?: string;
  telephone?: string;
  trust?: string;
  resourcedProvision?: string;
}

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The CSV text of a GIAS file holding `schools`, with `header` (drift: reorder, drop or add columns). */
export function giasCsv(schools: FixtureSchool[], header: string[] = GIAS_HEADER): string {
  const rows = schools.map((s) => {
    const values: Record<string, string> = {
      URN: s.urn,
      'LA (code)': s.laCode ?? '931',
      'LA (name)': s.laName ?? 'Oxfordshire',
      EstablishmentNumber: s.urn.slice(2),
      EstablishmentName: s.name,
      'TypeOfEstablishment (name)': s.type,
      'EstablishmentStatus (name)': s.status ?? 'Open',
      'EstablishmentStatus (code)': s.status === 'Closed' ? '2' : '1',
      OpenDate: s.openDate ?? '',
      CloseDate: s.closeDate ?? '',
      'PhaseOfEducation (name)': s.phase,
      'Trusts (name)': s.trust ?? '',
      Street: s.street ?? '1 School Lane',
      Town: s.town ?? 'Oxford',
      Postcode: s.postcode ?? 'OX1 1AA',
      SchoolWebsite: s.website ?? '',
      TelephoneNum: s.telephone ?? '01865000000',
      // Columns the import must never take in (a real person's name stands here in the register).
      'HeadTitle (name)': 'Mrs',
      HeadFirstName: 'Headteacher',
      HeadLastName: `Of ${s.urn}`,
      'TypeOfResourcedProvision (name)': s.resourcedProvision ?? 'Not applicable',
      'GOR (name)': 'South East',
      LastChangedDate: '01-09-2025',
    };
    return header.map((h) => cell(values[h] ?? '')).join(',');
  });
  return `${[header.map(cell).join(','), ...rows].join('\r\n')}\r\n`;
}

/** The file's bytes as a Windows-1252 release has them (one byte per Latin-1 letter). */
export function windows1252(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

const TYPES = [
  { type: 'Community school', phase: 'Primary' },
  { type: 'Academy converter', phase: 'Secondary' },
  { type: 'Voluntary aided school', phase: 'Primary' },
  { type: 'Academy sponsor led', phase: 'All-through' },
  { type: 'Foundation school', phase: 'Middle deemed secondary' },
  { type: 'Free schools 16 to 19', phase: '16 plus' },
  { type: 'Local authority nursery school', phase: 'Nursery' },
];

/**
 * Several hundred schools of one authority and some of another, in the register's shapes: every
 * twentieth a special school (community, academy, non-maintained), a pupil referral unit, a
 * children's centre the directory does not serve, and trusts on the academies.
 */
export function generatedAuthority(count: number, laCode = '931', firstUrn = 123000): FixtureSchool[] {
  return Array.from({ length: count }, (_, i) => {
    const urn = String(firstUrn + i);
    if (i % 20 === 7) return { urn, laCode, name: `Meadow ${i} Special School`, type: ['Community special school', 'Academy special converter', 'Non-maintained special school'][i % 3], phase: 'Not applicable' };
    if (i % 50 === 13) return { urn, laCode, name: `Riverside ${i} Pupil Referral Unit`, type: 'Pupil referral unit', phase: 'Not applicable' };
    if (i % 75 === 31) return { urn, laCode, name: `Sure Start ${i} Children's Centre`, type: "Children's centre", phase: 'Not applicable' };
    const { type, phase } = TYPES[i % TYPES.length];
    return { urn, laCode, name: `School ${i}, ${phase}`, type, phase, trust: type.startsWith('Academy') ? `Trust ${i % 9}` : undefined, openDate: '01-09-2011' };
  });
}
