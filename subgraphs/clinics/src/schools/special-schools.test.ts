import { requireSpecialSchool, type DirectorySchool, type SchoolDirectory } from './special-schools';

const directory = (schools: DirectorySchool[]): SchoolDirectory => ({ find: async (urn) => schools.find((s) => s.urn === urn) ?? null });
const schools = directory([
  { urn: '900004', name: 'Windrush Special School', phase: 'SPECIAL' },
  { urn: '900001', name: 'Cherwell Vale Primary School', phase: 'PRIMARY' },
]);

describe('requireSpecialSchool', () => {
  it('returns a special school', async () => {
    await expect(requireSpecialSchool(schools, '900004', 'deliveringSchoolUrn')).resolves.toMatchObject({ name: 'Windrush Special School' });
  });

  it('names the field for a school that is not special, or not in the directory', async () => {
    await expect(requireSpecialSchool(schools, '900001', 'deliveringSchoolUrn')).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { fields: [{ field: 'deliveringSchoolUrn', message: 'Cherwell Vale Primary School is not a special school' }] },
    });
    await expect(requireSpecialSchool(schools, '999999', 'allocatedSchoolUrn')).rejects.toMatchObject({
      details: { fields: [{ field: 'allocatedSchoolUrn', message: 'is not a school in the directory' }] },
    });
  });
});
