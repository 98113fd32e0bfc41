import Database from 'better-sqlite3';
import {
  and,
  createCollection,
  createLiveQueryCollection,
  eq,
  gt,
  inArray,
  isNull,
  like,
  localOnlyCollectionOptions,
  not,
  or,
  type IR,
} from '@tanstack/react-db';
import type { SqliteTableInfo } from './migrate';
import { subsetFilter } from './subset-filter';

/**
 * A live query's `where` as SQL over the local table: for every expression, the rows SQLite
 * selects must include every row the live query keeps (a superset; exact where SQL and JavaScript
 * agree), checked against a real SQLite and TanStack DB's own evaluation.
 */
type Row = { id: number; team: string | null; size: number; active: boolean; 'we"ird': string; meta: string | null };
const rows: Row[] = [
  { id: 1, team: 'red', size: 1, active: true, 'we"ird': 'a', meta: '{"x":1}' },
  { id: 2, team: 'blue', size: 2, active: false, 'we"ird': "b'); DROP TABLE t; --", meta: null },
  { id: 3, team: null, size: 2, active: true, 'we"ird': 'c', meta: '[]' },
  { id: 4, team: 'Red', size: 3, active: false, 'we"ird': 'é', meta: null },
  { id: 5, team: '1', size: 10, active: true, 'we"ird': '😀', meta: null },
];
const table: SqliteTableInfo = {
  name: 't',
  key: 'id',
  columns: [
    { name: 'id', kind: 'integer' },
    { name: 'team', kind: 'text' },
    { name: 'size', kind: 'real' },
    { name: 'active', kind: 'boolean' },
    { name: 'we"ird', kind: 'text' },
    { name: 'meta', kind: 'json' },
  ],
};
const db = new Database(':memory:');
db.exec(
  'CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "team" TEXT, "size" REAL, "active" INTEGER, "we""ird" TEXT, "meta" TEXT) STRICT',
);
for (const r of rows)
  db.prepare('INSERT INTO "t" VALUES (?, ?, ?, ?, ?, ?)').run(
    r.id,
    r.team,
    r.size,
    r.active ? 1 : 0,
    r['we"ird'],
    r.meta,
  );

type Refs = { row: Record<keyof Row, never> };
let probes = 0;
/** The `where` TanStack DB hands an on-demand collection's loadSubset for this live query. */
async function whereOf(build: (refs: Refs) => unknown): Promise<IR.BasicExpression<boolean> | undefined> {
  let where: IR.BasicExpression<boolean> | undefined;
  const source = createCollection<Row, number>({
    id: `probe-${probes++}`,
    getKey: (row) => row.id,
    syncMode: 'on-demand',
    sync: {
      sync: ({ markReady }) => {
        markReady();
        return { loadSubset: (options) => ((where = options.where), true) };
      },
    },
  });
  const live = createLiveQueryCollection((q) => q.from({ row: source }).where(build as never));
  await live.preload();
  return where;
}

/** The ids the live query keeps (TanStack DB's evaluation). */
async function kept(build: (refs: Refs) => unknown): Promise<number[]> {
  const source = createCollection(
    localOnlyCollectionOptions<Row, number>({ getKey: (row) => row.id, initialData: rows }),
  );
  const live = createLiveQueryCollection((q) => q.from({ row: source }).where(build as never));
  await live.preload();
  return [...live.values()].map((r) => (r as Row).id).sort();
}

/** The ids SQLite selects with the filter (every row without one). */
async function selected(build: (refs: Refs) => unknown): Promise<{ ids: number[]; filtered: boolean }> {
  const filter = subsetFilter(await whereOf(build), table);
  const sql = `SELECT "id" FROM "t"${filter ? ` WHERE ${filter.sql}` : ''} ORDER BY "id"`;
  return {
    ids: (db.prepare(sql).all(...(filter?.params ?? [])) as { id: number }[]).map((r) => r.id),
    filtered: filter !== undefined,
  };
}

const cases: [string, (refs: Refs) => unknown, 'exact' | 'superset'][] = [
  ['eq on text', ({ row }) => eq(row.team, 'red'), 'exact'],
  ['eq, value first', ({ row }) => eq('blue', row.team), 'exact'],
  [
    'eq on a quoted column name, with SQL in the value',
    ({ row }) => eq(row['we"ird'], "b'); DROP TABLE t; --"),
    'exact',
  ],
  ['eq on a number', ({ row }) => eq(row.size, 2), 'exact'],
  ['eq on a boolean', ({ row }) => eq(row.active, true), 'exact'],
  ['eq with a value of another type than the column', ({ row }) => eq(row.team, 1), 'superset'],
  ['eq on JSON', ({ row }) => eq(row.meta, '[]'), 'superset'],
  ['in', ({ row }) => inArray(row.team, ['red', 'blue']), 'exact'],
  ['in, empty', ({ row }) => inArray(row.team, []), 'exact'],
  ['isNull', ({ row }) => isNull(row.team), 'exact'],
  ['and', ({ row }) => and(eq(row.size, 2), eq(row.active, true)), 'exact'],
  [
    'and with a part SQL may compare differently',
    ({ row }) => and(eq(row.active, true), gt(row.team, 'a')),
    'superset',
  ],
  ['or', ({ row }) => or(eq(row.team, 'red'), eq(row.size, 10)), 'exact'],
  ['or with a part left out', ({ row }) => or(eq(row.team, 'red'), like(row.team, '%e%')), 'superset'],
  ['not', ({ row }) => not(eq(row.team, 'red')), 'superset'],
  ['a range over text', ({ row }) => gt(row.team, 'R'), 'superset'],
];

describe('subsetFilter on a real SQLite', () => {
  afterAll(() => db.close());

  it.each(cases)('%s: selects every row the live query keeps', async (_name, build, precision) => {
    const truth = await kept(build);
    const { ids, filtered } = await selected(build);
    expect(ids).toEqual(expect.arrayContaining(truth));
    if (precision === 'exact') {
      expect(filtered).toBe(true);
      expect(ids).toEqual(truth);
    }
  });

  it('no where: every row', () => {
    expect(subsetFilter(undefined, table)).toBeUndefined();
  });
});
