/**
 * The queue dashboard (bull-board) at /admin/queues, for ADMIN only, on either queue backend.
 *
 * A browser cannot send a bearer token when it opens a page, so the admin's token is exchanged
 * for a cookie: `POST /admin/queues/session` with `Authorization: Bearer <token>` (the admin
 * front end does this with fetch; /admin/queues/login is a small page that does it for a pasted
 * token) answers with a cookie that holds the same token: HttpOnly (no script reads it),
 * SameSite=Strict (no other site's page can make the browser send it, so no CSRF), Path
 * /admin/queues (never sent to /graphql), Secure when PUBLIC_URL is https, and kept by the
 * browser for at most 15 minutes and never past the token's own expiry. Every dashboard request
 * verifies the token and the ADMIN role again, exactly as /graphql does; nothing is stored on the
 * server, so any gateway instance accepts it.
 *
 * The dashboard may pause, resume, promote and retry failed jobs. It may not add, edit, clean,
 * empty or obliterate jobs, nor retry completed ones: every email is committed through the
 * outbox, and those actions would send an email nobody committed, send one twice, or lose one.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createTokenVerifier, isAnonymous, type Principal } from '@sendco/auth';
import type { AppConfig } from '@sendco/config';
import type { Logger } from '@sendco/logger';
import { PageRenderer } from '@sendco/federation';
import { createQueue, QUEUE_NAMES } from '@sendco/queue';
import { GATEWAY_PAGE_TEMPLATES } from './page-templates';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
export const SESSION_COOKIE = 'sendco_queue_dashboard';
/** How long the browser keeps the session, at most. */
export const SESSION_MAX_AGE_SECONDS = 15 * 60;

/** Changes an admin may make from the dashboard (relative to its mount); every other write is refused. */
const ALLOWED_WRITES = [
  /^\/api\/queues\/(pause|resume)$/,
  /^\/api\/queues\/[^/]+\/(pause|resume|promote)$/,
  /^\/api\/queues\/[^/]+\/retry\/failed$/,
  /^\/api\/queues\/[^/]+\/[^/]+\/(retry|promote)$/,
];
/** A single job's retry: allowed for a failed job only (bull-board would also retry a completed one). */
const JOB_RETRY = /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/;

export function isAllowedDashboardRequest(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return ALLOWED_WRITES.some((pattern) => pattern.test(path));
}

