/**
 * The signed links in bulletin emails. Each token says what it is for (its purpose claim) and
 * when it expires; a token for one purpose is refused for every other, so a confirmation link
 * cannot unsubscribe anyone and an unsubscribe link cannot confirm.
 */
import { PurposeTokenError, signPurposeToken, verifyPurposeToken } from '@sendco/auth';
import { badUserInput } from '@sendco/errors';

export const LinkPurpose = {
  confirm: 'bulletin-confirm',
  unsubscribe: 'bulletin-unsubscribe',
  preferences: 'bulletin-preferences',
} as const;
export type LinkPurpose = (typeof LinkPurpose)[keyof typeof LinkPurpose];

const DAY_SECONDS = 24 * 3600;
/** A confirmation link is for now; unsubscribe and preferences links sit in inboxes for months. */
export const LINK_LIFETIME_SECONDS: Record<LinkPurpose, number> = {
  [LinkPurpose.confirm]: 7 * DAY_SECONDS,
  [LinkPurpose.unsubscribe]: 400 * DAY_SECONDS,
  [LinkPurpose.preferences]: 400 * DAY_SECONDS,
};

const PATHS: Record<LinkPurpose, string> = {
  [LinkPurpose.confirm]: 'confirm',
  [LinkPurpose.unsubscribe]: 'unsubscribe',
  [LinkPurpose.preferences]: 'preferences',
};

const PROBLEM_MESSAGES: Record<PurposeTokenError['problem'], string> = {
  malformed: 'is not a link from a bulletin email',
  invalid: 'is not a genuine link from a bulletin email',
  expired: 'has expired; please ask for a new one',
  'wrong-purpose': 'is a link for something else',
};

export class SubscriberLinks {
  constructor(
    private readonly secret: string,
    /** PUBLIC_URL: links point at the gateway's port, where /bulletin/… is served. */
    private readonly publicUrl: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  token(purpose: LinkPurpose, subscriberId: string): Promise<string> {
    return signPurposeToken({ purpose, subject: subscriberId }, this.secret, LINK_LIFETIME_SECONDS[purpose], this.clock());
  }

  async url(purpose: LinkPurpose, subscriberId: string): Promise<string> {
    return `${this.publicUrl}/bulletin/${PATHS[purpose]}?token=${await this.token(purpose, subscriberId)}`;
  }

  /** The subscriber id the token was made for; BAD_USER_INPUT on `field` otherwise. */
  async subscriberId(token: string, purpose: LinkPurpose, field = 'token'): Promise<string> {
    try {
      return await verifyPurposeToken(token, purpose, this.secret, this.clock());
    } catch (error) {
      if (error instanceof PurposeTokenError) throw badUserInput([{ field, message: PROBLEM_MESSAGES[error.problem] }]);
      throw error;
    }
  }
}
