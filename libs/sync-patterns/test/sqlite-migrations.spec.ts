import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HandEditError, generate } from '../src/pipeline';
import { tempDir, typecheck } from './helpers';

/**
 * The SQLite half of live mode, on a real SQLite (better-sqlite3): the table a live model's first
 * migration creates, the migrations appended when the spec changes, and their effect on a database
 * that holds rows, compared with a fresh database made from the final spec.
 */
const FIXTURES = path.join(__dirname, 'fixtures/sqlite');
const migrationsDir = (out: string) => path.join(out, 'gadget/migrations');
const sqlOf = (out: string, name: string) => readFileSync(path.join(migrationsDir(out), name), 'utf8');

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}
const columnsOf = (db: Database.Database) =>
  (
    db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info('gadgets') ORDER BY name`).all() as ColumnInfo[]
  ).map((c) => ({ ...c }));
const tableSql = (db: Database.Database) =>
  (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'gadgets'`).get() as { sql: string }).sql;

/** Generates `version` of the fixture spec into `out` (the same spec path each time, as a user's edits). */
async function generateVersion(dir: string, out: string, version: 1 | 2 | 3) {
  const spec = path.join(dir, 'openapi.yaml');
  copyFileSync(path.join(FIXTURES, `gadgets-v${version}.yaml`), spec);
  return generate({ spec, out });
}

