import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { PathwayApplication } from '../applications/application.entity';
import { PathwayApplicationService } from '../applications/application.service';
import { School } from './school';

@Resolver(() => School)
export class SchoolPathwayApplicationsResolver {
  constructor(private readonly applications: PathwayApplicationService) {}

  @FieldResolver(() => [PathwayApplication], {
    nullable: true, // so FORBIDDEN blanks only this field, not the school's public fields
    description: "The school's Enhanced Pathways applications, newest first: its own staff and council roles only.",
  })
  pathwayApplications(@Root() school: School, @Ctx() ctx: RequestContext): Promise<PathwayApplication[]> {
    return this.applications.ofSchool(ctx.principal, school.urn);
  }
}
