import { PlaceStatus } from '../bookings/place-status';
import { neutraliseFormula } from '@sendco/csv';
import { registerCsv, type RegisterRow } from './register-csv';

const row: RegisterRow = {
  reference: 'TRN-7KD4MQ2X',
  delegateName: 'Asha Patel',
  delegateEmail: 'asha@school1.example.org',
  jobTitle: 'SENDCO',
  schoolUrn: '910001',
  workshop: 'Primary phase',
  status: PlaceStatus.ATTENDED,
  accessRequirements: null,
  dietaryRequirements: 'Vegetarian',
};

const HEADER = 'Booking reference,Delegate name,Email,Job title,School URN,Workshop,Status,Access requirements,Dietary requirements';

describe('registerCsv', () => {
  it('has a header row and one row per place, with CRLF line ends', () => {
    expect(registerCsv([row, { ...row, delegateName: 'Ben Okafor', status: PlaceStatus.NO_SHOW, workshop: undefined, jobTitle: undefined }])).toBe(
      `${HEADER}\r\n` +
        'TRN-7KD4MQ2X,Asha Patel,asha@school1.example.org,SENDCO,910001,Primary phase,ATTENDED,,Vegetarian\r\n' +
        'TRN-7KD4MQ2X,Ben Okafor,asha@school1.example.org,,910001,,NO_SHOW,,Vegetarian\r\n',
    );
  });

  it('is only the header for an event with no places', () => {
    expect(registerCsv([])).toBe(`${HEADER}\r\n`);
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    const csv = registerCsv([{ ...row, delegateName: 'Patel, Asha', jobTitle: 'Deputy "SEN" lead', accessRequirements: 'Step-free access\nHearing loop' }]);
    expect(csv.split('\r\n')[1]).toBe('TRN-7KD4MQ2X,"Patel, Asha",asha@school1.example.org,"Deputy ""SEN"" lead",910001,Primary phase,ATTENDED,"Step-free access\nHearing loop",Vegetarian');
  });

  it('keeps cells that a spreadsheet would run as formulas as text', () => {
    const csv = registerCsv([{ ...row, delegateName: '=HYPERLINK("http://evil.example","Click")', jobTitle: '+44 1865', dietaryRequirements: '@SUM(A1:A9)', accessRequirements: '-1+2' }]);
    const cells = csv.split('\r\n')[1];
    expect(cells).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    expect(cells).toContain("'+44 1865");
    expect(cells).toContain("'@SUM(A1:A9)");
    expect(cells).toContain("'-1+2");
  });
});

describe('neutraliseFormula', () => {
  it.each(['=1+1', '+1', '-1', '@cmd', '\t=1', '\r=1'])('prefixes %j with a quote', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });

  it.each(['Asha Patel', '', 'a=b', 'TRN-7KD4MQ2X', "O'Brien"])('leaves %j alone', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });
});
