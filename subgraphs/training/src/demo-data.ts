/**
 * The 2026 SENDCO programme and SEND Live from the council's briefing of 12 February 2026
 * (../shared/seeds), plus a few events dated from today so booking can be tried at any time.
 * Session times are not in the briefing: 09:30–12:30 is assumed for the CPD sessions.
 * Loaded only into an empty table (DEMO_DATA).
 */
import type { DataSource } from 'typeorm';
import { EventCategory, EventFormat, EventStatus, Phase } from './events/event.enums';
import { TrainingEvent } from './events/event.entity';
import { Workshop } from './events/workshop.entity';

const london = (date: string, time: string) => {
  // British Summer Time runs from 29 March to 25 October in 2026.
  const bst = date >= '2026-03-29' && date < '2026-10-25';
  return new Date(`${date}T${time}:00${bst ? '+01:00' : 'Z'}`);
};
const SENDCO_AUDIENCE = [Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL, Phase.ALL_THROUGH];
const COUNTY_HALL = { name: 'County Hall', address: 'New Road, Oxford', postcode: 'OX1 1ND' };

interface DemoEvent {
  title: string;
  category: EventCategory;
  summary: string;
  startsAt: Date;
  endsAt: Date;
  format: EventFormat;
  capacity: number;
  cpdHours: number;
  status: EventStatus;
  venue?: { name: string; address: string; postcode: string };
  joiningUrl?: string;
  audience?: Phase[];
  workshops?: { title: string; phase: Phase; capacity: number }[];
}

function programme2026(): DemoEvent[] {
  const session = (title: string, category: EventCategory, date: string, summary: string, audience = SENDCO_AUDIENCE): DemoEvent => ({
    title,
    category,
    summary,
    startsAt: london(date, '09:30'),
    endsAt: london(date, '12:30'),
    format: EventFormat.ONLINE,
    joiningUrl: 'https://meet.example.org/sendco-programme',
    capacity: 60,
    cpdHours: 3,
    status: EventStatus.COMPLETED,
    audience,
  });
  return [
    session('Preparation for Adulthood (PFA)', EventCategory.PREPARATION_FOR_ADULTHOOD, '2026-03-16', 'Planning for adulthood from the earliest years: education, employment, independent living, health and community.', [Phase.SECONDARY, Phase.SPECIAL, Phase.POST_16]),
    session('School-age Phase Transfer', EventCategory.PHASE_TRANSFER, '2026-04-20', 'Phase transfer for pupils with EHCPs: timelines, consultations and annual reviews.'),
    session('Post-16 Phase Transfer', EventCategory.POST16_PHASE_TRANSFER, '2026-05-11', 'Moving on to post-16 provision with an EHCP.', [Phase.SECONDARY, Phase.SPECIAL, Phase.POST_16]),
    session('SENDCO Essentials: Preparing for Ofsted', EventCategory.PREPARING_FOR_OFSTED, '2026-05-18', 'What inspectors look for in SEND provision and how to show it.'),
    session('SENDCO Essentials: Preparing for Ofsted part 2 – workshopping questions', EventCategory.PREPARING_FOR_OFSTED, '2026-06-08', 'Workshopping the questions inspectors ask.'),
    {
      title: 'SEND Live 2026',
      category: EventCategory.CONFERENCE,
      summary: 'Bringing our Oxfordshire SEND community together, with an SEMH focus across the day and practical workshops for Primary, Secondary and Special schools.',
      startsAt: london('2026-04-29', '09:00'),
      endsAt: london('2026-04-29', '16:00'),
      format: EventFormat.IN_PERSON,
      venue: { name: 'The Oxford Belfry Hotel & Spa', address: 'Milton Common, Thame', postcode: 'OX9 2JW' },
      capacity: 300,
      cpdHours: 6,
      status: EventStatus.COMPLETED,
      audience: [Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL],
      workshops: [
        { title: 'SEMH in the primary classroom', phase: Phase.PRIMARY, capacity: 100 },
        { title: 'SEMH and emotionally based school avoidance (EBSA) in secondary', phase: Phase.SECONDARY, capacity: 100 },
        { title: 'SEMH in special schools: regulation and relationships', phase: Phase.SPECIAL, capacity: 100 },
      ],
    },
  ];
}

/** Future events relative to `now`, so there is always something to book. */
function upcoming(now: Date): DemoEvent[] {
  const daysFromNow = (days: number, hour: number) => {
    const d = new Date(now);
    d.setUTCDate(d.getUTCDate() + days);
    d.setUTCHours(hour, 30, 0, 0);
    return d;
  };
  return [
    {
      title: 'Preparation for Adulthood (PFA) – next cohort',
      category: EventCategory.PREPARATION_FOR_ADULTHOOD,
      summary: 'The PFA session again for SENDCOs who missed the spring cohort.',
      startsAt: daysFromNow(21, 9),
      endsAt: daysFromNow(21, 12),
      format: EventFormat.IN_PERSON,
      venue: COUNTY_HALL,
      capacity: 30,
      cpdHours: 3,
      status: EventStatus.PUBLISHED,
      audience: [Phase.SECONDARY, Phase.SPECIAL, Phase.POST_16],
    },
    {
      title: 'SENDCO Essentials: Preparing for Ofsted',
      category: EventCategory.PREPARING_FOR_OFSTED,
      summary: 'What inspectors look for in SEND provision and how to show it.',
      startsAt: daysFromNow(35, 9),
      endsAt: daysFromNow(35, 12),
      format: EventFormat.HYBRID,
      venue: COUNTY_HALL,
      joiningUrl: 'https://meet.example.org/sendco-ofsted',
      capacity: 40,
      cpdHours: 3,
      status: EventStatus.PUBLISHED,
      audience: SENDCO_AUDIENCE,
    },
    {
      title: 'SEND Live 2027',
      category: EventCategory.CONFERENCE,
      summary: 'The county SEND conference: keynotes and phase-tailored workshops.',
      startsAt: daysFromNow(60, 9),
      endsAt: daysFromNow(60, 15),
      format: EventFormat.IN_PERSON,
      venue: { name: 'The Oxford Belfry Hotel & Spa', address: 'Milton Common, Thame', postcode: 'OX9 2JW' },
      capacity: 40,
      cpdHours: 6,
      status: EventStatus.PUBLISHED,
      audience: [Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL],
      workshops: [
        { title: 'Primary workshop', phase: Phase.PRIMARY, capacity: 15 },
        { title: 'Secondary workshop', phase: Phase.SECONDARY, capacity: 15 },
        { title: 'Special schools workshop', phase: Phase.SPECIAL, capacity: 10 },
      ],
    },
  ];
}

export async function seedDemoProgramme(dataSource: DataSource, now = new Date()): Promise<void> {
  if ((await dataSource.getRepository(TrainingEvent).count()) > 0) return;
  await dataSource.transaction(async (manager) => {
    for (const demo of [...programme2026(), ...upcoming(now)]) {
      const { workshops = [], audience = [], ...fields } = demo;
      const event = await manager.getRepository(TrainingEvent).save(
        manager.getRepository(TrainingEvent).create({ ...fields, audience, venue: demo.venue ?? null, joiningUrl: demo.joiningUrl ?? null, createdBy: 'demo-data' }),
      );
      if (workshops.length) await manager.getRepository(Workshop).insert(workshops.map((w, position) => ({ ...w, eventId: event.id, position })));
    }
  });
}
