import { randomInt } from 'node:crypto';

// Crockford's alphabet: no I, L, O or U, so a reference read out over the phone is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short reference a school quotes to the training team, e.g. TRN-7KD4MQ2X. */
export function newBookingReference(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `TRN-${code}`;
}
