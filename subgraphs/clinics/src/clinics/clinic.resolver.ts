import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { AuditEntryView, requestLoader, type RequestContext } from '@sendco/federation';
import { mayRunClinicsOf, requireMayRunClinicsOf } from '../access';
import { historyOf } from '../audit/histories';
import { School } from '../schools/school';
import { placesLeft } from './clinic-rules';
import { Clinic, ClinicLocation } from './clinic.entity';
import { ClinicFilter, CreateClinicInput, UpdateClinicInput } from './clinic.inputs';
import { ClinicService } from './clinic.service';
import { ClinicConnection } from './clinic.types';

@Resolver(() => Clinic)
export class ClinicResolver {
  constructor(
    private readonly clinicService: ClinicService,
    private readonly dataSource: DataSource,
  ) {}

  @Query(() => [Clinic], { description: 'Public: upcoming clinics (scheduled, not started), soonest first, at most 500; clinicsConnection pages through any number.' })
  clinics(@Arg('filter', () => ClinicFilter, { nullable: true }) filter: ClinicFilter | undefined): Promise<Clinic[]> {
    return this.clinicService.listUpcoming(filter ?? {});
  }

  @Query(() => ClinicConnection, { description: 'Public: the upcoming clinics of `clinics`, as Relay pages.' })
  clinicsConnection(
    @Arg('filter', () => ClinicFilter, { nullable: true }) filter: ClinicFilter | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
  ): Promise<ClinicConnection> {
    return this.clinicService.pageUpcoming(filter ?? {}, first, after);
  }

  @Query(() => Clinic, { nullable: true, description: 'Public: a clinic by id (NOT_FOUND when there is none).' })
  clinic(@Arg('id', () => ID) id: string): Promise<Clinic> {
    return this.clinicService.getClinic(id);
  }

  @Authorized('CLINIC_PROVIDER')
  @Query(() => [Clinic], { description: "CLINIC_PROVIDER: their school's clinics, every status, soonest first (ADMIN names the school)." })
  providerClinics(
    @Arg('schoolUrn', () => ID, { nullable: true }) schoolUrn: string | undefined,
    @Arg('includePast', { defaultValue: false }) includePast: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<Clinic[]> {
    return this.clinicService.clinicsOfProvider(ctx.principal, schoolUrn, includePast);
  }

  @Authorized('CLINIC_PROVIDER') // before argument validation: a school gets FORBIDDEN, not field errors
  @Mutation(() => Clinic, { description: 'CLINIC_PROVIDER of the delivering school (a special school), or ADMIN.' })
  createClinic(@Arg('input', () => CreateClinicInput) input: CreateClinicInput, @Ctx() ctx: RequestContext): Promise<Clinic> {
    return this.clinicService.createClinic(ctx.principal, input);
  }

  @Authorized('CLINIC_PROVIDER')
  @Mutation(() => Clinic, { description: 'The delivering school or ADMIN. Active attendees are emailed when what they were told changes.' })
  updateClinic(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateClinicInput) input: UpdateClinicInput, @Ctx() ctx: RequestContext): Promise<Clinic> {
    return this.clinicService.updateClinic(ctx.principal, id, input);
  }

  @Authorized('CLINIC_PROVIDER')
  @Mutation(() => Clinic, { description: 'The delivering school or ADMIN. Every active request is cancelled and its attendee emailed.' })
  cancelClinic(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | undefined, @Ctx() ctx: RequestContext): Promise<Clinic> {
    return this.clinicService.cancelClinic(ctx.principal, id, reason);
  }

  @FieldResolver(() => School, { nullable: true, description: 'The special school that runs it (fields from the directory; null if the directory no longer knows it).' })
  deliveringSchool(@Root() clinic: Clinic): School {
    return { urn: clinic.deliveringSchoolUrn };
  }

  @FieldResolver(() => ClinicLocation, { nullable: true, description: 'Where a face-to-face clinic is held; null online.' })
  location(@Root() clinic: Clinic): ClinicLocation | null {
    return clinic.location?.name ? clinic.location : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "An online clinic's link: here only for the delivering school and ADMIN (null for everyone else); confirmed attendees find it on their request and in their emails.",
  })
  joiningUrl(@Root() clinic: Clinic, @Ctx() ctx: RequestContext): string | null {
    return mayRunClinicsOf(ctx.principal, clinic.deliveringSchoolUrn) ? (clinic.joiningUrl ?? null) : null;
  }

  @FieldResolver(() => Int, { description: 'Places not held by a REQUESTED or CONFIRMED request; never below 0.' })
  async placesLeft(@Root() clinic: Clinic, @Ctx() ctx: RequestContext): Promise<number> {
    const held = await requestLoader<string, number>(ctx, 'clinicHeldPlaces', (ids) => this.clinicService.heldPlaces(ids)).load(clinic.id);
    return placesLeft(clinic.capacity, held);
  }

  @FieldResolver(() => [AuditEntryView], { nullable: true, description: 'The delivering school and ADMIN: every change to this clinic, oldest first.' })
  history(@Root() clinic: Clinic, @Ctx() ctx: RequestContext): Promise<AuditEntryView[]> {
    requireMayRunClinicsOf(ctx.principal, clinic.deliveringSchoolUrn);
    return historyOf(ctx, this.dataSource, 'clinic', clinic.id);
  }
}
