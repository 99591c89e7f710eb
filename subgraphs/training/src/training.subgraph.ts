import type { SubgraphDefinition } from '@sendco/federation';
import { AttendanceResolver } from './attendance/attendance.resolver';
import { AttendanceService } from './attendance/attendance.service';
import { Certificate } from './attendance/certificate.entity';
import { AuditEntry } from '@sendco/database';
import { EventHistoryResolver, PlaceHistoryResolver } from './audit/audit.resolver';
import { Booking } from './bookings/booking.entity';
import { BookingResolver } from './bookings/booking.resolver';
import { TRAINING_TEAM } from './bookings/booking-emails';
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
import { Attendance1764000000000 } from './migrations/1764000000000-Attendance';
import { PlaceChanges1764100000000 } from './migrations/1764100000000-PlaceChanges';
import { BookingRequestHash1764600000000 } from './migrations/1764600000000-BookingRequestHash';
import { PlaceEventEmailIndex1764720000000 } from './migrations/1764720000000-PlaceEventEmailIndex';
import { QUEUE_NAMES } from '@sendco/queue';
import { PlaceChangeResolver } from './bookings/place-changes.resolver';
import { PlaceChangeService } from './bookings/place-changes.service';
import { EventChangeResolver } from './events/event-changes.resolver';
import { EventChangeService } from './events/event-changes.service';
import { startReminderWorker } from './reminders/reminders';
import { School } from './schools/school';
import { SchoolBookingsResolver } from './schools/school-bookings.resolver';

export const trainingSubgraph: SubgraphDefinition = {
  name: 'training',
  dbSchema: 'training',
  entities: [TrainingEvent, Workshop, Booking, Place, AuditEntry, Certificate],
  migrations: [CreateTraining1763900000000, Attendance1764000000000, PlaceChanges1764100000000, BookingRequestHash1764600000000, PlaceEventEmailIndex1764720000000],
  resolvers: [EventResolver, EventChangeResolver, PlaceChangeResolver, PlaceHistoryResolver, EventHistoryResolver, BookingResolver, PlaceResolver, EventRegisterResolver, AttendanceResolver, SchoolBookingsResolver],
  orphanedTypes: [School],
  usesQueue: true,
  extraQueues: [QUEUE_NAMES.trainingReminders],
  startWorkers: async ({ config, dataSource, logger, outbox }) => [startReminderWorker(config.queue, dataSource, logger, outbox)],
  createResolvers: ({ dataSource, outbox, config }) => {
    const emailSettings = { organizer: { ...config.mail.sender, name: TRAINING_TEAM } };
    const events = new EventService(dataSource);
    const bookings = new BookingService(dataSource, emailSettings, outbox);
    const attendance = new AttendanceService(dataSource, outbox);
    const placeChanges = new PlaceChangeService(dataSource, emailSettings, outbox);
    const eventChanges = new EventChangeService(dataSource, emailSettings, outbox);
    return new Map<Function, object>([
      [EventResolver, new EventResolver(events)],
      [EventChangeResolver, new EventChangeResolver(eventChanges)],
      [PlaceHistoryResolver, new PlaceHistoryResolver(dataSource)],
      [EventHistoryResolver, new EventHistoryResolver(dataSource)],
      [PlaceChangeResolver, new PlaceChangeResolver(placeChanges, bookings)],
      [BookingResolver, new BookingResolver(bookings, events)],
      [PlaceResolver, new PlaceResolver(events)],
      [EventRegisterResolver, new EventRegisterResolver(bookings)],
      [AttendanceResolver, new AttendanceResolver(attendance)],
      [SchoolBookingsResolver, new SchoolBookingsResolver(bookings)],
    ]);
  },
  seedDemoData: ({ dataSource }) => seedDemoProgramme(dataSource),
};
