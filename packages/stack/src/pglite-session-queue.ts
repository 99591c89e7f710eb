/**
 * Decides which client connection PGlite's single session serves next.
 *
 * pglite-socket serves every connection over ONE PGlite session and runs their protocol
 * messages one at a time. Its own queue keeps a connection's messages together only while an
 * explicit transaction is open, so outside one it interleaves the extended-query messages of
 * different connections: client A's Parse, then client B's Parse (replacing the session's
 * unnamed statement), then A's Bind fails with "unnamed prepared statement does not exist"
 * (26000) and, because that queue never resets its busy flag after an error, every later
 * query hangs. With 30 concurrent bookings this happened every time.
 *
 * This queue gives the session to one connection for a whole unit of work and only then to the
 * next, first come first served:
 * - an extended-query sequence, from its first message up to and including Sync;
 * - a simple Query message;
 * - and, while that connection has a transaction open, everything up to its end.
 * A connection that goes away while holding the session has its transaction rolled back and
 * loses the session, so the others carry on.
 *
 * It implements the interface PGLiteSocketHandler calls (enqueue, getQueueLength,
 * clearQueueForHandler, clearTransactionIfNeeded), so the package's handler, which does the
 * wire framing, is reused as it is.
 */
import type { PGlite } from '@electric-sql/pglite';

interface PendingMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** The subset of PGlite this queue uses (a fake in unit tests). */
export type SessionEngine = Pick<PGlite, 'runExclusive' | 'execProtocolRawStream' | 'isInTransaction' | 'exec'>;

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const PROTOCOL_VERSION_3 = 196608;

/** True when this message ends a unit of work: after it, another connection may be served. */
export function endsUnitOfWork(message: Uint8Array): boolean {
  if (isStartupMessage(message)) return true;
  const type = message[0];
  return type === SYNC || type === QUERY || type === TERMINATE;
}

/** Startup messages have no type byte: int32 length, then int32 protocol version 3.0. */
function isStartupMessage(message: Uint8Array): boolean {
  if (message.length < 8) return false;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return view.getInt32(0) === message.length && view.getInt32(4) === PROTOCOL_VERSION_3;
}

export class SessionQueue {
  private pending: PendingMessage[] = [];
  private processing = false;
  /** The connection the session belongs to until its unit of work ends; null when free. */
  private owner: number | null = null;

  constructor(private readonly engine: SessionEngine) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  /** The connection closed: its waiting messages will never be answered. */
  clearQueueForHandler(handlerId: number): void {
    this.pending = this.pending.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Connection closed'));
      return false;
    });
  }

  /** The connection closed: if it held the session, undo its open transaction and free it. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    // exec takes PGlite's query lock itself (wrapping it in runExclusive would deadlock).
    if (this.engine.isInTransaction()) await this.engine.exec('ROLLBACK');
    this.owner = null;
    void this.drain();
  }

  private next(): PendingMessage | undefined {
    if (this.owner === null) return this.pending.shift();
    const index = this.pending.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.pending.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        try {
          let bytes = 0;
          await this.engine.runExclusive(() =>
            this.engine.execProtocolRawStream(item!.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item!.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
        // Postgres reports errors inside the protocol, so the session state is still sound
        // here whether or not the message failed.
        const stillBusy = !endsUnitOfWork(item.message) || this.engine.isInTransaction();
        this.owner = stillBusy ? item.handlerId : null;
      }
    } finally {
      this.processing = false;
    }
  }
}