/** Seconds the session cookie may live: 15 minutes, or less when the token expires sooner. */
export function sessionMaxAge(tokenExpiresAt: number | undefined, nowSeconds: number): number {
  const untilExpiry = tokenExpiresAt === undefined ? SESSION_MAX_AGE_SECONDS : Math.floor(tokenExpiresAt - nowSeconds);
  return Math.max(0, Math.min(SESSION_MAX_AGE_SECONDS, untilExpiry));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function tokenExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

export interface QueueDashboard {
  router: Router;
  close(): Promise<void>;
}

export function queueDashboard(config: AppConfig, logger: Logger): QueueDashboard {
  const verifier = createTokenVerifier(config.auth);
  const secure = config.publicUrl.startsWith('https:');
  const queues: Queue[] = Object.values(QUEUE_NAMES).map((name) => {
    const queue = createQueue(config.queue, name);
    queue.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue dashboard: queue connection error'));
    return queue;
  });
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    // Retrying a completed email job would send it again.
    // (The option is missing from bull-board's typings; it hides the button, and the check below refuses the request.)
    queues: queues.map((queue) => new BullMQAdapter(queue, { allowCompletedRetries: false } as ConstructorParameters<typeof BullMQAdapter>[1])),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'SENDCO Hub queues' } },
  });

  const adminOnly = async (authorization: string | undefined): Promise<Principal | 'unauthenticated' | 'forbidden'> => {
    let principal: Principal;
    try {
      principal = await verifier.verify(authorization);
    } catch {
      return 'unauthenticated';
    }
    if (isAnonymous(principal)) return 'unauthenticated';
    return principal.roles.includes('ADMIN') ? principal : 'forbidden';
  };

  const router = express.Router();
  const setCookie = (res: Response, value: string, maxAge: number) =>
    res.setHeader(
      'set-cookie',
      `${SESSION_COOKIE}=${value}; Path=${QUEUE_DASHBOARD_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
    );

  router.post('/session', async (req, res) => {
    const outcome = await adminOnly(req.headers.authorization);
    if (outcome === 'unauthenticated') {
      res.status(401).setHeader('www-authenticate', 'Bearer').json({ error: 'Send an ADMIN token as "Authorization: Bearer <token>".' });
      return;
    }
    if (outcome === 'forbidden') {
      res.status(403).json({ error: 'The queue dashboard is for the ADMIN role only.' });
      return;
    }
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization!.trim())![1];
    setCookie(res, token, sessionMaxAge(tokenExpiry(token), Date.now() / 1000));
    logger.info({ sub: outcome.sub }, 'queue dashboard session started');
    res.status(204).end();
  });
  router.delete('/session', (_req, res) => {
    setCookie(res, '', 0);
    res.status(204).end();
  });
  // The page's one script is the same-origin file below, allowed by a nonce made for each response.
  router.get('/login', (_req, res) => {
    loginPage.send(res, 'queue-login', { scriptHref: `${QUEUE_DASHBOARD_PATH}/login.js` }, { script: true, policy: { connectSelf: true } });
  });
  router.get('/login.js', (_req, res) => {
    res.type('application/javascript').send(LOGIN_SCRIPT);
  });

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const outcome = token ? await adminOnly(`Bearer ${token}`) : 'unauthenticated';
    if (outcome === 'unauthenticated' || outcome === 'forbidden') {
      if (req.method === 'GET' && !req.path.startsWith('/api/') && req.accepts('html')) {
        res.redirect(303, `${QUEUE_DASHBOARD_PATH}/login`);
        return;
      }
      res.status(outcome === 'forbidden' ? 403 : 401).json({ error: 'Sign in to the queue dashboard with an ADMIN token first.' });
      return;
    }
    if (!isAllowedDashboardRequest(req.method, req.path)) {
      res.status(403).json({ error: 'The dashboard may pause, resume, promote and retry failed jobs only: emails are committed through the outbox.' });
      return;
    }
    const jobRetry = req.method === 'PUT' ? JOB_RETRY.exec(req.path) : null;
    if (jobRetry) {
      const queue = queues.find((q) => q.name === decodeURIComponent(jobRetry[1]));
      let state: string | undefined;
      try {
        state = await queue?.getJob(decodeURIComponent(jobRetry[2])).then((job) => job?.getState());
      } catch (error) {
        logger.warn({ err: error }, 'queue dashboard: could not read the job to retry');
        res.status(503).json({ error: 'The queue did not answer; try again.' });
        return;
      }
      if (state !== 'failed') {
        res.status(403).json({ error: 'Only a failed job may be retried: a completed email job would be sent again.' });
        return;
      }
    }
    res.setHeader('cache-control', 'no-store');
    next();
  });
  router.use(serverAdapter.getRouter() as Router);

  return {
    router,
    close: async () => {
      for (const queue of queues) await queue.close();
    },
  };
}

const loginPage = new PageRenderer(GATEWAY_PAGE_TEMPLATES).assertTemplates(['queue-login']);

const LOGIN_SCRIPT = `document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = document.getElementById('token').value.trim();
  const response = await fetch('${QUEUE_DASHBOARD_PATH}/session', { method: 'POST', headers: { authorization: 'Bearer ' + token } });
  if (response.ok) { window.location.assign('${QUEUE_DASHBOARD_PATH}'); return; }
  document.getElementById('message').textContent = response.status === 403 ? 'That token is not an ADMIN token.' : 'That token is not valid or has expired.';
});
`;
