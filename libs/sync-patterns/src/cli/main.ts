import { parseArgs } from 'node:util';
import { HandEditError, check, generate, upToDate } from '../pipeline';
import { buildModel } from '../model/build-model';
import { SpecError, formatDiagnostic } from '../spec/diagnostics';
import { loadSpec } from '../spec/load-spec';
import { watchSpec } from './watch';
import { OutputMemory } from '../write/output-memory';
import type { WritePlan } from '../write/plan-write';

/** Exit codes, also listed in `--help` and the README. */
export const EXIT = { ok: 0, drift: 1, invalidSpec: 2, handEdited: 3, usage: 64, internal: 70 } as const;

const HELP: Record<string, string> = {
  main: `sync-patterns — typed, local-first client libraries from an OpenAPI spec with x-sync annotations

Usage: sync-patterns <command> [options]

Commands:
  generate   write the libraries of every x-sync model (or of every model with --all-models)
  validate   list models, modes, bound operations and every problem in the spec
  check      exit 1 if the generated libraries differ from what the spec gives (for CI)

Run \`sync-patterns <command> --help\` for a command's options.

Exit codes: 0 ok · 1 drift (check) · 2 invalid spec · 3 hand-edited files block the write · 64 usage error`,
  generate: `Usage: sync-patterns generate --spec <file> --out <dir> [options]

  --spec <file>      OpenAPI 3.0/3.1 document, JSON or YAML (multi-file $refs are bundled)
  --out <dir>        directory of the api's libraries: <dir>/core and one <dir>/<model> per model
  --models <A,B>     only these models (schema names)
  --all-models       also every resource-like schema without x-sync, in the default mode (push)
  --name <name>      api name used in folders and query keys (default: the spec's title)
  --dry-run          show what would change, write nothing
  --force            overwrite generated files that were edited by hand
  --prune            delete generated files of models that are gone
  --include-tags <a,b>    only models with an operation tagged so
  --include-paths <p,q>   only models with an operation on these paths (* one segment, ** any)
  --exclude-models <A,B>  leave these models out (also --exclude-tags, --exclude-paths)
                     (a filter that matches no model is a warning naming it)
  --watch            regenerate on every change of the spec (a save that does not validate is
                     reported; the last good output stays)
  --json             print one JSON summary (models, files by outcome, warnings) on stdout
  --quiet            counts only: no progress lines (they show at a terminal: spec parsed, models
                     bound, files emitted, written) and no file lists (hand-edited files are still named)
  --progress         progress lines even when stderr is not a terminal (CI logs)`,
  validate: `Usage: sync-patterns validate --spec <file> [--all-models] [--models <A,B>]

Lists every model with its mode, key and bound operations, then every problem (file + JSON pointer
+ how to fix it). Exits 2 when there are errors.`,
  check: `Usage: sync-patterns check --spec <file> --out <dir> [--models <A,B>] [--all-models] [--name <name>]

Changes nothing. Exits 1, listing the files, when the generated libraries in <dir> are not exactly
what \`generate\` would write now (spec changed, files missing, hand edits).`,
};

