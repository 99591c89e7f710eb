import type { SubgraphDefinition } from '@sendco/federation';
import { AuditEntry } from './audit/audit.entity';
import { Booking } from './bookings/booking.entity';
import { BookingResolver } from './bookings/booking.resolver';
import { BookingService } from './bookings/booking.service';
import { EventRegisterResolver } from './bookings/event-register.resolver';
import { Place } from './bookings/place.entity';
import { PlaceResolver } from './bookings/place.resolver';
import { seedDemoProgramme } from './demo-data';
import { TrainingEvent } from './events/event.entity';
import { EventResolver } from './events/event.resolver';
import { EventService } from './events/event.service';
import { Workshop } from './events/workshop.entity';
import { CreateTraining1763900000000 } from './migrations/1763900000000-CreateTraining';
import { School } from './schools/school';
import { SchoolBookingsResolver } from './schools/school-bookings.resolver';

/** "Name <address>" or a bare address, as MAIL_FROM allows. */
function mailbox(from: string): { name?: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return match ? { name: match[1] || undefined, email: match[2] } : { email: from.trim() };
}

export const trainingSubgraph: SubgraphDefinition = {
  name: 'training',
  dbSchema: 'training',
  entities: [TrainingEvent, Workshop, Booking, Place, AuditEntry],
  migrations: [CreateTraining1763900000000],
  resolvers: [EventResolver, BookingResolver, PlaceResolver, EventRegisterResolver, SchoolBookingsResolver],
  orphanedTypes: [School],
  usesQueue: true,
  createResolvers: ({ dataSource, outbox, config }) => {
    const events = new EventService(dataSource);
    const bookings = new BookingService(dataSource, { organizer: { ...mailbox(config.mail.from), name: 'SEND Training Team' } }, outbox);
    return new Map<Function, object>([
      [EventResolver, new EventResolver(events)],
      [BookingResolver, new BookingResolver(bookings, events)],
      [PlaceResolver, new PlaceResolver(events)],
      [EventRegisterResolver, new EventRegisterResolver(bookings)],
      [SchoolBookingsResolver, new SchoolBookingsResolver(bookings)],
    ]);
  },
  seedDemoData: ({ dataSource }) => seedDemoProgramme(dataSource),
};
