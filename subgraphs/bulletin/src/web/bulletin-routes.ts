/**
 * Plain HTTP beside GraphQL, at /bulletin/… on this subgraph and, through the gateway, on the one
 * public port: the one-click unsubscribe of RFC 8058 (a POST to the List-Unsubscribe URL), the
 * pages behind the links in emails, the public web archive, and the mail relay's bounce webhook.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { AppError, ErrorCode } from '@sendco/errors';
import type { Logger } from '@sendco/logger';
import { Bulletin } from '../bulletins/bulletin.entity';
import { personalise } from '../bulletins/bulletin-render';
import { isPublished, type BulletinService } from '../bulletins/bulletin.service';
import { BulletinFrequency } from '../subscribers/subscriber.enums';
import type { SubscriberService } from '../subscribers/subscriber.service';
import type { TopicService } from '../topics/topic.service';
import { ANONYMOUS } from '@sendco/auth';
import { BulletinPages } from './pages';

export interface BulletinRoutesDeps {
  subscribers: SubscriberService;
  bulletins: BulletinService;
  topics: TopicService;
  publicUrl: string;
  webhookSecret?: string;
  logger: Logger;
}

export function bulletinRoutes(deps: BulletinRoutesDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  const base = `${deps.publicUrl}/bulletin`;
  const pages = new BulletinPages(deps.publicUrl);
  const tokenOf = (req: Request) => (typeof req.query.token === 'string' ? req.query.token : '');
  const withToken = (path: string, token: string) => `${base}/${path}?token=${encodeURIComponent(token)}`;

  /** Service errors as pages: a bad link is the reader's problem to be told about, anything else ours. */
  const handle = (work: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await work(req, res);
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) {
        pages.message(res, 'This link does not work', error.message, 400);
      } else if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) {
        pages.message(res, 'Not found', 'There is no such bulletin.', 404);
      } else {
        deps.logger.error({ err: error }, 'bulletin page failed');
        pages.message(res, 'Something went wrong', 'Please try again later.', 500);
      }
    }
  };

  /**
   * A link from an email that changes something: GET shows a page with one button (so a link
   * scanner following it changes nothing), POST does it. RFC 8058's one-click unsubscribe is the
   * mail client's POST (body "List-Unsubscribe=One-Click") to the same URL.
   */
  const oneButtonAction = (path: 'unsubscribe' | 'confirm', ask: { title: string; question: string; button: string }, act: (token: string) => Promise<unknown>, done: { title: string; text: string }) => {
    router.get(`/${path}`, (req, res) => {
      pages.confirmButton(res, ask, withToken(path, tokenOf(req)));
    });
    router.post(
      `/${path}`,
      form,
      handle(async (req, res) => {
        await act(tokenOf(req));
        pages.message(res, done.title, done.text);
      }),
    );
  };
  oneButtonAction(
    'unsubscribe',
    { title: 'Unsubscribe', question: 'Stop getting the SENDCO bulletin at this address?', button: 'Unsubscribe' },
    (token) => deps.subscribers.unsubscribe(token),
    { title: 'You have been unsubscribed', text: 'You will not get the SENDCO bulletin any more. You can sign up again at any time.' },
  );
  oneButtonAction(
    'confirm',
    { title: 'Confirm your subscription', question: 'Start getting the SENDCO bulletin at this address?', button: 'Confirm' },
    (token) => deps.subscribers.confirm(token),
    { title: 'Subscription confirmed', text: 'Thank you: you will get the SENDCO bulletin from now on.' },
  );

  router.get(
    '/preferences',
    handle(async (req, res) => {
      const prefs = await deps.subscribers.preferences(tokenOf(req));
      pages.preferences(res, prefs, await deps.topics.list(), withToken('preferences', tokenOf(req)), false);
    }),
  );
  router.post(
    '/preferences',
    form,
    handle(async (req, res) => {
      const chosen = req.body?.topics;
      const topics = Array.isArray(chosen) ? chosen.map(String) : typeof chosen === 'string' ? [chosen] : [];
      const frequency = Object.values(BulletinFrequency).find((f) => f === req.body?.frequency);
      const prefs = await deps.subscribers.updatePreferences(tokenOf(req), { topics, frequency });
      pages.preferences(res, prefs, await deps.topics.list(), withToken('preferences', tokenOf(req)), true);
    }),
  );

  router.get('/manage', (_req, res) => {
    pages.message(res, 'Your subscription', 'Every bulletin email ends with your own links to change your topics or unsubscribe.');
  });

  router.get(
    '/archive',
    handle(async (_req, res) => {
      const { edges } = await deps.bulletins.archive(100, undefined);
      pages.archiveList(res, edges.map((e) => ({ id: e.node.id, title: e.node.title, sentAt: e.node.sentAt! })), `${base}/archive`);
    }),
  );
  router.get(
    '/archive/:id',
    handle(async (req, res) => {
      const bulletin: Bulletin = await deps.bulletins.get(ANONYMOUS, String(req.params.id));
      if (!isPublished(bulletin) || !bulletin.rendered) throw new AppError(ErrorCode.NOT_FOUND, 'Bulletin was not found.');
      // The web copy has no one's personal links.
      pages.archiveCopy(res, personalise(bulletin.rendered, { unsubscribeUrl: `${base}/manage`, preferencesUrl: `${base}/manage` }).html);
    }),
  );

  // The mail relay reports bounces here: `Authorization: Bearer <BULLETIN_WEBHOOK_SECRET>`, JSON { email, reason } or a list of them.
  router.post('/bounces', express.json({ limit: '256kb' }), async (req, res) => {
    if (!deps.webhookSecret) {
      res.status(404).json({ error: 'the bounce webhook is not configured (BULLETIN_WEBHOOK_SECRET)' });
      return;
    }
    if (!bearerMatches(req.headers.authorization, deps.webhookSecret)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthenticated' });
      return;
    }
    const reports = (Array.isArray(req.body) ? req.body : [req.body]) as { email?: unknown; reason?: unknown }[];
    if (!reports.length || reports.some((r) => typeof r?.email !== 'string' || !r.email.includes('@'))) {
      res.status(400).json({ error: 'expected { "email": "...", "reason": "..." } or a list of them' });
      return;
    }
    try {
      let suppressed = 0;
      for (const report of reports) if (await deps.subscribers.suppressReported(report.email as string, typeof report.reason === 'string' ? `bounce: ${report.reason}` : 'bounce')) suppressed += 1;
      res.json({ received: reports.length, suppressed });
    } catch (error) {
      deps.logger.error({ err: error }, 'bounce webhook failed');
      res.status(500).json({ error: 'internal error' });
    }
  });

  return router;
}

function bearerMatches(header: string | undefined, secret: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