describe('SQLite migrations of a live model', () => {
  const dir = tempDir('sqlite');
  const out = path.join(dir, 'out');

  it('0001 creates the table from the schema: types, NOT NULL, enums as CHECK, JSON, excluded fields left out, every name quoted', async () => {
    await generateVersion(dir, out, 1);
    const db = new Database(':memory:');
    db.exec(sqlOf(out, '0001_gadget.sql'));
    expect(columnsOf(db)).toEqual([
      { name: 'active', type: 'INTEGER', notnull: 1, pk: 0 },
      { name: 'count', type: 'INTEGER', notnull: 1, pk: 0 },
      { name: 'id', type: 'TEXT', notnull: 1, pk: 1 },
      { name: 'kind', type: 'TEXT', notnull: 1, pk: 0 },
      { name: 'level', type: 'INTEGER', notnull: 0, pk: 0 },
      { name: 'made_at', type: 'TEXT', notnull: 0, pk: 0 },
      { name: 'meta', type: 'TEXT', notnull: 0, pk: 0 },
      { name: 'name', type: 'TEXT', notnull: 1, pk: 0 },
      { name: 'ratio', type: 'REAL', notnull: 0, pk: 0 },
      { name: 'say "hi"', type: 'TEXT', notnull: 0, pk: 0 },
      { name: 'select', type: 'TEXT', notnull: 1, pk: 0 },
      { name: 'tags', type: 'TEXT', notnull: 0, pk: 0 },
    ]);
    const insert = db.prepare(
      `INSERT INTO gadgets (id, name, count, active, kind, "select", level, meta, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run('a', 'ok', 1, 1, "it's", 'x', 2, '{"a":1}', '["t"]');
    const refused = (values: unknown[]) => () => insert.run(...values);
    expect(refused(['b', 'bad kind', 1, 1, 'other', 'x', 1, null, null])).toThrow(/CHECK constraint failed/);
    expect(refused(['c', 'bad level', 1, 1, 'plain', 'x', 7, null, null])).toThrow(/CHECK constraint failed/);
    expect(refused(['d', 'bad boolean', 1, 2, 'plain', 'x', 1, null, null])).toThrow(/CHECK constraint failed/);
    expect(refused(['e', 'bad json', 1, 1, 'plain', 'x', 1, '{oops', null])).toThrow(/CHECK constraint failed/);
    expect(refused(['f', 'bad type', 'many', 1, 'plain', 'x', 1, null, null])).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(refused([null, 'no key', 1, 1, 'plain', 'x', 1, null, null])).toThrow(/NOT NULL constraint failed/);
  });

  it('describes the table and carries the migrations in the library, which type-checks', () => {
    const source = readFileSync(path.join(out, 'gadget/src/lib/gadget.migrations.ts'), 'utf8');
    expect(source).toContain('export const gadgetMigrations: readonly SqliteMigration[]');
    expect(source).toContain(`{ name: 'say "hi"', kind: 'text' }`);
    expect(readFileSync(path.join(out, 'gadget/src/index.ts'), 'utf8')).toContain(
      "export * from './lib/gadget.migrations';",
    );
    expect(typecheck([out])).toBe('');
  });

  it('a second run with no spec change writes nothing', async () => {
    const again = await generateVersion(dir, out, 1);
    expect(again.plan.writes).toEqual([]);
  });

  it('a spec change appends a migration and never rewrites the earlier ones; 0001..N on a database with rows equals a fresh 0001 of the final spec', async () => {
    const db = new Database(':memory:');
    db.exec(sqlOf(out, '0001_gadget.sql'));
    const insert = db.prepare(
      `INSERT INTO gadgets (id, name, count, active, kind, "select", ratio) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run('kept', 'Kept', 3, 1, "it's", 'x', 0.5);
    insert.run('gone', 'Fancy', 4, 0, 'fancy', 'y', null);
    const first = sqlOf(out, '0001_gadget.sql');

    // v2 adds a nullable column: ALTER TABLE … ADD COLUMN
    const v2 = await generateVersion(dir, out, 2);
    expect(v2.plan.create.map((f) => f.path)).toEqual(['gadget/migrations/0002_gadget.sql']);
    const second = sqlOf(out, '0002_gadget.sql');
    expect(second).toMatch(/ALTER TABLE "gadgets" ADD COLUMN "note" TEXT;/);
    db.exec(second);

    // v3 adds a required column, drops an enum value and a column, widens a type: the rebuild recipe
    await generateVersion(dir, out, 3);
    const third = sqlOf(out, '0003_gadget.sql');
    expect(third).toMatch(/CREATE TABLE "gadgets__sync_patterns_new"/);
    db.exec(third);
    expect(sqlOf(out, '0001_gadget.sql')).toBe(first);
    expect(sqlOf(out, '0002_gadget.sql')).toBe(second);

    const fresh = new Database(':memory:');
    await generate({ spec: path.join(dir, 'openapi.yaml'), out: path.join(dir, 'fresh') });
    fresh.exec(sqlOf(path.join(dir, 'fresh'), '0001_gadget.sql'));
    expect(columnsOf(db)).toEqual(columnsOf(fresh));
    expect(tableSql(db)).toBe(tableSql(fresh));
    // rows kept where the new schema admits them (the fancy one no longer does); new required
    // columns hold a placeholder until the stream, restarted by the new columns, brings real values
    expect(db.prepare('SELECT id, name, count, kind, size, note FROM gadgets').all()).toEqual([
      { id: 'kept', name: 'Kept', count: 3, kind: "it's", size: 0, note: null },
    ]);
    expect(typeof (db.prepare('SELECT count FROM gadgets').get() as { count: unknown }).count).toBe('number');
  });

  it('reports a hand edit of a migration instead of carrying it on, and refuses a history it cannot read', async () => {
    const file = path.join(migrationsDir(out), '0001_gadget.sql');
    writeFileSync(file, sqlOf(out, '0001_gadget.sql') + '-- edited\n');
    await expect(generateVersion(dir, out, 3)).rejects.toBeInstanceOf(HandEditError);

    const other = path.join(dir, 'other');
    await generateVersion(dir, other, 1);
    writeFileSync(path.join(migrationsDir(other), 'schema.snapshot.json'), '{ not json');
    await expect(generateVersion(dir, other, 2)).rejects.toThrow(
      /schema\.snapshot\.json is not valid JSON; restore it from version control/,
    );
  });
});
