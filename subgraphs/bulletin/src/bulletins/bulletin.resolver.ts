import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { EDITOR } from '../topics/topic.service';
import { Bulletin, UpcomingEntry } from './bulletin.entity';
import { BulletinConnection, BulletinDelivery, BulletinPreview, CreateBulletinInput } from './bulletin.inputs';
import { archiveUrl } from './bulletin-render';
import { isPublished, type BulletinService } from './bulletin.service';

@Resolver(() => Bulletin)
export class BulletinResolver {
  constructor(
    private readonly bulletinService: BulletinService,
    private readonly publicUrl: string,
  ) {}

  @Query(() => BulletinConnection, { description: 'Public: the archive of sent bulletins, newest first.' })
  bulletins(@Arg('first', () => Int, { nullable: true }) first: number | undefined, @Arg('after', () => String, { nullable: true }) after: string | undefined): Promise<BulletinConnection> {
    return this.bulletinService.archive(first, after);
  }

  @Query(() => Bulletin, { nullable: true, description: 'A sent bulletin (anyone); drafts and scheduled ones: BULLETIN_EDITOR.' })
  bulletin(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Bulletin> {
    return this.bulletinService.get(ctx.principal, id);
  }

  @Authorized(EDITOR)
  @Query(() => BulletinConnection, { description: "BULLETIN_EDITOR. Drafts, newest first: an editor's own and those other services made (sourceKey set), to check and send." })
  bulletinDrafts(
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<BulletinConnection> {
    return this.bulletinService.drafts(ctx.principal, first, after);
  }

  @Authorized(EDITOR)
  @Query(() => BulletinPreview, { description: 'BULLETIN_EDITOR. The email as readers will get it (rendered HTML and text), without sending anything.' })
  bulletinPreview(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<BulletinPreview> {
    return this.bulletinService.preview(ctx.principal, id);
  }

  @Authorized(EDITOR)
  @Mutation(() => Bulletin, { description: 'BULLETIN_EDITOR. A DRAFT bulletin; item bodies are Markdown.' })
  createBulletin(@Arg('input', () => CreateBulletinInput) input: CreateBulletinInput, @Ctx() ctx: RequestContext): Promise<Bulletin> {
    return this.bulletinService.create(ctx.principal, input);
  }

  @Authorized(EDITOR)
  @Mutation(() => Bulletin, { description: 'BULLETIN_EDITOR. sendAt null = now. Every matching confirmed subscriber gets exactly one email.' })
  scheduleBulletin(@Arg('id', () => ID) id: string, @Arg('sendAt', () => Date, { nullable: true }) sendAt: Date | undefined, @Ctx() ctx: RequestContext): Promise<Bulletin> {
    return this.bulletinService.schedule(ctx.principal, id, sendAt ?? null);
  }

  @Authorized(EDITOR)
  @Mutation(() => Bulletin, { description: 'BULLETIN_EDITOR. Back to DRAFT; possible until sending starts (CONFLICT after).' })
  cancelBulletin(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Bulletin> {
    return this.bulletinService.cancel(ctx.principal, id);
  }

  @Authorized(EDITOR)
  @Mutation(() => String, { description: "BULLETIN_EDITOR. Sends the bulletin, marked [Test], to the editor's own address (returned)." })
  sendTestBulletin(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return this.bulletinService.sendTest(ctx.principal, id);
  }

  @Authorized(EDITOR)
  @FieldResolver(() => BulletinDelivery, { description: 'BULLETIN_EDITOR. Delivery progress.' })
  delivery(@Root() bulletin: Bulletin): Promise<BulletinDelivery> {
    return this.bulletinService.delivery(bulletin.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The public web page of a sent bulletin.' })
  webUrl(@Root() bulletin: Bulletin): string | null {
    return isPublished(bulletin) ? archiveUrl(this.publicUrl, bulletin.id) : null;
  }

  @FieldResolver(() => [UpcomingEntry], { nullable: true, description: 'The upcoming training and clinics section, as it was sent.' })
  upcoming(@Root() bulletin: Bulletin): UpcomingEntry[] | null {
    return bulletin.upcoming;
  }
}
