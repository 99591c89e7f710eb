import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { Place } from '../bookings/place.entity';
import { TrainingEvent } from '../events/event.entity';
import { AttendanceService } from './attendance.service';

/** Attendance and the register export: training team only. */
@Resolver(() => TrainingEvent)
export class AttendanceResolver {
  constructor(private readonly attendance: AttendanceService) {}

  @Authorized('TRAINING_ADMIN') // before argument validation: a school gets FORBIDDEN, not a list of field errors
  @Mutation(() => [Place], {
    description:
      'TRAINING_ADMIN, once the event has started. attendedPlaceIds is everyone who attended: those places become ATTENDED, every other CONFIRMED (or already marked) place NO_SHOW. Sending it again changes nothing; a corrected list corrects either way. Each attendee is emailed a CPD certificate (PDF) once. Returns the marked places in register order.',
  })
  recordAttendance(
    @Arg('eventId', () => ID) eventId: string,
    @Arg('attendedPlaceIds', () => [ID]) attendedPlaceIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<Place[]> {
    return this.attendance.recordAttendance(ctx.principal, eventId, attendedPlaceIds);
  }

  @Authorized('TRAINING_ADMIN')
  @FieldResolver(() => String, {
    description:
      'Training team only: the register as CSV (RFC 4180), one row per place in register order: booking reference, delegate, email, job title, school URN, workshop, status, access and dietary requirements.',
  })
  registerCsv(@Root() event: TrainingEvent, @Ctx() ctx: RequestContext): Promise<string> {
    return this.attendance.registerCsv(ctx.principal, event);
  }
}
