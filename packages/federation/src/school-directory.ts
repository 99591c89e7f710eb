/**
 * The directory's public facts about a school, for subgraphs that need them (is it a special
 * school? which phase?). The directory owns schools, so this asks through the gateway (public
 * fields only), never its tables. One client for every subgraph.
 */
import { type GatewayClient, GatewayQueryError } from './gateway-client';

export interface DirectorySchool {
  urn: string;
  name: string;
  phase: string;
}

/** Looks a school up in the directory; null when it has none with that URN. */
export interface SchoolDirectory {
  find(urn: string): Promise<DirectorySchool | null>;
}

const SCHOOL_QUERY = `query DirectorySchool($urn: ID!) { school(urn: $urn) { urn name phase } }`;

export function gatewaySchoolDirectory(client: GatewayClient): SchoolDirectory {
  return {
    async find(urn) {
      if (!/^\d{6}$/.test(urn)) return null;
      try {
        const { school } = await client.query<{ school: DirectorySchool | null }>(SCHOOL_QUERY, { urn });
        return school;
      } catch (error) {
        if (error instanceof GatewayQueryError && error.code === 'NOT_FOUND') return null;
        throw error; // the gateway or directory is down: an internal error, not the caller's
      }
    },
  };
}
