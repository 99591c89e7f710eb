import type { EntityManager } from 'typeorm';
import { writeTogether } from './sql-writes';

function recordingManager() {
  const calls: { sql: string; params: unknown[] }[] = [];
  const manager = { query: async (sql: string, params: unknown[]) => void calls.push({ sql, params }) } as unknown as EntityManager;
  return { manager, calls };
}

describe('writeTogether', () => {
  it('sends several statements as one, renumbering each one\'s parameters after the previous ones', async () => {
    const { manager, calls } = recordingManager();
    await writeTogether(manager, [
      { sql: 'INSERT INTO "s"."a" ("x", "y") VALUES ($1, $2)', params: ['a1', 'a2'] },
      { sql: 'INSERT INTO "s"."b" ("x") VALUES ($1), ($2), ($3)', params: ['b1', 'b2', 'b3'] },
      { sql: 'INSERT INTO "s"."c" ("x", "y") VALUES ($1, $2), ($3, $1)', params: ['c1', 'c2', 'c3'] },
    ]);
    expect(calls).toEqual([
      {
        sql: 'WITH w0 AS (INSERT INTO "s"."a" ("x", "y") VALUES ($1, $2)), w1 AS (INSERT INTO "s"."b" ("x") VALUES ($3), ($4), ($5)), w2 AS (INSERT INTO "s"."c" ("x", "y") VALUES ($6, $7), ($8, $6)) SELECT 1',
        params: ['a1', 'a2', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3'],
      },
    ]);
  });

  it('sends a single statement as it is, and nothing for none', async () => {
    const { manager, calls } = recordingManager();
    await writeTogether(manager, []);
    await writeTogether(manager, [{ sql: 'INSERT INTO "s"."a" ("x") VALUES ($1)', params: [1] }]);
    expect(calls).toEqual([{ sql: 'INSERT INTO "s"."a" ("x") VALUES ($1)', params: [1] }]);
  });
});
