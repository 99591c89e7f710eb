import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { EDITOR } from '../topics/topic.service';
import {
  SubscribeInput,
  SubscribeResult,
  SubscriberImportResult,
  SubscriptionPreferences,
  SubscriptionPreferencesInput,
  SubscriptionStatusResult,
} from './subscriber.inputs';
import type { SubscriberService } from './subscriber.service';

@Resolver()
export class SubscriberResolver {
  constructor(private readonly subscribers: SubscriberService) {}

  @Mutation(() => SubscribeResult, { description: 'Public. Double opt-in: sends a confirmation link; the answer is the same whether or not the address is known.' })
  subscribe(@Arg('input', () => SubscribeInput) input: SubscribeInput): Promise<SubscribeResult> {
    return this.subscribers.subscribe(input);
  }

  @Mutation(() => SubscriptionStatusResult, { description: 'Public, with the token from the confirmation email.' })
  async confirmSubscription(@Arg('token') token: string): Promise<SubscriptionStatusResult> {
    return { status: await this.subscribers.confirm(token) };
  }

  @Mutation(() => SubscriptionStatusResult, { description: 'Public, with the token from any bulletin email (also a one-click POST to the List-Unsubscribe URL).' })
  async unsubscribe(@Arg('token') token: string): Promise<SubscriptionStatusResult> {
    return { status: await this.subscribers.unsubscribe(token) };
  }

  @Query(() => SubscriptionPreferences, { description: 'Public, with the token from the preferences link in any bulletin email.' })
  subscriptionPreferences(@Arg('token') token: string): Promise<SubscriptionPreferences> {
    return this.subscribers.preferences(token);
  }

  @Mutation(() => SubscriptionPreferences, { description: 'Public, with the preferences token: topics, each bulletin or a weekly digest, name, role, school.' })
  updateSubscriptionPreferences(
    @Arg('token') token: string,
    @Arg('input', () => SubscriptionPreferencesInput) input: SubscriptionPreferencesInput,
  ): Promise<SubscriptionPreferences> {
    return this.subscribers.updatePreferences(token, input);
  }

  @Authorized(EDITOR)
  @Mutation(() => SubscriberImportResult, {
    description: 'BULLETIN_EDITOR. An existing opted-in list as CSV (header: email,name,role,school_urn,topics,frequency,opted_in_at); `source` names the list.',
  })
  importSubscribers(@Arg('csv') csv: string, @Arg('source') source: string, @Ctx() ctx: RequestContext): Promise<SubscriberImportResult> {
    return this.subscribers.importCsv(ctx.principal, csv, source);
  }

  @Authorized(EDITOR)
  @Mutation(() => Boolean, { description: 'BULLETIN_EDITOR. Reports a bounce by hand: nothing more is sent to the address. False when no subscriber has it.' })
  suppressSubscriber(@Arg('email') email: string, @Arg('reason') reason: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return this.subscribers.suppress(ctx.principal, email, reason);
  }
}
