import { GatewayQueryError, type GatewayClient } from './gateway-client';
import { gatewaySchoolDirectory } from './school-directory';

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
