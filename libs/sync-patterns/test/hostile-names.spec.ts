import Database from 'better-sqlite3';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { SpecError } from '../src/openapi/diagnostics';
import { runGeneratedTests, tempDir, typecheck } from './helpers';
import { caseArb, specOf, type Case } from './hostile-spec';

/**
 * Property-based: specs whose names and strings are built to break generated code — reserved
 * words, unicode, comment and template terminators, quotes, newlines, SQL keywords and quotes,
 * names that collide after casing or differ only by case, leading digits, very long names. For every
 * sampled spec the output must type-check under strict, its generated tests must pass, importing
 * its modules must do nothing but declare, and its SQLite DDL must create exactly the intended table
 * and columns. Samples are drawn with a fixed seed: the same cases on every machine and run.
 */
/** Loads every generated module (not the tests) with fetch stubbed: nothing may run but declarations. */
const SIDE_EFFECTS_TEST = `
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const modules = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : modules(full);
    return /\\.ts$/.test(name) && !/\\.spec\\.ts$/.test(name) && name !== 'side-effects.spec.ts' ? [full] : [];
  });

// the libraries the generated code imports load first: their own import-time effects are not ours
for (const lib of ['react', 'zod', '@tanstack/react-query', '@tanstack/react-db', '@tanstack/electric-db-collection', '@electric-sql/client', 'msw', '@sync-patterns/runtime', '@sync-patterns/runtime/live', '@sync-patterns/runtime/mock']) require(lib);

it('importing the generated modules declares and does nothing else', () => {
  const calls: string[] = [];
  const before = new Set(Object.getOwnPropertyNames(globalThis));
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: unknown) => {
    calls.push(String(input));
    return Promise.reject(new Error('no network'));
  }) as typeof fetch;
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    for (const file of modules(__dirname)) require(file);
  } finally {
    globalThis.fetch = realFetch;
  }
  expect(calls).toEqual([]);
  expect(log).not.toHaveBeenCalled();
  expect(warn).not.toHaveBeenCalled();
  expect(Object.getOwnPropertyNames(globalThis).filter((n) => !before.has(n))).toEqual([]);
});
`;

const SAMPLES = 10;

describe('hostile names and strings (fast-check, fixed seed)', () => {
  // the sampled cases, plus one that certainly aims at paths outside the output directory
  const cases: Case[] = [
    ...fc.sample(caseArb, { seed: 20261125, numRuns: SAMPLES }),
    {
      live: '../../../etc/passwd',
      push: '..',
      table: 'passwd',
      props: ['../x', '..\\y', '/abs'],
      enumValues: ['../z'],
      description: '../../',
    },
  ];
  const root = tempDir('hostile');
  const generated: { c: Case; out: string }[] = [];
  const refused: { c: Case; message: string }[] = [];

  beforeAll(async () => {
    for (const [i, c] of cases.entries()) {
      const dir = path.join(root, String(i));
      const spec = path.join(root, `spec-${i}.json`);
      writeFileSync(spec, JSON.stringify(specOf(c)));
      try {
        await generate({ spec, out: path.join(dir, 'out') });
        writeFileSync(path.join(dir, 'out', 'side-effects.spec.ts'), SIDE_EFFECTS_TEST);
        generated.push({ c, out: path.join(dir, 'out') });
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        refused.push({ c, message: error.message });
      }
    }
  }, 120_000);

  it('generates every sampled spec, or refuses it with the file and a JSON pointer', () => {
    for (const r of refused) expect(r.message).toMatch(/spec-\d+\.json.*#\//s);
    // a refusal is for a deliberate limit; most hostile specs must generate
    expect(generated.length).toBeGreaterThanOrEqual(cases.length - 2);
  });

  it('writes nothing outside the output directory, whatever the names', () => {
    for (const [i] of cases.entries())
      if (existsSync(path.join(root, String(i)))) expect(readdirSync(path.join(root, String(i)))).toEqual(['out']);
    const allowed = new Set([...cases.keys()].flatMap((i) => [String(i), `spec-${i}.json`]));
    expect(readdirSync(root).filter((name) => !allowed.has(name))).toEqual([]);
    // the case aimed at ../../../etc/passwd generated, inside its own folder
    expect(generated.some((g) => g.c.live === '../../../etc/passwd')).toBe(true);
  });

  it('type-checks under strict', () => {
    expect(typecheck(generated.map((g) => g.out))).toBe('');
  }, 300_000);

  it('passes its own generated tests, and importing its modules has no side effect', () => {
    const runs = generated.map((g) => runGeneratedTests(g.out));
    expect(runs.map((r) => (r.ok ? '' : r.output.slice(0, 3000)))).toEqual(generated.map(() => ''));
    for (const run of runs) expect(run.passed).toBeGreaterThan(1);
  }, 600_000);

  it('creates exactly the intended SQLite table and columns', () => {
    for (const { c, out } of generated) {
      const lib = readdirSync(out, { withFileTypes: true }).find(
        (dir) => dir.isDirectory() && readdirSync(path.join(out, dir.name)).includes('migrations'),
      )!.name;
      const db = new Database(':memory:');
      for (const file of readdirSync(path.join(out, lib, 'migrations'))
        .filter((f) => f.endsWith('.sql'))
        .sort())
        db.exec(readFileSync(path.join(out, lib, 'migrations', file), 'utf8'));
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual([c.table]);
      const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(c.table) as { name: string }[]).map(
        (col) => col.name,
      );
      expect(columns.sort()).toEqual(['id', ...c.props.filter((p) => p.toLowerCase() !== 'id')].sort());
      db.close();
    }
  });
});
