/**
 * The demo programme: the council's SENDCO programme and SEND Live from the briefing of
 * 12 February 2026 (../shared/seeds/000_*.txt), run again every school year since, up to the
 * coming one, so that whatever day the product is first started the whole programme is there
 * to book, with the runs already past kept as history (COMPLETED).
 *
 * Each session keeps its place in the year the way a training calendar does: spring-term
 * sessions so many weeks before the Easter holidays, summer-term ones so many weeks after, on
 * the same weekday, moved to the next school day when that falls in a holiday (see
 * demo-calendar.ts). The briefing's own year reproduces the briefing's dates. Session times are
 * not in the briefing: 09:30–12:30 is assumed for the CPD sessions (SEND Live: 9am–4pm).
 *
 * `demoProgramme(today)` is a pure function of the day; it is loaded only into an empty table.
 */
import type { DataSource } from 'typeorm';
import { addDays, day, easterHolidays, londonTime, mondayOf, nextSchoolDay } from './demo-calendar';
import { EventCategory, EventFormat, EventStatus, Phase } from './events/event.enums';
import { TrainingEvent } from './events/event.entity';
import { Workshop } from './events/workshop.entity';

/** The calendar year of the briefing's programme (school year 2025/26). */
export const BRIEFING_YEAR = 2026;

const SENDCO_AUDIENCE = [Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL, Phase.ALL_THROUGH];
const ADULTHOOD_AUDIENCE = [Phase.SECONDARY, Phase.SPECIAL, Phase.POST_16];

export interface DemoEvent {
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
  audience: Phase[];
  workshops?: { title: string; phase: Phase; capacity: number }[];
}

/** One item of the briefing's programme, with the date it had in the briefing. */
interface ProgrammeItem {
  briefingDate: string;
  from: string;
  to: string;
  event: (year: number) => Omit<DemoEvent, 'startsAt' | 'endsAt' | 'status'>;
}

const session = (title: string, category: EventCategory, summary: string, audience = SENDCO_AUDIENCE) => () => ({
  title,
  category,
  summary,
  format: EventFormat.ONLINE,
  joiningUrl: 'https://meet.example.org/sendco-programme',
  capacity: 60,
  cpdHours: 3,
  audience,
});

/** The briefing's programme: spring term PFA; summer term Phase Transfer, Ofsted parts 1 and 2, SEND Live. */
export const PROGRAMME: readonly ProgrammeItem[] = [
  {
    briefingDate: '2026-03-16',
    from: '09:30',
    to: '12:30',
    event: session(
      'Preparation for Adulthood (PFA)',
      EventCategory.PREPARATION_FOR_ADULTHOOD,
      'Planning for adulthood from the earliest years: education, employment, independent living, health and community.',
      ADULTHOOD_AUDIENCE,
    ),
  },
  {
    briefingDate: '2026-04-20',
    from: '09:30',
    to: '12:30',
    event: session('School-age Phase Transfer', EventCategory.PHASE_TRANSFER, 'Phase transfer for pupils with EHCPs: timelines, consultations and annual reviews.'),
  },
  {
    briefingDate: '2026-04-29',
    from: '09:00',
    to: '16:00',
    event: (year) => ({
      title: `SEND Live ${year}`,
      category: EventCategory.CONFERENCE,
      summary: 'Bringing our Oxfordshire SEND community together, with an SEMH focus across the day and practical workshops for Primary, Secondary and Special schools.',
      format: EventFormat.IN_PERSON,
      venue: { name: 'The Oxford Belfry Hotel & Spa', address: 'Milton Common, Thame', postcode: 'OX9 2JW' },
      capacity: 300,
      cpdHours: 6,
      audience: [Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL],
      workshops: [
        { title: 'SEMH in the primary classroom', phase: Phase.PRIMARY, capacity: 100 },
        { title: 'SEMH and emotionally based school avoidance (EBSA) in secondary', phase: Phase.SECONDARY, capacity: 100 },
        { title: 'SEMH in special schools: regulation and relationships', phase: Phase.SPECIAL, capacity: 100 },
      ],
    }),
  },
  {
    briefingDate: '2026-05-11',
    from: '09:30',
    to: '12:30',
    event: session('Post-16 Phase Transfer', EventCategory.POST16_PHASE_TRANSFER, 'Moving on to post-16 provision with an EHCP.', ADULTHOOD_AUDIENCE),
  },
  {
    briefingDate: '2026-05-18',
    from: '09:30',
    to: '12:30',
    event: session('SENDCO Essentials: Preparing for Ofsted', EventCategory.PREPARING_FOR_OFSTED, 'What inspectors look for in SEND provision and how to show it.'),
  },
  {
    briefingDate: '2026-06-08',
    from: '09:30',
    to: '12:30',
    event: session('SENDCO Essentials: Preparing for Ofsted part 2 – workshopping questions', EventCategory.PREPARING_FOR_OFSTED, 'Workshopping the questions inspectors ask.'),
  },
];

