/**
 * Postgres's view of a booking rush: every few milliseconds, which sessions wait for a lock, and
 * what the session they wait for is doing. A holder that is "idle in transaction" holds the event
 * row lock while Postgres waits for the client (the training subgraph) to send its next statement:
 * that is the time a shorter round trip list takes out. "active" is time spent in Postgres itself.
 */
import { Client } from 'pg';

export interface LockSample {
  /** Samples in which at least one session waited for a lock. */
  samplesWithWaiters: number;
  /** Sessions waiting for a lock, on average, in those samples. */
  meanWaiters: number;
  /** What the lock holder was doing, share of those samples. */
  holderState: Record<string, number>;
  /** The holder's last (or current) statement, first 60 characters, share of those samples. */
  holderStatement: Record<string, number>;
  samples: number;
}

const SAMPLE_SQL = `
  SELECT w.pid AS waiter, h.pid AS holder, h.state, h.wait_event_type AS holder_wait, left(regexp_replace(h.query, '\\s+', ' ', 'g'), 60) AS query
  FROM pg_stat_activity w
  CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS b(pid)
  JOIN pg_stat_activity h ON h.pid = b.pid
  WHERE w.datname = current_database() AND w.wait_event_type = 'Lock'`;

export class LockSampler {
  private client?: Client;
  private stopped = false;
  private running?: Promise<void>;
  private samples = 0;
  private withWaiters = 0;
  private waiters = 0;
  private states = new Map<string, number>();
  private statements = new Map<string, number>();

  constructor(
    private readonly databaseUrl: string,
    private readonly intervalMs = 5,
  ) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: this.databaseUrl });
    await this.client.connect();
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const { rows } = await this.client!.query<{ waiter: number; holder: number; state: string; holder_wait: string | null; query: string }>(SAMPLE_SQL);
      this.samples += 1;
      // The holder at the head of the queue is the one not itself waiting for a lock.
      const heads = [...new Map(rows.filter((r) => r.holder_wait !== 'Lock').map((r) => [r.holder, r])).values()];
      if (rows.length && heads.length) {
        this.withWaiters += 1;
        this.waiters += new Set(rows.map((r) => r.waiter)).size;
        for (const head of heads) {
          const state = head.state === 'active' ? 'active (in Postgres)' : head.state === 'idle in transaction' ? 'idle in transaction (waiting for the subgraph)' : head.state;
          this.states.set(state, (this.states.get(state) ?? 0) + 1 / heads.length);
          this.statements.set(head.query, (this.statements.get(head.query) ?? 0) + 1 / heads.length);
        }
      }
      await new Promise((r) => setTimeout(r, this.intervalMs));
    }
  }

  async stop(): Promise<LockSample> {
    this.stopped = true;
    await this.running;
    await this.client?.end();
    const share = (m: Map<string, number>) =>
      Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / Math.max(1, this.withWaiters)) * 1000) / 1000]));
    return {
      samples: this.samples,
      samplesWithWaiters: this.withWaiters,
      meanWaiters: Math.round((this.waiters / Math.max(1, this.withWaiters)) * 10) / 10,
      holderState: share(this.states),
      holderStatement: share(this.statements),
    };
  }
}
