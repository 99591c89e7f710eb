import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { validateList, type RequestContext } from '@sendco/federation';
import { School } from './school.entity';
import { SchoolInput } from './school.inputs';
import { SchoolService } from './school.service';

@Resolver(() => School)
export class SchoolResolver {
  constructor(private readonly schools: SchoolService) {}

  @Query(() => School, { nullable: true, description: 'Public: a school by URN (NOT_FOUND when there is none).' })
  school(@Arg('urn', () => ID) urn: string): Promise<School> {
    return this.schools.getSchool(urn);
  }

  @Authorized('ADMIN') // before argument validation: others get FORBIDDEN, not field errors
  @Mutation(() => [School], { description: 'ADMIN. Insert or update schools by URN (the GIAS import uses this too).' })
  async upsertSchools(@Arg('schools', () => [SchoolInput], { validate: false }) schools: SchoolInput[], @Ctx() ctx: RequestContext): Promise<School[]> {
    await validateList(schools, 'schools');
    return this.schools.upsertSchools(ctx.principal, schools);
  }
}