/**
 * The day an item runs in `year`: the same weekday, the same number of weeks before the Easter
 * holidays (spring term) or after them (summer term) as in the briefing, or the next school day.
 */
export function runDay(item: Pick<ProgrammeItem, 'briefingDate'>, year: number): Date {
  const briefing = day(item.briefingDate);
  const weekday = (briefing.getUTCDay() + 6) % 7;
  const then = easterHolidays(BRIEFING_YEAR);
  const now = easterHolidays(year);
  if (briefing < then.first) {
    const weeksBefore = (mondayOf(then.first).getTime() - mondayOf(briefing).getTime()) / (7 * 24 * 3600 * 1000);
    return nextSchoolDay(addDays(mondayOf(now.first), -7 * weeksBefore + weekday));
  }
  const summerTermStarts = (holidays: { last: Date }) => addDays(mondayOf(holidays.last), 7);
  const weeksAfter = (mondayOf(briefing).getTime() - summerTermStarts(then).getTime()) / (7 * 24 * 3600 * 1000);
  return nextSchoolDay(addDays(summerTermStarts(now), 7 * weeksAfter + weekday));
}

function run(item: ProgrammeItem, year: number, today: Date): DemoEvent {
  const date = runDay(item, year);
  const startsAt = londonTime(date, item.from);
  const endsAt = londonTime(date, item.to);
  return { ...item.event(year), startsAt, endsAt, status: endsAt <= today ? EventStatus.COMPLETED : EventStatus.PUBLISHED };
}

/**
 * The coming year's programme: the first calendar year (from the briefing's) whose every run
 * starts after `today`, so every session can be booked.
 */
export function comingProgrammeYear(today: Date): number {
  let year = BRIEFING_YEAR;
  while (PROGRAMME.some((item) => londonTime(runDay(item, year), item.from) <= today)) year += 1;
  return year;
}

/** Every run from the briefing's year to the coming one: past ones COMPLETED, the rest PUBLISHED. */
export function demoProgramme(today: Date): DemoEvent[] {
  const events: DemoEvent[] = [];
  for (let year = BRIEFING_YEAR; year <= comingProgrammeYear(today); year += 1) {
    for (const item of PROGRAMME) events.push(run(item, year, today));
  }
  return events.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

export async function seedDemoProgramme(dataSource: DataSource, today = new Date()): Promise<void> {
  if ((await dataSource.getRepository(TrainingEvent).count()) > 0) return;
  await dataSource.transaction(async (manager) => {
    for (const demo of demoProgramme(today)) {
      const { workshops = [], ...fields } = demo;
      const event = await manager.getRepository(TrainingEvent).save(
        manager.getRepository(TrainingEvent).create({ ...fields, venue: demo.venue ?? null, joiningUrl: demo.joiningUrl ?? null, createdBy: 'demo-data' }),
      );
      if (workshops.length) await manager.getRepository(Workshop).insert(workshops.map((w, position) => ({ ...w, eventId: event.id, position })));
    }
  });
}

