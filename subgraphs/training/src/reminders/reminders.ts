/**
 * Reminders: a delayed job per confirmed place (scheduled through the outbox when the place is
 * confirmed; see reminderFor in booking-emails.ts), kept by the queue so it survives restarts
 * of every process. When it falls due this subgraph, which owns the data, decides whether it
 * still applies and only then records the email. So a cancelled place or event, a moved event
 * or a repeated job sends nothing, without anyone having to find and delete jobs.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '@sendco/logger';
import { commitWithJobs, createWorker, QUEUE_NAMES, type OutboxRelay, type PlaceReminderJob, type QueueConfig } from '@sendco/queue';
import { audit } from '@sendco/database';
import { Booking } from '../bookings/booking.entity';
import { reminderEmail } from '../bookings/booking-emails';
import { PlaceStatus } from '../bookings/place-status';
import { Place } from '../bookings/place.entity';
import { EventStatus } from '../events/event.enums';
import { findLockedEvent } from '../events/event-lock';
import type { TrainingEvent } from '../events/event.entity';
import { Workshop } from '../events/workshop.entity';

export type ReminderOutcome = 'sent' | 'place-not-confirmed' | 'event-not-running' | 'event-moved' | 'already-reminded' | 'place-gone';

/** Whether a due reminder still applies. Pure, so each reason is unit-tested. */
export function reminderDecision(
  place: Pick<Place, 'status' | 'remindedAt'> | null,
  event: Pick<TrainingEvent, 'status' | 'startsAt'> | null,
  job: PlaceReminderJob,
): ReminderOutcome {
  if (!place || !event) return 'place-gone';
  if (event.status !== EventStatus.PUBLISHED) return 'event-not-running';
  if (event.startsAt.toISOString() !== job.eventStartsAt) return 'event-moved';
  if (place.status !== PlaceStatus.CONFIRMED) return 'place-not-confirmed';
  if (place.remindedAt) return 'already-reminded';
  return 'sent';
}

/** Handles one due reminder: records the email (and marks the place) in one transaction, or nothing. */
export async function handlePlaceReminder(dataSource: DataSource, job: PlaceReminderJob, outbox?: Pick<OutboxRelay, 'kick'>): Promise<ReminderOutcome> {
  return commitWithJobs(dataSource, outbox, async (manager) => {
    const found = await manager.getRepository(Place).findOne({ where: { id: job.placeId } });
    if (!found) return { result: 'place-gone' as const, jobs: [] };
    // The event's lock first, as every other place change takes it.
    const event = await findLockedEvent(manager, found.eventId);
    const place = await manager.getRepository(Place).findOne({ where: { id: job.placeId } });
    const decision = reminderDecision(place, event, job);
    if (decision !== 'sent') return { result: decision, jobs: [] };
    const booking = await manager.getRepository(Booking).findOneOrFail({ where: { id: place!.bookingId } });
    const workshop = place!.workshopId ? await manager.getRepository(Workshop).findOne({ where: { id: place!.workshopId } }) : null;
    await manager.getRepository(Place).update({ id: place!.id }, { remindedAt: new Date() });
    await audit(manager, [{ subjectType: 'place', subjectId: place!.id, action: 'place.reminded', actor: 'system' }]);
    return { result: decision, jobs: [reminderEmail(event!, place!, booking.reference, workshop?.title)] };
  });
}

/** The training subgraph's own worker for its reminder queue. */
export function startReminderWorker(queue: QueueConfig, dataSource: DataSource, logger: Logger, outbox?: Pick<OutboxRelay, 'kick'>) {
  const worker = createWorker<PlaceReminderJob>(queue, QUEUE_NAMES.trainingReminders, async (job) => {
    const outcome = await handlePlaceReminder(dataSource, job.data, outbox);
    logger.info({ jobId: job.id, placeId: job.data.placeId, outcome }, 'place reminder handled');
    return outcome;
  });
  worker.on('error', (error) => logger.warn({ err: error }, 'reminder worker error'));
  return worker;
}