const OPTIONS = {
  spec: { type: 'string' },
  out: { type: 'string' },
  models: { type: 'string' },
  'all-models': { type: 'boolean' },
  name: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  prune: { type: 'boolean' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  watch: { type: 'boolean' },
  'include-tags': { type: 'string' },
  'include-paths': { type: 'string' },
  'exclude-models': { type: 'string' },
  'exclude-tags': { type: 'string' },
  'exclude-paths': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const print = (line = '') => out.write(line + '\n');
  const warn = (line: string) => err.write(line + '\n');
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      print(HELP.main);
      return command ? EXIT.ok : EXIT.usage;
    }
    if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command "${command}"; run \`sync-patterns --help\``);
    let values: Partial<Record<keyof typeof OPTIONS, string | boolean>>;
    try {
      ({ values } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: false }));
    } catch (error) {
      throw new UsageError(`${(error as Error).message}; run \`sync-patterns ${command} --help\``);
    }
    if (values.help) {
      print(HELP[command]);
      return EXIT.ok;
    }
    const spec = required(values.spec, '--spec', command);
    const list = (value: string | boolean | undefined) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : undefined;
    const include = { ...(list(values['include-tags']) ? { tags: list(values['include-tags']) } : {}), ...(list(values['include-paths']) ? { paths: list(values['include-paths']) } : {}) };
    const exclude = {
      ...(list(values['exclude-models']) ? { models: list(values['exclude-models']) } : {}),
      ...(list(values['exclude-tags']) ? { tags: list(values['exclude-tags']) } : {}),
      ...(list(values['exclude-paths']) ? { paths: list(values['exclude-paths']) } : {}),
    };
    const build = {
      ...(Object.keys(include).length || Object.keys(exclude).length ? { filters: { include, exclude } } : {}),
      ...(typeof values.models === 'string'
        ? {
            models: values.models
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
          }
        : {}),
      ...(values['all-models'] ? { allModels: true } : {}),
      ...(typeof values.name === 'string' ? { apiName: values.name } : {}),
    };
    const json = values.json === true;
    // progress on stderr at a terminal (or with --progress); quiet in CI logs, with --quiet and with
    // --json (one JSON summary on stdout and nothing else there)
    const progress = values.progress === true || (err as { isTTY?: boolean }).isTTY === true;
    const log = values.quiet || json || !progress ? undefined : (line: string) => warn(`· ${line}`);
    const warnings: string[] = [];
    const onWarning = (line: string) => {
      warnings.push(line);
      warn(line);
    };

    if (command === 'validate') return await validate(spec, build, print);
    const outDir = required(values.out, '--out', command);
    // Same spec, options and generator as the files on disk record, and no file touched: nothing to do.
    const fresh = values.force || values.prune || values.watch ? undefined : upToDate({ spec, out: outDir, ...build });
    if (fresh) {
      for (const line of fresh.warnings) onWarning(line);
      log?.(`up to date: the spec, the options and ${fresh.files} files are as the last generation left them`);
      if (json)
        print(
          JSON.stringify({
            command,
            out: outDir,
            ...(command === 'check' ? { drift: false } : { dryRun: values['dry-run'] === true }),
            models: fresh.models,
            created: [],
            updated: [],
            deleted: [],
            stale: [],
            handEdited: [],
            unchanged: fresh.files,
            warnings,
          }),
        );
      else print(command === 'check' ? `up to date: ${fresh.files} files in ${outDir}` : `unchanged: ${fresh.files}`);
      return EXIT.ok;
    }
    if (command === 'check') {
      const result = await check({ spec, out: outDir, ...build, log, warn: onWarning });
      if (json) {
        print(JSON.stringify({ command, out: outDir, drift: result.drift, models: result.api.models.map((m) => m.schemaName), ...planSummary(result.plan), warnings }));
        return result.drift ? EXIT.drift : EXIT.ok;
      }
      if (!result.drift) {
        print(`up to date: ${result.files.length} files in ${outDir}`);
        return EXIT.ok;
      }
      print(`drift in ${outDir}:`);
      printPlan(result.plan, print, values.quiet !== true);
      print(`run \`sync-patterns generate --spec ${spec} --out ${outDir}\` to update`);
      return EXIT.drift;
    }
    // --watch: the output folder's files as the last run left them
    const memory = values.watch === true ? new OutputMemory(outDir) : undefined;
    const generateOnce = async () => {
      const result = await generate({
        spec,
        out: outDir,
        memory,
        ...build,
        dryRun: values['dry-run'] === true,
        force: values.force === true,
        prune: values.prune === true,
        log,
        warn: onWarning,
      });
      if (json) {
        print(
          JSON.stringify({ command, out: outDir, dryRun: values['dry-run'] === true, models: result.api.models.map((m) => m.schemaName), ...planSummary(result.plan), warnings: warnings.splice(0) }),
        );
        return;
      }
      if (values['dry-run']) print(`dry run: nothing written to ${outDir}`);
      printPlan(result.plan, print, values.quiet !== true);
    };
    if (values.watch !== true) {
      await generateOnce();
      return EXIT.ok;
    }
    // --watch: every spec change regenerates (only changed files are written); a spec that does not
    // validate is reported and the last good output stays until the next save
    const watched = async () => {
      const started = performance.now();
      try {
        await generateOnce();
        warn(`sync-patterns: regenerated in ${Math.round(performance.now() - started)} ms; watching`);
      } catch (error) {
        if (reportFailure(error, warn) === EXIT.internal) throw error;
        warn('sync-patterns: the last good output is kept; waiting for the next change');
      }
    };
    await watched();
    warn(`sync-patterns: watching ${spec} (and the files beside it); Ctrl-C stops`);
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
    await watchSpec(spec, watched, stop.signal);
    memory?.flush();
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, warn);
  }
}

