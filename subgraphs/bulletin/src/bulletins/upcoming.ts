/**
 * The "upcoming training and clinics" section, read through the gateway as any front end would
 * (the bulletin never reads another subgraph's tables). Training events are required; clinics
 * are added when the supergraph has them (a gateway without the clinics subgraph answers a
 * validation error, which leaves the section to training alone).
 */
import { isGatewayQueryError, type GatewayClient } from '@sendco/federation';
import type { UpcomingEntry } from './bulletin.entity';

export const UPCOMING_LIMIT = 5;

const EVENTS = `query BulletinUpcomingEvents($filter: EventFilter, $first: Int) {
  events(filter: $filter, first: $first) { edges { node { id title startsAt placesLeft } } }
}`;
// The contract's Clinics operation, trimmed to what the section shows.
const CLINICS = `query BulletinUpcomingClinics($filter: ClinicFilter) { clinics(filter: $filter) { id theme startsAt placesLeft } }`;

export interface UpcomingSource {
  upcoming(now: Date): Promise<UpcomingEntry[]>;
}

export function gatewayUpcoming(gateway: GatewayClient): UpcomingSource {
  return {
    async upcoming(now) {
      const events = await gateway.query<{ events: { edges: { node: { id: string; title: string; startsAt: string; placesLeft: number } }[] } }>(EVENTS, {
        filter: { from: now.toISOString() },
        first: UPCOMING_LIMIT,
      });
      const training = events.events.edges.map(({ node }) => ({ key: `training:${node.id}`, kind: 'training' as const, title: node.title, startsAt: node.startsAt, placesLeft: node.placesLeft }));
      let clinics: UpcomingEntry[] = [];
      try {
        const answer = await gateway.query<{ clinics: { id: string; theme: string; startsAt: string; placesLeft: number | null }[] }>(CLINICS, { filter: { from: now.toISOString() } });
        clinics = answer.clinics
          .filter((c) => new Date(c.startsAt) >= now)
          .map((c) => ({ key: `clinic:${c.id}`, kind: 'clinic' as const, title: `Clinic: ${c.theme}`, startsAt: c.startsAt, placesLeft: c.placesLeft ?? null }));
      } catch (error) {
        if (!(isGatewayQueryError(error) && error.code === 'GRAPHQL_VALIDATION_FAILED')) throw error;
      }
      return mergeUpcoming([...training, ...clinics], UPCOMING_LIMIT * 2);
    },
  };
}

/** Soonest first, at most `limit`. */
export function mergeUpcoming(entries: UpcomingEntry[], limit: number): UpcomingEntry[] {
  return [...entries].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.title.localeCompare(b.title)).slice(0, limit);
}
