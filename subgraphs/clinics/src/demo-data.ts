/**
 * Demo clinics for trying the product (loaded into an empty table; see DEMO_DATA): the themes of
 * the council's briefing (../shared/seeds), run by the directory's demo special schools, dated
 * from today so there is always something to ask for. Face to face after school; online at
 * lunchtime. Names, places and links are invented.
 */
import type { DataSource } from 'typeorm';
import { BookingQuestionType, ClinicMode, ClinicStatus } from './clinics/clinic.enums';
import { Clinic, type BookingQuestion } from './clinics/clinic.entity';

/** The directory's demo special schools (subgraphs/directory/src/demo-data.ts). */
const WINDRUSH = '900004';
const CHILTERN_EDGE = '900007';
const WYCHWOOD_VALE = '900008';

const PHASE_QUESTION: BookingQuestion = {
  key: 'phase',
  label: 'Which phase do you work in?',
  required: true,
  type: BookingQuestionType.CHOICE,
  choices: ['Early years', 'Primary', 'Secondary', 'Special', 'Post-16'],
};
const ROLE_QUESTION: BookingQuestion = { key: 'role', label: 'Your role in school', required: true, type: BookingQuestionType.SHORT_TEXT };
const HOPES_QUESTION: BookingQuestion = {
  key: 'hopes',
  label: 'What would you like to take away from this clinic? (Please do not name pupils.)',
  required: true,
  type: BookingQuestionType.LONG_TEXT,
};
const BEFORE_QUESTION: BookingQuestion = { key: 'attendedBefore', label: 'Have you been to a SEND Clinic before?', required: false, type: BookingQuestionType.YES_NO };

function at(now: Date, days: number, hour: number, minute: number): Date {
  const d = new Date(now.getTime() + days * 24 * 3600 * 1000);
  d.setUTCHours(hour, minute, 0, 0);
  return d;
}

export function demoClinics(now: Date): Partial<Clinic>[] {
  const base = { status: ClinicStatus.SCHEDULED, createdBy: 'demo-data' };
  const noLocation = { name: null as unknown as string, address: null, postcode: null };
  return [
    {
      ...base,
      theme: 'Sensory processing',
      description: 'Understanding sensory processing differences and simple changes to the classroom and the school day. Includes a visit to our sensory room.',
      deliveringSchoolUrn: WINDRUSH,
      mode: ClinicMode.FACE_TO_FACE,
      location: { name: 'Windrush Special School, Sensory Room', address: 'Meadow Lane, Witney', postcode: 'OX28 9ZZ' },
      joiningUrl: null,
      startsAt: at(now, 14, 15, 45),
      endsAt: at(now, 14, 17, 15),
      capacity: 12,
      contactEmail: 'clinics@windrush.example.org',
      bookingQuestions: [ROLE_QUESTION, PHASE_QUESTION, HOPES_QUESTION, BEFORE_QUESTION],
    },
    {
      ...base,
      theme: 'SEMH strategies',
      description: 'Practical strategies for social, emotional and mental health needs: co-regulation, predictable routines and repairing relationships.',
      deliveringSchoolUrn: CHILTERN_EDGE,
      mode: ClinicMode.ONLINE,
      location: noLocation,
      joiningUrl: 'https://meet.example.org/send-clinic-semh',
      startsAt: at(now, 21, 12, 15),
      endsAt: at(now, 21, 13, 15),
      capacity: 30,
      contactEmail: 'outreach@chiltern-edge.example.org',
      bookingQuestions: [ROLE_QUESTION, PHASE_QUESTION, BEFORE_QUESTION],
    },
    {
      ...base,
      theme: 'Restorative approaches',
      description: 'Restorative conversations after an incident: the questions to ask and how to make them part of everyday practice.',
      deliveringSchoolUrn: WYCHWOOD_VALE,
      mode: ClinicMode.FACE_TO_FACE,
      location: { name: 'Wychwood Vale School, Training Room', address: 'Forest Road, Charlbury', postcode: 'OX7 9ZZ' },
      joiningUrl: null,
      startsAt: at(now, 7, 15, 30),
      endsAt: at(now, 7, 17, 0),
      capacity: 16,
      contactEmail: 'clinics@wychwood-vale.example.org',
      bookingQuestions: [ROLE_QUESTION, HOPES_QUESTION],
    },
  ];
}

export async function seedDemoClinics(dataSource: DataSource, now = new Date()): Promise<void> {
  const repo = dataSource.getRepository(Clinic);
  if ((await repo.count()) > 0) return;
  await repo.save(demoClinics(now).map((clinic) => repo.create(clinic)));
}
