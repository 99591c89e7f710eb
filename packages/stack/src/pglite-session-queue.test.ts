import { endsUnitOfWork, SessionQueue, type SessionEngine } from './pglite-session-queue';

/** One protocol message: type byte, then an int32 length (payload is irrelevant here). */
function message(type: string): Uint8Array {
  const bytes = new Uint8Array(5);
  bytes[0] = type.charCodeAt(0);
  new DataView(bytes.buffer).setInt32(1, 4);
  return bytes;
}

function startupMessage(): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setInt32(0, 8);
  new DataView(bytes.buffer).setInt32(4, 196608);
  return bytes;
}

/** Records the order in which (connection, message type) reached the engine. */
function fakeEngine() {
  const served: string[] = [];
  let inTransaction = false;
  let current = '';
  const engine: SessionEngine = {
    runExclusive: (async (fn: () => Promise<unknown>) => fn()) as SessionEngine['runExclusive'],
    execProtocolRawStream: (async (bytes: Uint8Array) => {
      served.push(`${current}:${String.fromCharCode(bytes[0])}`);
      await new Promise((resolve) => setImmediate(resolve));
      return [];
    }) as unknown as SessionEngine['execProtocolRawStream'],
    isInTransaction: () => inTransaction,
    exec: (async (sql: string) => {
      served.push(`exec:${sql}`);
      inTransaction = false;
      return [];
    }) as unknown as SessionEngine['exec'],
  };
  return {
    engine,
    served,
    setInTransaction: (value: boolean) => (inTransaction = value),
    as: (id: string) => (current = id),
  };
}

describe('endsUnitOfWork', () => {
  it('ends at Sync, a simple Query, Terminate and the startup message; not inside a sequence', () => {
    expect(['S', 'Q', 'X'].map((type) => endsUnitOfWork(message(type)))).toEqual([true, true, true]);
    expect(endsUnitOfWork(startupMessage())).toBe(true);
    expect(['P', 'B', 'D', 'E', 'H', 'C'].map((type) => endsUnitOfWork(message(type)))).toEqual([false, false, false, false, false, false]);
  });
});

describe('SessionQueue', () => {
  it('serves a whole extended-query sequence before another connection', async () => {
    const fake = fakeEngine();
    const queue = new SessionQueue(fake.engine);
    const tag = (id: number) => () => fake.as(String(id));
    // Both connections' first messages arrive before either sequence is complete.
    const a = queue.enqueue(1, message('P'), tag(1));
    const b = queue.enqueue(2, message('P'), tag(2));
    // The data callback tags the engine's record after the fact, so track order by handler:
    await Promise.all([a, b, ...['B', 'E', 'S'].map((type) => queue.enqueue(1, message(type), () => undefined)), ...['B', 'E', 'S'].map((type) => queue.enqueue(2, message(type), () => undefined))]);
    expect(fake.served.map((entry) => entry.split(':')[1])).toEqual(['P', 'B', 'E', 'S', 'P', 'B', 'E', 'S']);
  });

  it('keeps serving the connection with an open transaction until it ends', async () => {
    const fake = fakeEngine();
    const queue = new SessionQueue(fake.engine);
    const order: number[] = [];
    const send = (id: number, type: string, before?: () => void) => {
      before?.();
      return queue.enqueue(id, message(type), () => undefined).then(() => order.push(id));
    };
    fake.setInTransaction(true);
    await send(1, 'Q'); // BEGIN
    const other = send(2, 'Q');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([1]); // 2 waits while 1 is in its transaction
    fake.setInTransaction(false);
    await send(1, 'Q'); // COMMIT
    await other;
    expect(order).toEqual([1, 1, 2]);
  });

  it('rolls back and frees the session when its holder disconnects, failing only its own messages', async () => {
    const fake = fakeEngine();
    const queue = new SessionQueue(fake.engine);
    fake.setInTransaction(true);
    await queue.enqueue(1, message('Q'), () => undefined);
    const other = queue.enqueue(2, message('Q'), () => undefined);
    queue.clearQueueForHandler(1);
    await queue.clearTransactionIfNeeded(1);
    await expect(other).resolves.toBe(0);
    expect(fake.served).toContain('exec:ROLLBACK');
  });

  it('goes on serving after a message fails', async () => {
    const fake = fakeEngine();
    let fail = true;
    const original = fake.engine.execProtocolRawStream;
    fake.engine.execProtocolRawStream = (async (...args: Parameters<typeof original>) => {
      if (fail) {
        fail = false;
        throw new Error('engine error');
      }
      return original(...args);
    }) as typeof original;
    const queue = new SessionQueue(fake.engine);
    await expect(queue.enqueue(1, message('Q'), () => undefined)).rejects.toThrow('engine error');
    await expect(queue.enqueue(2, message('Q'), () => undefined)).resolves.toBe(0);
  });
});
