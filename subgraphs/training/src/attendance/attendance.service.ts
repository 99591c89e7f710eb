/**
 * Recording who attended an event, issuing their CPD certificates, and the register export.
 * Recording takes the event's row lock, the same lock booking and cancelling take, so a register
 * is decided against places nobody else is changing at that moment; the status changes, the
 * certificates, the audit log and the certificate emails (outbox) commit together or not at all.
 */
import { In, type DataSource } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { badUserInput } from '@sendco/errors';
import { commitWithJobs, type OutboxRelay } from '@sendco/queue';
import { audit, type AuditRecord } from '@sendco/database';
import { PlaceStatus } from '../bookings/place-status';
import { EventStatus } from '../events/event.enums';
import { Place } from '../bookings/place.entity';
import { lockEvent } from '../events/event-lock';
import { TrainingEvent } from '../events/event.entity';
import { workshopTitles } from '../bookings/place-lookups';
import { checkAttendanceOpen, decideAttendance, RECORDABLE } from './attendance';
import { Certificate } from './certificate.entity';
import { CERTIFICATE_ISSUER, certificateEmail, certificateNumber } from './certificate-emails';
import { registerCsv } from './register-csv';

export class AttendanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox?: Pick<OutboxRelay, 'kick'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * TRAINING_ADMIN, once the event has started. `attendedPlaceIds` is everyone who came; every
   * other confirmed (or already marked) place becomes NO_SHOW. Returns the marked places in
   * register order. New attendees are emailed their certificate.
   */
  async recordAttendance(principal: Principal, eventId: string, attendedPlaceIds: readonly string[]): Promise<Place[]> {
    requireRole(principal, 'TRAINING_ADMIN');
    return commitWithJobs(this.dataSource, this.outbox, async (manager) => {
      const event = await lockEvent(manager, eventId);
      checkAttendanceOpen(event, this.clock());

      const places = await manager.getRepository(Place).find({ where: { eventId }, order: { queueSeq: 'ASC' } });
      const certified = await manager.getRepository(Certificate).find({ select: { placeId: true }, where: { eventId } });
      const decision = decideAttendance(places, attendedPlaceIds, new Set(certified.map((c) => c.placeId)));
      if (decision.problems.length) throw badUserInput(decision.problems);

      for (const status of [PlaceStatus.ATTENDED, PlaceStatus.NO_SHOW]) {
        const ids = decision.changes.filter((c) => c.to === status).map((c) => c.placeId);
        if (ids.length) await manager.getRepository(Place).update({ id: In(ids) }, { status });
      }
      const byId = new Map(places.map((p) => [p.id, p]));
      for (const change of decision.changes) byId.get(change.placeId)!.status = change.to;

      const issued = decision.certify.length
        ? await manager.getRepository(Certificate).save(
            decision.certify.map((placeId) =>
              manager.getRepository(Certificate).create({ placeId, eventId, delegateName: byId.get(placeId)!.delegateName, cpdHours: event.cpdHours, issuedBy: CERTIFICATE_ISSUER }),
            ),
          )
        : [];

      const records: AuditRecord[] = decision.changes.map((c) => ({
        subjectType: 'place',
        subjectId: c.placeId,
        action: `place.${c.to.toLowerCase()}`,
        actor: principal.sub,
        details: { eventId, from: c.from },
      }));
      records.push(
        ...issued.map((c): AuditRecord => ({ subjectType: 'place', subjectId: c.placeId, action: 'place.certificate_issued', actor: principal.sub, details: { certificate: certificateNumber(c.serial) } })),
      );
      if (records.length) {
        const count = (status: PlaceStatus) => places.filter((p) => p.status === status).length;
        records.unshift({
          subjectType: 'event',
          subjectId: eventId,
          action: 'event.attendance_recorded',
          actor: principal.sub,
          details: { attended: count(PlaceStatus.ATTENDED), noShow: count(PlaceStatus.NO_SHOW), changed: decision.changes.length, certificatesIssued: issued.length },
        });
      }
      // The register is taken: the event has happened (corrections may still follow).
      if (event.status === EventStatus.PUBLISHED) {
        await manager.getRepository(TrainingEvent).update({ id: eventId }, { status: EventStatus.COMPLETED });
        records.push({ subjectType: 'event', subjectId: eventId, action: 'event.completed', actor: principal.sub });
      }
      await audit(manager, records);

      const titles = issued.length ? await workshopTitles(manager, eventId) : new Map<string, string>();
      const jobs = issued.map((c) => {
        const place = byId.get(c.placeId)!;
        return certificateEmail(event, place, c, place.workshopId ? titles.get(place.workshopId) : undefined);
      });
      return { result: places.filter((p) => RECORDABLE.includes(p.status)), jobs };
    });
  }

  /** TRAINING_ADMIN: every place on the event, in register order, as CSV. */
  async registerCsv(principal: Principal, event: Pick<TrainingEvent, 'id'>): Promise<string> {
    requireRole(principal, 'TRAINING_ADMIN');
    const [places, titles] = await Promise.all([
      this.dataSource.getRepository(Place).find({ where: { eventId: event.id }, relations: { booking: true }, order: { queueSeq: 'ASC' } }),
      workshopTitles(this.dataSource.manager, event.id),
    ]);
    return registerCsv(
      places.map((p) => ({
        reference: p.booking?.reference ?? '',
        delegateName: p.delegateName,
        delegateEmail: p.delegateEmail,
        jobTitle: p.jobTitle,
        schoolUrn: p.schoolUrn,
        workshop: p.workshopId ? titles.get(p.workshopId) : null,
        status: p.status,
        accessRequirements: p.accessRequirements,
        dietaryRequirements: p.dietaryRequirements,
      })),
    );
  }
}
