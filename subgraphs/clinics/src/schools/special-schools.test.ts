import { GatewayQueryError, type GatewayClient } from '@sendco/federation';
import { gatewaySchoolDirectory, requireSpecialSchool, type DirectorySchool, type SchoolDirectory } from './special-schools';

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

describe('gatewaySchoolDirectory', () => {
  const client = (answer: () => Promise<unknown>): GatewayClient => ({ query: answer as GatewayClient['query'] });

  it("reads the directory's answer, and takes NOT_FOUND as no school", async () => {
    await expect(gatewaySchoolDirectory(client(async () => ({ school: { urn: '900004', name: 'W', phase: 'SPECIAL' } }))).find('900004')).resolves.toEqual({ urn: '900004', name: 'W', phase: 'SPECIAL' });
    await expect(gatewaySchoolDirectory(client(async () => Promise.reject(new GatewayQueryError('School 123456 was not found.', 'NOT_FOUND')))).find('123456')).resolves.toBeNull();
  });

  it('does not ask about something that is not a URN, and lets an outage through as an error', async () => {
    const ask = jest.fn();
    await expect(gatewaySchoolDirectory(client(ask)).find('12')).resolves.toBeNull();
    expect(ask).not.toHaveBeenCalled();
    await expect(gatewaySchoolDirectory(client(async () => Promise.reject(new GatewayQueryError('the gateway did not answer')))).find('900004')).rejects.toThrow('did not answer');
  });
});
