import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { ClinicTheme } from './theme.entity';
import { ThemeService } from './theme.service';

@Resolver(() => ClinicTheme)
export class ThemeResolver {
  constructor(private readonly themes: ThemeService) {}

  @Query(() => [ClinicTheme], { description: 'Public: the managed list of clinic themes, in the council\'s order (retired ones only when asked).' })
  clinicThemes(@Arg('includeRetired', { defaultValue: false }) includeRetired: boolean): Promise<ClinicTheme[]> {
    return this.themes.list(includeRetired);
  }

  @Authorized('ADMIN')
  @Mutation(() => ClinicTheme, { description: 'ADMIN. Adds a theme to the list (or brings a retired one back).' })
  addClinicTheme(
    @Arg('name') name: string,
    @Arg('description', () => String, { nullable: true }) description: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ClinicTheme> {
    return this.themes.addTheme(ctx.principal, name, description);
  }

  @Authorized('ADMIN')
  @Mutation(() => ClinicTheme, { description: 'ADMIN. Retires a theme: clinics that have it keep it; new clinics cannot use it.' })
  retireClinicTheme(@Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<ClinicTheme> {
    return this.themes.retireTheme(ctx.principal, name);
  }
}
