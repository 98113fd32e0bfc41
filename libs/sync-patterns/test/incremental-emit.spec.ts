import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { generate, HandEditError } from '../src/pipeline';
import { SpecError } from '../src/openapi/diagnostics';
import { OutputMemory } from '../src/write/output-memory';
import { EDITED_DOCUMENTS } from './corpus';
import { EXAMPLE_SPEC, seededRandom, snapshotDir, tempDir, WORKSPACE } from './helpers';

/**
 * A regeneration that starts from the previous run's output must write exactly what a full run
 * writes. Real documents get random edits of one schema (and, now and then, of something an
 * incremental run must not take on: the paths, an allOf, a new $ref); after each, one copy of the
 * output is regenerated incrementally and another in full, and the two are compared byte for byte.
 */
const DOCUMENTS = [EXAMPLE_SPEC, ...EDITED_DOCUMENTS];
/** Stripe's full runs take seconds: fewer edits there. */
const editsOf = (file: string) => (file.endsWith('stripe.com.json') ? 4 : 10);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

type Edit = (doc: Json, pick: <T>(items: T[]) => T | undefined, n: number) => string | undefined;

const schemasOf = (doc: Json) => ((doc['components'] as Json)['schemas'] ?? {}) as Record<string, Json>;
const withProperties = (doc: Json) =>
  Object.entries(schemasOf(doc)).filter(([, s]) => isObject(s) && isObject(s['properties']));

