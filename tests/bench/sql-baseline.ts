/**
 * The booking rush's baseline: the same transaction shape as a booking, in bare SQL from one `pg`
 * pool of 10 connections (the size of a subgraph's pool), with no HTTP, GraphQL or ORM in the way:
 *
 *   BEGIN; SELECT … FROM event WHERE id = $1 FOR UPDATE; INSERT a place; INSERT two outbox rows; COMMIT
 *
 * all sent at once, so they queue on the one event row lock as the bookings do. What this reaches
 * on the machine, in the same run, is the ceiling the product's booking path is compared with.
 * It writes into the training schema of the benchmark's own database, on an event of its own; its
 * outbox rows are marked dispatched so the relay leaves them alone.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { percentile } from './http-load';

export interface SqlBaselineResult {
  transactions: number;
  wallMs: number;
  transactionsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

/** A confirmation job's payload, about the size the product writes. */
function outboxPayload(i: number): string {
  return JSON.stringify({
    template: 'booking-confirmation',
    to: { name: `Baseline ${i}`, email: `d${i}@baseline.bench.example.org` },
    vars: { delegateName: `Baseline ${i}`, eventTitle: 'Bench baseline', startsAt: new Date().toISOString(), endsAt: new Date().toISOString(), bookingReference: `TRN-BASE${i}` },
    invite: { uid: `place-${i}@sendco-hub`, sequence: 0, method: 'REQUEST', title: 'Bench baseline', description: 'Benchmark baseline.', organizer: { email: 'training@example.org' } },
  });
}

/** Set-up, not timed: a booking for the baseline's places to belong to. */
export async function prepareBaselineBooking(pool: Pool, eventId: string): Promise<string> {
  const { rows } = await pool.query(
    `INSERT INTO training.booking (reference, event_id, school_urn, booked_by) VALUES ($1, $2, '999999', 'bench-baseline') RETURNING id`,
    [`TRN-BASELINE-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, eventId],
  );
  return rows[0].id as string;
}

/** One transaction of the baseline's shape: lock the event row, insert a place and two outbox rows, commit. */
export async function baselineTransaction(pool: Pool, eventId: string, bookingId: string, i: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT id, capacity FROM training.event WHERE id = $1 FOR UPDATE', [eventId]);
    await client.query(
      `INSERT INTO training.place (booking_id, event_id, school_urn, delegate_name, delegate_email, status) VALUES ($1, $2, '999999', $3, $4, 'WAITLISTED')`,
      [bookingId, eventId, `Baseline ${i}`, `d${i}@baseline.bench.example.org`],
    );
    await client.query(
      `INSERT INTO training.outbox (queue, job_name, payload, dispatched_at) VALUES ('email', 'send-email', $1, now()), ('email', 'send-email', $2, now())`,
      [outboxPayload(i), outboxPayload(i)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function runSqlBaseline(databaseUrl: string, eventId: string, transactions: number, poolSize = 10): Promise<SqlBaselineResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  try {
    // Set-up, not timed: a booking for the places to belong to, and every connection opened.
    const bookingId = await prepareBaselineBooking(pool, eventId);
    await Promise.all(Array.from({ length: poolSize }, () => pool.query('SELECT 1')));

    const one = async (i: number): Promise<number> => {
      const started = performance.now();
      await baselineTransaction(pool, eventId, bookingId, i);
      return performance.now() - started;
    };

    const t0 = performance.now();
    const latencies = await Promise.all(Array.from({ length: transactions }, (_, i) => one(i)));
    const wallMs = performance.now() - t0;
    return {
      transactions,
      wallMs: Math.round(wallMs),
      transactionsPerSecond: Math.round((transactions / wallMs) * 1000 * 10) / 10,
      latencyMs: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) },
    };
  } finally {
    await pool.end();
  }
}
