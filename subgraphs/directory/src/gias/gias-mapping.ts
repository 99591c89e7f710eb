/**
 * What a register row means for the directory: which of its phases the school is in (special
 * schools and alternative provision by their type of establishment, the rest by phase of
 * education), whether it is open, and its public details. One place for the mapping, unit-tested.
 */
import type { FieldProblem } from '@sendco/errors';
import { SchoolPhase } from '../schools/school-phase';
import { SchoolStatus } from '../schools/school-status';
import { giasDate, type GiasRow } from './gias-file';

/** The register's details of a school, as the directory keeps them. */
export interface RegisterSchool {
  urn: string;
  name: string;
  phase: SchoolPhase;
  status: SchoolStatus;
  laCode: string;
  laName: string | null;
  establishmentType: string;
  street: string | null;
  town: string | null;
  postcode: string | null;
  website: string | null;
  telephone: string | null;
  trust: string | null;
  resourcedProvision: string | null;
  openedOn: string | null;
  closedOn: string | null;
}

export type MappedRow = { kind: 'school'; school: RegisterSchool } | { kind: 'skip'; urn: string; reason: string } | { kind: 'bad'; problems: FieldProblem[] };

const BY_PHASE_OF_EDUCATION: Record<string, SchoolPhase> = {
  nursery: SchoolPhase.EARLY_YEARS,
  primary: SchoolPhase.PRIMARY,
  'middle deemed primary': SchoolPhase.PRIMARY,
  secondary: SchoolPhase.SECONDARY,
  'middle deemed secondary': SchoolPhase.SECONDARY,
  '16 plus': SchoolPhase.POST_16,
  'all-through': SchoolPhase.ALL_THROUGH,
  'all through': SchoolPhase.ALL_THROUGH,
};

/**
 * The directory's phase for a type of establishment and phase of education, or undefined when
 * the establishment is not a school the council's SEND services serve (a children's centre, a
 * university, a Welsh establishment...). The type decides first: every special school (community,
 * foundation, academy, free school, non-maintained, independent) is SPECIAL and every pupil
 * referral unit or alternative provision academy ALTERNATIVE_PROVISION, whatever its phase.
 */
export function directoryPhase(establishmentType: string, phaseOfEducation: string): SchoolPhase | undefined {
  const type = establishmentType.toLowerCase();
  if (/\bspecial\b/.test(type)) return SchoolPhase.SPECIAL;
  if (/pupil referral unit|alternative provision/.test(type)) return SchoolPhase.ALTERNATIVE_PROVISION;
  const byPhase = BY_PHASE_OF_EDUCATION[phaseOfEducation.toLowerCase().trim()];
  if (byPhase) return byPhase;
  if (type === 'local authority nursery school') return SchoolPhase.EARLY_YEARS;
  if (/further education|sixth form|16 ?(to|-) ?19/.test(type)) return SchoolPhase.POST_16;
  return undefined;
}

const BY_STATUS: Record<string, SchoolStatus> = {
  open: SchoolStatus.OPEN,
  closed: SchoolStatus.CLOSED,
  'open, but proposed to close': SchoolStatus.OPEN_PROPOSED_TO_CLOSE,
  'proposed to open': SchoolStatus.PROPOSED_TO_OPEN,
};

const orNull = (value: string) => value || null;

/** A register row as the directory keeps it, a row to skip (and why), or the row's problems (`<field>.<line>.<column>`). */
export function mapGiasRow(row: GiasRow, field = 'file'): MappedRow {
  const v = row.values;
  const problems: FieldProblem[] = [];
  const at = (column: string, message: string) => problems.push({ field: `${field}.${row.line}.${column}`, message: `line ${row.line}, ${column}: ${message}` });
  if (!/^\d{6}$/.test(v.urn)) at('URN', 'must be the 6-digit URN');
  if (!v.name) at('EstablishmentName', 'is empty');
  else if (v.name.length > 200) at('EstablishmentName', 'must be at most 200 characters');
  const status = BY_STATUS[v.status.toLowerCase()];
  if (!status) at('EstablishmentStatus (name)', `"${v.status.slice(0, 40)}" is not a GIAS status (Open, Closed, Open but proposed to close, Proposed to open)`);
  const openedOn = giasDate(v.openedOn);
  const closedOn = giasDate(v.closedOn);
  if (openedOn === undefined) at('OpenDate', 'must be a date as dd-MM-yyyy');
  if (closedOn === undefined) at('CloseDate', 'must be a date as dd-MM-yyyy');
  if (problems.length) return { kind: 'bad', problems };
  const phase = directoryPhase(v.establishmentType, v.phase);
  if (!phase) return { kind: 'skip', urn: v.urn, reason: `not a school the directory serves (${v.establishmentType || 'no type'}, phase ${v.phase || 'none'})` };
  return {
    kind: 'school',
    school: {
      urn: v.urn,
      name: v.name,
      phase,
      status,
      laCode: v.laCode,
      laName: orNull(v.laName),
      establishmentType: v.establishmentType,
      street: orNull(v.street),
      town: orNull(v.town),
      postcode: orNull(v.postcode),
      website: orNull(v.website),
      telephone: orNull(v.telephone),
      trust: orNull(v.trust),
      resourcedProvision: orNull(v.resourcedProvision),
      openedOn: openedOn ?? null,
      closedOn: closedOn ?? null,
    },
  };
}
