import { parseSubscriberCsv } from './subscriber-import';
import { BulletinFrequency } from './subscriber.enums';

describe('parseSubscriberCsv', () => {
  it('reads every column, with topics split on ";" and addresses lower-cased', () => {
    const { rows, problems } = parseSubscriberCsv(
      '\ufeffEmail,Name,Role,School URN,Topics,Frequency,Opted in at\nSam.Patel@Example.org,Sam Patel,SENDCO,900001,send-live; training,weekly_digest,2025-09-01\njo@example.org,,,,,,2024-01-15T10:30:00Z\n',
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, email: 'sam.patel@example.org', name: 'Sam Patel', role: 'SENDCO', schoolUrn: '900001', topics: ['send-live', 'training'], frequency: BulletinFrequency.WEEKLY_DIGEST, optedInAt: new Date('2025-09-01') },
      { line: 3, email: 'jo@example.org', name: null, role: null, schoolUrn: null, topics: [], frequency: BulletinFrequency.EACH_BULLETIN, optedInAt: new Date('2024-01-15T10:30:00Z') },
    ]);
  });

  it('names each bad cell by line and column', () => {
    const { problems } = parseSubscriberCsv('email,school_urn,frequency,opted_in_at\nnope,12345,DAILY,yesterday\nok@example.org,,,2025-01-01\nOK@example.org,,,2025-01-01');
    expect(problems).toEqual([
      { field: 'csv.2.email', message: 'is not an email address' },
      { field: 'csv.2.school_urn', message: 'must be a 6-digit URN' },
      { field: 'csv.2.frequency', message: 'must be EACH_BULLETIN or WEEKLY_DIGEST' },
      { field: 'csv.2.opted_in_at', message: 'must be a date (YYYY-MM-DD)' },
      { field: 'csv.4.email', message: 'repeats line 3' },
    ]);
  });

  it('refuses a row without consent evidence: opted_in_at is required, and not in the future', () => {
    const now = new Date('2026-12-03T08:00:00Z');
    const { rows, problems } = parseSubscriberCsv('email,opted_in_at\nno.date@example.org,\nlater@example.org,2027-01-01\nok@example.org,2026-12-01', now);
    expect(problems).toEqual([
      { field: 'csv.2.opted_in_at', message: expect.stringMatching(/^is required: the date this person opted in/) },
      { field: 'csv.3.opted_in_at', message: 'must not be in the future' },
    ]);
    expect(rows[2].optedInAt).toEqual(new Date('2026-12-01'));
    // A file without the column at all: every row is refused.
    expect(parseSubscriberCsv('email\na@example.org\nb@example.org', now).problems.map((p) => p.field)).toEqual(['csv.2.opted_in_at', 'csv.3.opted_in_at']);
  });

  it('refuses a file without an email column, with unknown columns, or with no rows', () => {
    expect(parseSubscriberCsv('name\nSam').problems).toEqual([{ field: 'csv', message: 'needs a header row with an "email" column' }]);
    expect(parseSubscriberCsv('email,shoe_size\na@example.org,9').problems[0].message).toMatch(/unknown columns: shoe_size/);
    expect(parseSubscriberCsv('email\n').problems).toEqual([{ field: 'csv', message: 'has no subscribers below its header' }]);
    expect(parseSubscriberCsv('email\n"unterminated').problems[0]).toMatchObject({ field: 'csv', message: expect.stringMatching(/^is not valid CSV/) });
  });
});
