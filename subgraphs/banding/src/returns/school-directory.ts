/**
 * The directory's public facts about a school, read through the gateway as any front end would
 * (this subgraph never reads the directory's tables).
 */
import { isGatewayQueryError, type GatewayClient } from '@sendco/federation';
import { notFound } from '@sendco/errors';

export interface SchoolDirectory {
  /** The school's phase (PRIMARY, SECONDARY, …); NOT_FOUND when the directory has no such school. */
  phaseOf(urn: string): Promise<string>;
}

const SCHOOL_PHASE = `query BandingSchoolPhase($urn: ID!) { school(urn: $urn) { urn phase } }`;

export function gatewaySchoolDirectory(gateway: GatewayClient): SchoolDirectory {
  return {
    async phaseOf(urn) {
      try {
        const { school } = await gateway.query<{ school: { phase: string } | null }>(SCHOOL_PHASE, { urn });
        if (!school) throw notFound(`School ${urn}`);
        return school.phase;
      } catch (error) {
        if (isGatewayQueryError(error) && error.code === 'NOT_FOUND') throw notFound(`School ${urn}`);
        throw error;
      }
    },
  };
}
