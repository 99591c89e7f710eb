import { GatewayQueryError, type GatewayClient } from '@sendco/federation';
import { gatewayUpcoming, UPCOMING_LIMIT } from './upcoming';

const now = new Date('2026-11-26T09:00:00Z');
const events = { events: { edges: [{ node: { id: 'e1', title: 'Preparing for Ofsted', startsAt: '2026-12-03T09:30:00Z', placesLeft: 4 } }] } };
const clinics = { clinics: [{ id: 'c1', theme: 'SEMH strategies', startsAt: '2026-12-01T12:15:00Z', placesLeft: 2 }] };

function gateway(answers: (query: string) => unknown): GatewayClient & { calls: { query: string; variables?: Record<string, unknown> }[] } {
  const calls: { query: string; variables?: Record<string, unknown> }[] = [];
  return {
    calls,
    async query<T>(query: string, variables?: Record<string, unknown>) {
      calls.push({ query, variables });
      const answer = answers(query);
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };
}

describe('the upcoming section, read through the gateway', () => {
  it('merges training events and clinics, soonest first, asking only for what is to come', async () => {
    const client = gateway((q) => (q.includes('events(') ? events : clinics));
    expect(await gatewayUpcoming(client).upcoming(now)).toEqual([
      { key: 'clinic:c1', kind: 'clinic', title: 'Clinic: SEMH strategies', startsAt: '2026-12-01T12:15:00Z', placesLeft: 2 },
      { key: 'training:e1', kind: 'training', title: 'Preparing for Ofsted', startsAt: '2026-12-03T09:30:00Z', placesLeft: 4 },
    ]);
    expect(client.calls.map((c) => c.variables)).toEqual([{ filter: { from: now.toISOString() }, first: UPCOMING_LIMIT }, { filter: { from: now.toISOString() } }]);
  });

  it('leaves clinics out while the supergraph has no clinics query', async () => {
    const client = gateway((q) => (q.includes('events(') ? events : new GatewayQueryError('Cannot query field "clinics" on type "Query".', 'GRAPHQL_VALIDATION_FAILED')));
    expect((await gatewayUpcoming(client).upcoming(now)).map((e) => e.key)).toEqual(['training:e1']);
  });

  it('fails (to be retried) when the gateway does not answer', async () => {
    const client = gateway((q) => (q.includes('events(') ? events : new GatewayQueryError('the gateway did not answer')));
    await expect(gatewayUpcoming(client).upcoming(now)).rejects.toThrow('the gateway did not answer');
  });
});
