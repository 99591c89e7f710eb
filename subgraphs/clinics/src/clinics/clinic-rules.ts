/**
 * The rules about a clinic itself, pure so their edge cases are unit-tested: what a valid clinic
 * looks like, what an edit changes for attendees, when it can be booked, and how many places it
 * has left. The service holds the clinic's row lock while it applies them.
 */
import { bookingClosed, type FieldProblem } from '@sendco/errors';
import { formDefinitionProblems, normaliseQuestions, type FormQuestionDefinition } from '@sendco/forms';
import { ClinicMode, ClinicStatus } from './clinic.enums';
import type { ClinicLocation } from './clinic.entity';
import type { VenueInput } from '@sendco/federation';
import type { UpdateClinicInput } from './clinic.inputs';

/** Everything about a clinic an edit may change (the delivering school never changes). */
export interface ClinicDetails {
  theme: string;
  description: string;
  mode: ClinicMode;
  location: ClinicLocation | null;
  joiningUrl: string | null;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  contactEmail: string;
  bookingQuestions: FormQuestionDefinition[];
}

/** Fields an attendee is told about when they change (capacity and the booking form are the provider's business). */
const ATTENDEE_FACING: readonly (keyof ClinicDetails)[] = ['theme', 'description', 'mode', 'location', 'joiningUrl', 'startsAt', 'endsAt', 'contactEmail'];

/** The location as stored: trimmed, postcode in capitals. */
export function toClinicLocation(input: VenueInput): ClinicLocation {
  return { name: input.name.trim(), address: input.address?.trim() || null, postcode: input.postcode?.trim().toUpperCase() || null };
}

/** Rules across fields that class-validator cannot express; `now` for "in the future". */
export function checkClinicDetails(details: ClinicDetails, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(details.startsAt > now)) problems.push({ field: 'startsAt', message: 'must be in the future' });
  if (!(details.endsAt > details.startsAt)) problems.push({ field: 'endsAt', message: 'must be after startsAt' });
  if (!details.theme.trim()) problems.push({ field: 'theme', message: 'must not be blank' });
  if (!details.description.trim()) problems.push({ field: 'description', message: 'must not be blank' });
  if (details.mode === ClinicMode.FACE_TO_FACE) {
    if (!details.location?.name) problems.push({ field: 'location', message: 'is required for a face-to-face clinic' });
    if (details.joiningUrl) problems.push({ field: 'joiningUrl', message: 'is only for an online clinic' });
  } else {
    if (!details.joiningUrl) problems.push({ field: 'joiningUrl', message: 'is required for an online clinic' });
    if (details.location) problems.push({ field: 'location', message: 'is only for a face-to-face clinic' });
  }
  problems.push(...formDefinitionProblems(details.bookingQuestions, 'bookingQuestions'));
  return problems;
}

/**
 * A clinic's details after an edit. Switching mode drops the old mode's location or link, so an
 * edit to ONLINE needs only the new joiningUrl.
 */
export function applyClinicUpdate(current: ClinicDetails, input: UpdateClinicInput): ClinicDetails {
  const mode = input.mode ?? current.mode;
  const location = input.location ? toClinicLocation(input.location) : input.mode && input.mode !== current.mode ? null : current.location;
  const joiningUrl = input.joiningUrl ?? (input.mode && input.mode !== current.mode ? null : current.joiningUrl);
  return {
    theme: input.theme?.trim() ?? current.theme,
    description: input.description?.trim() ?? current.description,
    mode,
    location,
    joiningUrl,
    startsAt: input.startsAt ?? current.startsAt,
    endsAt: input.endsAt ?? current.endsAt,
    capacity: input.capacity ?? current.capacity,
    contactEmail: input.contactEmail?.trim().toLowerCase() ?? current.contactEmail,
    bookingQuestions: input.bookingQuestions ? normaliseQuestions(input.bookingQuestions) : current.bookingQuestions,
  };
}

/** True when an edit changes something its attendees are told (and so are emailed about). */
export function changesForAttendees(before: ClinicDetails, after: ClinicDetails): boolean {
  return ATTENDEE_FACING.some((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** The clinic's details as the rules see them. */
export function detailsOf(clinic: Omit<ClinicDetails, 'location' | 'joiningUrl'> & { location?: ClinicLocation | null; joiningUrl?: string | null }): ClinicDetails {
  const { theme, description, mode, joiningUrl, startsAt, endsAt, capacity, contactEmail, bookingQuestions } = clinic;
  const location = clinic.location?.name ? { name: clinic.location.name, address: clinic.location.address ?? null, postcode: clinic.location.postcode ?? null } : null;
  return { theme, description, mode, location, joiningUrl: joiningUrl ?? null, startsAt, endsAt, capacity, contactEmail, bookingQuestions };
}

/** Places a school can still ask for; never below 0 (capacity may be edited, never below what is held). */
export function placesLeft(capacity: number, held: number): number {
  return Math.max(0, capacity - held);
}

/** Open for requests: scheduled and not yet started. Else BOOKING_CLOSED saying why. */
export function assertBookable(clinic: { status: ClinicStatus; startsAt: Date }, now: Date): void {
  if (clinic.status === ClinicStatus.CANCELLED) throw bookingClosed('This clinic has been cancelled.');
  if (now >= clinic.startsAt) throw bookingClosed('This clinic has already taken place.');
}
