/**
 * Clinics are run, and Outreach referrals allocated, only by special schools. The directory owns
 * schools, so this asks it through the gateway (public fields only), never its tables.
 */
import { badUserInput, type FieldProblem } from '@sendco/errors';
import { type GatewayClient, GatewayQueryError } from '@sendco/federation';

export interface DirectorySchool {
  urn: string;
  name: string;
  phase: string;
}

/** Looks a school up in the directory; null when it has none with that URN. */
export interface SchoolDirectory {
  find(urn: string): Promise<DirectorySchool | null>;
}

const SCHOOL_QUERY = `query ClinicsSchoolPhase($urn: ID!) { school(urn: $urn) { urn name phase } }`;

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

/** The school if the directory knows it as a special school, else the problem with `field`. */
export async function checkSpecialSchool(directory: SchoolDirectory, urn: string, field: string): Promise<{ school: DirectorySchool } | { problem: FieldProblem }> {
  const school = await directory.find(urn);
  if (!school) return { problem: { field, message: 'is not a school in the directory' } };
  if (school.phase !== 'SPECIAL') return { problem: { field, message: `${school.name} is not a special school` } };
  return { school };
}

/** checkSpecialSchool, answering BAD_USER_INPUT for anything but a special school. */
export async function requireSpecialSchool(directory: SchoolDirectory, urn: string, field: string): Promise<DirectorySchool> {
  const checked = await checkSpecialSchool(directory, urn, field);
  if ('problem' in checked) throw badUserInput([checked.problem]);
  return checked.school;
}
