import type { Job } from 'bullmq';
import { createLogger } from '@sendco/logger';
import { sendOncePerJob } from './send-once';

const job = (id: string | undefined) => ({ id, attemptsMade: 0 }) as unknown as Job<unknown>;

describe('sendOncePerJob', () => {
  const logger = createLogger('jobs', 'silent');

  it('sends a job once, and answers a repeat of it with the first result', async () => {
    const sent: string[] = [];
    const processor = sendOncePerJob(async (j: Job<unknown>) => {
      sent.push(j.id!);
      return { messageId: `<${j.id}@example.org>` };
    }, logger);
    expect(await processor(job('a'))).toEqual({ messageId: '<a@example.org>' });
    expect(await processor(job('b'))).toEqual({ messageId: '<b@example.org>' });
    expect(await processor(job('a'))).toEqual({ messageId: '<a@example.org>' });
    expect(sent).toEqual(['a', 'b']);
  });

  it('tries a job again when its send failed', async () => {
    let calls = 0;
    const processor = sendOncePerJob(async () => {
      calls += 1;
      if (calls === 1) throw new Error('mail server down');
      return 'sent';
    }, logger);
    await expect(processor(job('a'))).rejects.toThrow('mail server down');
    expect(await processor(job('a'))).toBe('sent');
    expect(calls).toBe(2);
  });

  it('remembers only the most recent jobs, and never jobs without an id', async () => {
    let calls = 0;
    const processor = sendOncePerJob(async () => ++calls, logger, 2);
    await processor(job('a'));
    await processor(job('b'));
    await processor(job('c'));
    await processor(job('a')); // forgotten: sent again
    await processor(job('c')); // remembered
    await processor(job(undefined));
    await processor(job(undefined));
    expect(calls).toBe(6);
  });
});