const EDITS: Record<string, Edit> = {
  addField: (doc, pick, n) => {
    const [name, schema] = pick(withProperties(doc)) ?? [];
    if (!schema) return undefined;
    (schema['properties'] as Json)[`sp_added_${n}`] = {
      type: 'string',
      description: `added ${n} */ "quoted" \u2028 line`,
    };
    return name;
  },
  removeField: (doc, pick) => {
    const [name, schema] = pick(withProperties(doc)) ?? [];
    if (!schema) return undefined;
    const required = new Set(Array.isArray(schema['required']) ? schema['required'] : []);
    const field = pick(Object.keys(schema['properties'] as Json).filter((f) => !required.has(f)));
    if (field === undefined) return undefined;
    delete (schema['properties'] as Json)[field];
    return name;
  },
  describe: (doc, pick, n) => {
    const name = pick(Object.keys(schemasOf(doc)));
    if (name === undefined || !isObject(schemasOf(doc)[name])) return undefined;
    schemasOf(doc)[name]['description'] = `changed ${n}: <b>*/</b> \`${name}\``;
    return name;
  },
  retype: (doc, pick) => {
    const [name, schema] = pick(withProperties(doc)) ?? [];
    if (!schema) return undefined;
    const properties = schema['properties'] as Record<string, Json>;
    const field = pick(
      Object.keys(properties).filter(
        (f) => isObject(properties[f]) && (properties[f]['type'] === 'string' || properties[f]['type'] === 'integer'),
      ),
    );
    if (field === undefined) return undefined;
    properties[field] = { ...properties[field], type: properties[field]['type'] === 'string' ? 'integer' : 'string' };
    delete properties[field]['format'];
    return name;
  },
  growEnum: (doc, pick, n) => {
    const candidates = withProperties(doc).flatMap(([name, s]) =>
      Object.values(s['properties'] as Record<string, Json>)
        .filter((p) => isObject(p) && Array.isArray(p['enum']) && p['enum'].every((v) => typeof v === 'string'))
        .map((p) => [name, p] as const),
    );
    const [name, property] = pick(candidates) ?? [];
    if (!property) return undefined;
    property['enum'] = [...(property['enum'] as string[]), `new-${n}`];
    return name;
  },
  // beyond what an incremental run takes on: each must fall back to a full run
  composeAllOf: (doc, pick) => {
    const names = Object.keys(schemasOf(doc));
    const [name, schema] = pick(withProperties(doc)) ?? [];
    const other = pick(names.filter((n) => n !== name));
    if (!schema || other === undefined) return undefined;
    schemasOf(doc)[name!] = {
      allOf: [{ $ref: `#/components/schemas/${other.replace(/~/g, '~0').replace(/\//g, '~1')}` }, schema],
    };
    return `${name} (allOf)`;
  },
  addRef: (doc, pick, n) => {
    const names = Object.keys(schemasOf(doc));
    const [name, schema] = pick(withProperties(doc)) ?? [];
    const other = pick(names);
    if (!schema || other === undefined) return undefined;
    (schema['properties'] as Json)[`sp_ref_${n}`] = {
      $ref: `#/components/schemas/${other.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    };
    return `${name} (new $ref)`;
  },
  editPaths: (doc, pick, n) => {
    const paths = doc['paths'] as Record<string, Json>;
    const at = pick(Object.keys(paths));
    if (at === undefined || !isObject(paths[at])) return undefined;
    paths[at]['description'] = `path edited ${n}`;
    return `paths ${at}`;
  },
};
const LOCAL_EDITS = ['addField', 'removeField', 'describe', 'retype', 'growEnum'];

/** The example's spec in `dir` (YAML), with a way to add a field to one of its schemas (not Project's) and save. */
function exampleIn(dir: string) {
  const spec = path.join(dir, 'spec.yaml');
  mkdirSync(dir, { recursive: true });
  const doc = parse(readFileSync(EXAMPLE_SPEC, 'utf8')) as Json;
  writeFileSync(spec, stringify(doc));
  const schemas = schemasOf(doc);
  const name = Object.keys(schemas).find((n) => n !== 'Project' && isObject(schemas[n]['properties']))!;
  const addField = (field: string) => {
    (schemas[name]['properties'] as Json)[field] = { type: 'string' };
    writeFileSync(spec, stringify(doc));
  };
  return { spec, out: path.join(dir, 'out'), addField };
}

/** Appends a line to a generated file, as a user editing it by hand would. */
function editByHand(out: string): string {
  const edited = path.join(out, 'project/src/lib/project.api.ts');
  writeFileSync(edited, `${readFileSync(edited, 'utf8')}\n// mine\n`);
  return edited;
}

describe('incremental regeneration', () => {
  const root = tempDir('incremental');
  const previousCache = process.env['SYNC_PATTERNS_CACHE_DIR'];
  beforeAll(() => (process.env['SYNC_PATTERNS_CACHE_DIR'] = path.join(root, 'cache')));
  afterAll(() => {
    if (previousCache === undefined) delete process.env['SYNC_PATTERNS_CACHE_DIR'];
    else process.env['SYNC_PATTERNS_CACHE_DIR'] = previousCache;
    rmSync(root, { recursive: true, force: true });
  });

  let patchedRuns = 0;
  /** Runs generate, in full when `full`; true when it started from the previous run, else why not. `memory`: as `--watch` runs. */
  const run = async (spec: string, out: string, full: boolean, memory?: OutputMemory): Promise<true | string> => {
    const lines: string[] = [];
    if (full) process.env['SYNC_PATTERNS_NO_CACHE'] = '1';
    try {
      await generate({ spec, out, allModels: true, prune: true, memory, log: (line) => lines.push(line) });
    } finally {
      delete process.env['SYNC_PATTERNS_NO_CACHE'];
    }
    if (lines.some((line) => line.startsWith('spec loaded') && line.includes('one schema entry parsed again')))
      patchedRuns++;
    const emitted = lines.find((line) => line.startsWith('files emitted')) ?? '';
    return emitted.includes("from the previous run's") || (/\(a full run: (.*)\)$/.exec(emitted)?.[1] ?? 'full');
  };

  it('writes byte for byte what a full run writes, edit after edit, on real documents', async () => {
    expect(DOCUMENTS.length).toBeGreaterThanOrEqual(5);
    let incremental = 0;
    let total = 0;
    const report: string[] = [];
    for (const [index, source] of DOCUMENTS.entries()) {
      const dir = path.join(root, String(index));
      const yaml = /\.ya?ml$/.test(source);
      const spec = path.join(dir, yaml ? 'spec.yaml' : 'spec.json');
      const doc = parse(readFileSync(source, 'utf8')) as Json;
      const save = () => writeFileSync(spec, yaml ? stringify(doc) : JSON.stringify(doc, null, 1));
      mkdirSync(dir, { recursive: true });
      save();
      const incrementalOut = path.join(dir, 'a', 'out');
      const fullOut = path.join(dir, 'b', 'out');
      // the same edits in a long-running process, which starts each run from the last one's document
      const watchedOut = path.join(dir, 'c', 'out');
      const watching = new OutputMemory(watchedOut);
      await run(spec, incrementalOut, false);
      await run(spec, watchedOut, false, watching);
      // seeded by the document's name: its edits are the same whichever other documents are present
      const next = seededRandom([...path.basename(source)].reduce((seed, c) => (seed * 31 + c.charCodeAt(0)) | 0, 7));
      const pick = <T>(items: T[]) => (items.length ? items[Math.floor(next() * items.length)] : undefined);
      for (let n = 0; n < editsOf(source); n++) {
        // mostly edits an incremental run takes on, now and then one it must hand to a full run
        const kind =
          next() < 0.75 ? pick(LOCAL_EDITS)! : pick(Object.keys(EDITS).filter((k) => !LOCAL_EDITS.includes(k)))!;
        const before = JSON.stringify(doc);
        const edited = EDITS[kind](doc, pick, n);
        if (edited === undefined) continue;
        save();
        rmSync(path.join(dir, 'b'), { recursive: true, force: true });
        cpSync(path.join(dir, 'a'), path.join(dir, 'b'), { recursive: true });
        let outcome: true | string;
        try {
          outcome = await run(spec, incrementalOut, false);
        } catch (error) {
          // an edit that makes the spec invalid is refused by both, and undone
          if (!(error instanceof SpecError)) throw error;
          await expect(run(spec, fullOut, true)).rejects.toBeInstanceOf(SpecError);
          await expect(run(spec, watchedOut, false, watching)).rejects.toBeInstanceOf(SpecError);
          Object.assign(doc, JSON.parse(before));
          save();
          continue;
        }
        await run(spec, fullOut, true);
        const watchedOutcome = await run(spec, watchedOut, false, watching);
        total++;
        const tookIncremental = outcome === true;
        if (tookIncremental) incremental++;
        report.push(
          `${path.basename(source)} ${kind} ${edited}: ${tookIncremental ? 'incremental' : `full (${outcome})`}`,
        );
        const full = snapshotDir(fullOut);
        expect({ edit: `${kind} ${edited}`, files: snapshotDir(incrementalOut) }).toEqual({
          edit: `${kind} ${edited}`,
          files: full,
        });
        expect({ edit: `${kind} ${edited}`, watched: true, files: snapshotDir(watchedOut) }).toEqual({
          edit: `${kind} ${edited}`,
          watched: true,
          files: full,
        });
        expect({ edit: `${kind} ${edited}`, watchedIncremental: watchedOutcome === true }).toEqual({
          edit: `${kind} ${edited}`,
          watchedIncremental: outcome === true,
        });
        if (!LOCAL_EDITS.includes(kind))
          expect({ edit: `${kind} ${edited}`, tookIncremental }).toEqual({
            edit: `${kind} ${edited}`,
            tookIncremental: false,
          });
      }
    }
    process.stderr.write(
      `[incremental] ${incremental}/${total} edits regenerated incrementally; ${patchedRuns} --watch runs parsed one schema entry only\n${report.join('\n')}\n`,
    );
    // the JSON documents' local edits, in the long-running process
    expect(patchedRuns).toBeGreaterThanOrEqual(total / 3);
    expect(total).toBeGreaterThanOrEqual(DOCUMENTS.length * 4);
    // most local edits take the incremental path; the rest are schemas others read
    expect(incremental).toBeGreaterThanOrEqual(total / 3);
  }, 600_000);

  it('never takes a hand edit for its own output: the edit is reported as in a full run', async () => {
    const { spec, out, addField } = exampleIn(path.join(root, 'hand-edit'));
    await run(spec, out, false);
    const edited = editByHand(out);
    addField('sp_extra');
    await expect(run(spec, out, false)).rejects.toBeInstanceOf(HandEditError);
    expect(readFileSync(edited, 'utf8')).toMatch(/\/\/ mine\n$/);
  });

  it('a long-running process (--watch) sees a hand edit made between its runs', async () => {
    const { spec, out, addField } = exampleIn(path.join(root, 'watch-memory'));
    const memory = new OutputMemory(out);
    await generate({ spec, out, allModels: true, memory });
    addField('sp_first');
    await generate({ spec, out, allModels: true, memory });
    const edited = editByHand(out);
    addField('sp_second');
    await expect(generate({ spec, out, allModels: true, memory })).rejects.toBeInstanceOf(HandEditError);
    expect(readFileSync(edited, 'utf8')).toMatch(/\/\/ mine\n$/);
  });

  it('runs in full where an edit makes or unmakes schemas that refer to themselves outside objects (type aliases)', async () => {
    const dir = path.join(root, 'recursive');
    mkdirSync(dir, { recursive: true });
    const spec = path.join(dir, 'spec.yaml');
    const doc = parse(readFileSync(path.join(__dirname, 'fixtures/recursive-types.yaml'), 'utf8')) as Json;
    const schemas = schemasOf(doc);
    // no cycle outside objects yet: Forest names Branch inside an object, Branch holds arrays of Forest
    schemas['Forest'] = { type: 'object', properties: { branch: { $ref: '#/components/schemas/Branch' } } };
    schemas['EdgeConfigItemValue'] = { type: 'string' };
    const step = async (change: () => void) => {
      change();
      writeFileSync(spec, stringify(doc));
      rmSync(path.join(dir, 'full'), { recursive: true, force: true });
      if (existsSync(path.join(dir, 'out'))) cpSync(path.join(dir, 'out'), path.join(dir, 'full'), { recursive: true });
      const outcome = await run(spec, path.join(dir, 'out'), false);
      await run(spec, path.join(dir, 'full'), true);
      expect(snapshotDir(path.join(dir, 'out'))).toEqual(snapshotDir(path.join(dir, 'full')));
      return { outcome, types: readFileSync(path.join(dir, 'out', 'core/src/lib/api.types.ts'), 'utf8') };
    };
    expect((await step(() => undefined)).types).not.toContain('type Recursive_');
    // an edit that only describes: incremental as ever
    expect(
      (await step(() => (schemas['EdgeConfigItemValue'] = { type: 'string', description: 'a value' }))).outcome,
    ).toBe(true);
    // Forest becomes a union holding Branch: the pair now refers to itself outside objects
    const made = await step(
      () =>
        (schemas['Forest'] = {
          oneOf: [{ type: 'array', items: { $ref: '#/components/schemas/Branch' } }, { type: 'string' }],
        }),
    );
    expect(made.outcome).toMatch(/Forest refers to itself outside an object/);
    expect(made.types).toContain('type Recursive_Forest = Recursive_Branch[] | string;');
    // while aliases are there, every edit runs in full
    expect(
      (await step(() => (schemas['EdgeConfigItemValue'] = { type: 'string', description: 'another' }))).outcome,
    ).toMatch(/refer to themselves outside objects/);
    // and back: Forest an object again, no alias left
    const unmade = await step(
      () => (schemas['Forest'] = { type: 'object', properties: { branch: { $ref: '#/components/schemas/Branch' } } }),
    );
    expect(unmade.types).not.toContain('type Recursive_');
  });

  it('runs in full when its record is missing or unreadable, with the same output', async () => {
    const dir = path.join(root, 'lost-record');
    const { spec, out, addField } = exampleIn(dir);
    await run(spec, out, false);
    const cache = process.env['SYNC_PATTERNS_CACHE_DIR']!;
    for (const file of readdirSync(cache)) writeFileSync(path.join(cache, file), '{ not json');
    // (no change to the spec: the run is a full one only for want of a record, and leaves a new one)
    expect(await run(spec, out, false)).toBe('no record of the previous run');
    // a record whose texts are another run's (two runs writing it at once) is not used either
    for (const file of readdirSync(cache).filter((f) => f.endsWith('.schemas.txt'))) {
      const texts = readFileSync(path.join(cache, file), 'utf8');
      writeFileSync(path.join(cache, file), `another-run\n${texts.slice(texts.indexOf('\n') + 1)}`);
    }
    addField('sp_extra');
    cpSync(out, path.join(dir, 'full'), { recursive: true });
    expect(await run(spec, out, false)).toBe('no record of the previous run');
    await run(spec, path.join(dir, 'full'), true);
    expect(snapshotDir(out)).toEqual(snapshotDir(path.join(dir, 'full')));
  });
});
