import type { EntityManager } from 'typeorm';
import { inlineParams, writeTogether } from './sql-writes';

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

describe('inlineParams', () => {
  it('writes each parameter where it is referenced, $10 apart from $1', () => {
    const params = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    expect(inlineParams({ sql: 'SELECT $1, $10, $1', params })).toBe("SELECT 'a', 'j', 'a'");
  });

  it("quotes text with pg's escapeLiteral, so quotes and backslashes stay data", () => {
    expect(inlineParams({ sql: 'SELECT $1', params: ["O'Brien'); DROP TABLE x; --"] })).toBe("SELECT 'O''Brien''); DROP TABLE x; --'");
    expect(inlineParams({ sql: 'SELECT $1', params: [String.raw`back\slash'`] })).toBe(String.raw`SELECT  E'back\\slash'''`);
  });

  it('converts values as the driver converts parameters: null, numbers, dates, arrays, JSON', () => {
    expect(inlineParams({ sql: 'SELECT $1, $2', params: [null, undefined] })).toBe('SELECT NULL, NULL');
    expect(inlineParams({ sql: 'SELECT $1, $2', params: [42, true] })).toBe("SELECT '42', 'true'");
    expect(inlineParams({ sql: 'SELECT $1', params: [['a@x.org', "o'k"]] })).toBe(`SELECT '{"a@x.org","o''k"}'`);
    expect(inlineParams({ sql: 'SELECT $1', params: [{ name: "D'Arcy" }] })).toBe(`SELECT '{"name":"D''Arcy"}'`);
    expect(inlineParams({ sql: 'SELECT $1', params: [new Date('2026-11-26T10:00:00Z')] })).toMatch(/^SELECT '2026-11-26T\d\d:00:00\.000[+-]\d\d:\d\d'$/);
  });

  it('refuses a reference to a parameter that is not there, and binary values', () => {
    expect(() => inlineParams({ sql: 'SELECT $2', params: ['a'] })).toThrow(/no parameter \$2/);
    expect(() => inlineParams({ sql: 'SELECT $1', params: [Buffer.from('x')] })).toThrow(/binary/);
  });
});
