import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { AuditEntryView, requestLoader, type RequestContext } from '@sendco/federation';
import { historyOf } from '../audit/histories';
import { Clinic } from '../clinics/clinic.entity';
import { ClinicMode } from '../clinics/clinic.enums';
import { ClinicService } from '../clinics/clinic.service';
import { School } from '../schools/school';
import { ClinicAttendee, ClinicRequest } from './clinic-request.entity';
import { ClinicRequestInput } from './request.inputs';
import { ClinicRequestService } from './request.service';
import { ClinicDecision, ClinicRequestStatus } from './request-status';

/** Only reachable through a query that has already checked the caller may see the request. */
@Resolver(() => ClinicRequest)
export class ClinicRequestResolver {
  constructor(
    private readonly requests: ClinicRequestService,
    private readonly clinics: ClinicService,
    private readonly dataSource: DataSource,
  ) {}

  @Authorized('SENDCO', 'SCHOOL_STAFF') // which school is checked in the service
  @Mutation(() => ClinicRequest, {
    description: 'SENDCO or SCHOOL_STAFF of schoolUrn. Holds a place (REQUESTED) and emails the answers to the clinic\'s contact; a full clinic answers CONFLICT.',
  })
  requestClinicPlace(@Arg('input', () => ClinicRequestInput) input: ClinicRequestInput, @Ctx() ctx: RequestContext): Promise<ClinicRequest> {
    return this.requests.requestPlace(ctx.principal, input);
  }

  @Authorized('CLINIC_PROVIDER')
  @Mutation(() => ClinicRequest, { description: 'CLINIC_PROVIDER of the delivering school, or ADMIN. The attendee is emailed; a confirmation carries an .ics invitation.' })
  decideClinicRequest(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => ClinicDecision) decision: ClinicDecision,
    @Arg('message', () => String, { nullable: true }) message: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ClinicRequest> {
    return this.requests.decide(ctx.principal, id, decision, message);
  }

  @Authorized('SENDCO', 'SCHOOL_STAFF', 'CLINIC_PROVIDER')
  @Mutation(() => ClinicRequest, { description: 'Either side (the requesting school, the delivering school) or ADMIN. Frees the place; a confirmed attendee\'s invitation is withdrawn.' })
  cancelClinicRequest(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | undefined, @Ctx() ctx: RequestContext): Promise<ClinicRequest> {
    return this.requests.cancel(ctx.principal, id, reason);
  }

  @Authorized()
  @Query(() => ClinicRequest, { nullable: true, description: 'The requesting school\'s staff, council roles, or the delivering school.' })
  clinicRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ClinicRequest> {
    return this.requests.getRequest(ctx.principal, id);
  }

  @FieldResolver(() => Clinic)
  async clinic(@Root() request: ClinicRequest, @Ctx() ctx: RequestContext): Promise<Clinic | null> {
    return requestLoader<string, Clinic | null>(ctx, 'clinicById', (ids) => this.clinics.findByIds(ids)).load(request.clinicId);
  }

  @FieldResolver(() => School, { nullable: true, description: 'The requesting school (null if the directory no longer knows it).' })
  school(@Root() request: ClinicRequest): School {
    return { urn: request.schoolUrn };
  }

  @FieldResolver(() => ClinicAttendee)
  attendee(@Root() request: ClinicRequest): ClinicAttendee {
    return { name: request.attendeeName, email: request.attendeeEmail, role: request.attendeeRole ?? null };
  }

  @FieldResolver(() => String, { nullable: true, description: 'The joining link of an online clinic, once the place is CONFIRMED.' })
  async joiningUrl(@Root() request: ClinicRequest, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (request.status !== ClinicRequestStatus.CONFIRMED) return null;
    const clinic = await this.clinic(request, ctx);
    return clinic?.mode === ClinicMode.ONLINE ? (clinic.joiningUrl ?? null) : null;
  }

  @FieldResolver(() => [AuditEntryView], { description: 'Every change to this request, oldest first.' })
  history(@Root() request: ClinicRequest, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    return historyOf(ctx, this.dataSource, 'clinic_request', request.id);
  }
}

/** The delivering school's view of a clinic's requests: its attendee list. */
@Resolver(() => Clinic)
export class ClinicRequestsResolver {
  constructor(private readonly requestService: ClinicRequestService) {}

  @FieldResolver(() => [ClinicRequest], {
    nullable: true, // so FORBIDDEN blanks only this field, not the clinic's public fields
    description: 'The delivering school and ADMIN: requests in the order they came, with answers (status CONFIRMED: the attendee list).',
  })
  requests(
    @Root() clinic: Clinic,
    @Arg('status', () => ClinicRequestStatus, { nullable: true }) status: ClinicRequestStatus | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ClinicRequest[]> {
    return this.requestService.requestsOfClinic(ctx.principal, clinic, status);
  }
}