/** Prints what went wrong and says what to do next; returns the exit code. */
function reportFailure(error: unknown, warn: (line: string) => void): number {
  if (error instanceof UsageError) {
    warn(`sync-patterns: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof SpecError) {
    warn(`sync-patterns: the spec has ${error.diagnostics.length} problem(s):`);
    for (const d of error.diagnostics) warn(formatDiagnostic(d));
    return EXIT.invalidSpec;
  }
  if (error instanceof HandEditError) {
    warn(`sync-patterns: ${error.message}`);
    return EXIT.handEdited;
  }
  warn(`sync-patterns: internal error: ${(error as Error).stack ?? String(error)}`);
  warn('This is a bug in sync-patterns: please report it with the spec that triggered it.');
  return EXIT.internal;
}

function required(value: string | boolean | undefined, flag: string, command: string): string {
  if (typeof value !== 'string' || !value) throw new UsageError(`${command} needs ${flag}; run \`sync-patterns ${command} --help\``);
  return value;
}

/** The plan as the --json summary gives it: file lists by outcome. */
function planSummary(plan: WritePlan) {
  return {
    created: plan.create.map((f) => f.path),
    updated: plan.update.map((f) => f.path),
    deleted: plan.deletes,
    stale: plan.stale,
    handEdited: plan.handEdited,
    unchanged: plan.unchanged.length,
  };
}

function printPlan(plan: WritePlan, print: (line: string) => void, listFiles = true): void {
  const rows: [string, string[]][] = [
    ['created', plan.create.map((f) => f.path)],
    ['updated', plan.update.map((f) => f.path)],
    ['deleted', plan.deletes],
    ['stale (kept; --prune deletes)', plan.stale],
    ['edited by hand (kept)', plan.handEdited],
  ];
  for (const [label, files] of rows) {
    if (!files.length) continue;
    print(`${label}: ${files.length}`);
    // hand edits are always named: they are what the user has to act on
    if (listFiles || files === plan.handEdited) for (const file of files) print(`  ${file}`);
  }
  print(`unchanged: ${plan.unchanged.length}`);
}

async function validate(spec: string, build: Parameters<typeof buildModel>[1], print: (line: string) => void): Promise<number> {
  const api = buildModel(await loadSpec(spec), build);
  print(`${api.title} (OpenAPI ${api.version}): ${api.models.length} model(s)`);
  for (const model of api.models) {
    print(`  ${model.schemaName}  mode=${model.sync.mode}  key=${model.sync.key}${model.implicit ? '  (no x-sync: --all-models)' : ''}`);
    for (const [kind, op] of Object.entries(model.operations)) {
      print(`    ${kind.padEnd(6)} ${op.method.toUpperCase()} ${op.path}${op.binding === 'explicit' ? '  (x-sync-op)' : ''}${op.pagination ? `  pages by ${op.pagination.param}` : ''}`);
    }
  }
  const errors = api.diagnostics.filter((d) => d.severity === 'error');
  for (const d of api.diagnostics) print(formatDiagnostic(d));
  print(errors.length ? `${errors.length} error(s)` : 'no errors');
  return errors.length ? EXIT.invalidSpec : EXIT.ok;
}
