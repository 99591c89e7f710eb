import { registerEnumType } from 'type-graphql';
import { FORM_QUESTION_TYPE_DESCRIPTION, FormQuestionType } from '@sendco/forms';

export enum ClinicMode {
  FACE_TO_FACE = 'FACE_TO_FACE',
  ONLINE = 'ONLINE',
}

/** SCHEDULED (public, bookable until it starts) → CANCELLED. A clinic that has started is simply past. */
export enum ClinicStatus {
  SCHEDULED = 'SCHEDULED',
  CANCELLED = 'CANCELLED',
}

/**
 * The kinds of answer a booking-form question takes: the shared form engine's FormQuestionType
 * (rules in @sendco/forms), published under the name the clinics schema has always used.
 */
export const BookingQuestionType = { ...FormQuestionType };
export type BookingQuestionType = FormQuestionType;

registerEnumType(ClinicMode, { name: 'ClinicMode', description: 'Face to face at a location, or online with a joining link.' });
registerEnumType(ClinicStatus, { name: 'ClinicStatus' });
registerEnumType(BookingQuestionType, { name: 'BookingQuestionType', description: FORM_QUESTION_TYPE_DESCRIPTION });
