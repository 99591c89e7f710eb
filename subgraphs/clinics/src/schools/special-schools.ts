/**
 * Clinics are run, and Outreach referrals allocated, only by special schools. The directory owns
 * schools, so this asks it through the gateway (@sendco/federation's directory client), never its tables.
 */
import { badUserInput, type FieldProblem } from '@sendco/errors';
import type { DirectorySchool, SchoolDirectory } from '@sendco/federation';

export { gatewaySchoolDirectory, type DirectorySchool, type SchoolDirectory } from '@sendco/federation';

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
