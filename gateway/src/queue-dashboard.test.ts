import { isAllowedDashboardRequest, SESSION_MAX_AGE_SECONDS, sessionMaxAge } from './queue-dashboard';

describe('the queue dashboard', () => {
  it('lets an admin look, pause, resume, promote and retry failed jobs, and nothing else', () => {
    const allowed = [
      ['GET', '/api/queues'],
      ['GET', '/api/queues/email/abc/logs'],
      ['PUT', '/api/queues/pause'],
      ['PUT', '/api/queues/resume'],
      ['PUT', '/api/queues/email/pause'],
      ['PUT', '/api/queues/email/promote'],
      ['PUT', '/api/queues/email/retry/failed'],
      ['PUT', '/api/queues/email/123/retry'],
      ['PUT', '/api/queues/training-reminders/123/promote'],
    ];
    const refused = [
      ['POST', '/api/queues/email/add'],
      ['PUT', '/api/queues/email/retry/completed'],
      ['PUT', '/api/queues/email/clean/completed'],
      ['PUT', '/api/queues/email/123/clean'],
      ['PUT', '/api/queues/email/empty'],
      ['PUT', '/api/queues/email/obliterate'],
      ['PATCH', '/api/queues/email/123/update-data'],
      ['PATCH', '/api/queues/email/123/delay'],
      ['PUT', '/api/queues/email/concurrency'],
      ['POST', '/api/metrics/history/purge'],
      ['DELETE', '/api/queues/email'],
    ];
    expect(allowed.filter(([method, path]) => !isAllowedDashboardRequest(method, path))).toEqual([]);
    expect(refused.filter(([method, path]) => isAllowedDashboardRequest(method, path))).toEqual([]);
  });

  it('keeps a session 15 minutes at most, and never past the token', () => {
    const now = 1_800_000_000;
    expect(sessionMaxAge(now + 8 * 3600, now)).toBe(SESSION_MAX_AGE_SECONDS);
    expect(sessionMaxAge(now + 60, now)).toBe(60);
    expect(sessionMaxAge(now - 5, now)).toBe(0);
    expect(sessionMaxAge(undefined, now)).toBe(SESSION_MAX_AGE_SECONDS);
  });
});
