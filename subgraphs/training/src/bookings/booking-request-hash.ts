/**
 * What an idempotency key stands for: a hash of the booking request, normalised as the booking
 * stores it (trimmed text, lower-cased addresses, blanks as none), kept with the key. Sending the
 * same key again with the same request returns the first booking; with a different request it is
 * refused (CONFLICT naming the key), as payment APIs do, rather than silently answering with a
 * booking the client did not ask for.
 */
import { createHash } from 'node:crypto';
import type { BookEventInput } from './booking.inputs';

const text = (value: string | null | undefined) => value?.trim() || null;
const email = (value: string | null | undefined) => value?.trim().toLowerCase() || null;

/** The request as the booking records it; the delegates in the order they were named (their queue order). */
export function normalisedBookingRequest(input: BookEventInput): unknown {
  return {
    eventId: input.eventId.toLowerCase(),
    schoolUrn: input.schoolUrn,
    purchaseOrder: text(input.purchaseOrder),
    sendco: input.sendco ? { name: text(input.sendco.name), email: email(input.sendco.email) } : null,
    delegates: input.delegates.map((d) => ({
      name: text(d.name),
      email: email(d.email),
      jobTitle: text(d.jobTitle),
      accessRequirements: text(d.accessRequirements),
      dietaryRequirements: text(d.dietaryRequirements),
      workshopId: d.workshopId?.toLowerCase() ?? null,
    })),
  };
}

/** sha256 (hex) of the normalised request; every key is listed in a fixed order, so equal requests hash equal. */
export function bookingRequestHash(input: BookEventInput): string {
  return createHash('sha256').update(JSON.stringify(normalisedBookingRequest(input))).digest('hex');
}
