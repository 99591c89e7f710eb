import { registerEnumType } from 'type-graphql';

export enum ClinicMode {
  FACE_TO_FACE = 'FACE_TO_FACE',
  ONLINE = 'ONLINE',
}

/** SCHEDULED (public, bookable until it starts) → CANCELLED. A clinic that has started is simply past. */
export enum ClinicStatus {
  SCHEDULED = 'SCHEDULED',
  CANCELLED = 'CANCELLED',
}

/** The kinds of answer a booking-form question takes (rules in booking-form.ts). */
export enum BookingQuestionType {
  SHORT_TEXT = 'SHORT_TEXT',
  LONG_TEXT = 'LONG_TEXT',
  YES_NO = 'YES_NO',
  CHOICE = 'CHOICE',
}

registerEnumType(ClinicMode, { name: 'ClinicMode', description: 'Face to face at a location, or online with a joining link.' });
registerEnumType(ClinicStatus, { name: 'ClinicStatus' });
registerEnumType(BookingQuestionType, {
  name: 'BookingQuestionType',
  description: 'SHORT_TEXT (up to 200 characters), LONG_TEXT (up to 5000), YES_NO (answer "yes" or "no"), CHOICE (one of the question\'s choices).',
});
