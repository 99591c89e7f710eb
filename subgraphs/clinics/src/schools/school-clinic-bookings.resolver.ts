import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { ClinicRequest } from '../requests/clinic-request.entity';
import { ClinicRequestService } from '../requests/request.service';
import { School } from './school';

@Resolver(() => School)
export class SchoolClinicBookingsResolver {
  constructor(private readonly requests: ClinicRequestService) {}

  @FieldResolver(() => [ClinicRequest], {
    nullable: true, // so FORBIDDEN blanks only this field, not the school's public fields
    description: "The school's clinic requests, newest first: its own staff and council roles only.",
  })
  clinicBookings(@Root() school: School, @Ctx() ctx: RequestContext): Promise<ClinicRequest[]> {
    return this.requests.requestsOfSchool(ctx.principal, school.urn);
  }
}
