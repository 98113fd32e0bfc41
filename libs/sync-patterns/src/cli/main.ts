import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { HandEditError, check, generate, upToDate } from '../pipeline';
import { buildModel } from '../model/build-model';
import type { ApiOperation, ConflictContract, SyncApi, SyncModel } from '../model/ir';
import { operationOutcome } from '../emit/operations/operation-exports';
import { SpecError, collapseRepeats, diagnosticJson, formatDiagnostic, type Diagnostic } from '../openapi/diagnostics';
import type { RefPolicy } from '../openapi/confined-refs';
import { OutputError } from '../write/output-error';
import { loadSpec } from '../openapi/load-spec';
import { stackAsSpecError } from '../openapi/nesting';
import { watchSpec } from './watch';
import { OutputMemory } from '../write/output-memory';
import type { WritePlan } from '../write/plan-write';

/** Exit codes, also listed in `--help` and the README. */
export const EXIT = {
  ok: 0,
  drift: 1,
  invalidSpec: 2,
  handEdited: 3,
  usage: 64,
  internal: 70,
  cannotWrite: 73,
} as const;

export type Command = 'generate' | 'check' | 'validate';
export const COMMANDS: readonly Command[] = ['generate', 'check', 'validate'];

interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in help, for a string option. */
  arg?: string;
  short?: string;
  /** The commands that take it. */
  commands: readonly Command[];
  /** One line, or one per command where it differs. */
  help: string | Partial<Record<Command, string>>;
}

const ALL = COMMANDS;
const WRITERS: readonly Command[] = ['generate', 'check'];

/**
 * Every option of every command, in the order help lists them: what a command parses, its
 * `--help` and the README's table are all read from here (test/cli-help.spec.ts holds them together).
 */
export const OPTIONS: Record<string, OptionSpec> = {
  spec: {
    type: 'string',
    arg: '<file>',
    commands: ALL,
    help: 'OpenAPI 3.0/3.1 document, JSON or YAML (multi-file $refs are bundled)',
  },
  out: {
    type: 'string',
    arg: '<dir>',
    commands: WRITERS,
    help: "directory of the api's libraries: <dir>/core and one <dir>/<model> per model",
  },
  models: { type: 'string', arg: '<A,B>', commands: ALL, help: 'only these models (schema names)' },
  'all-models': {
    type: 'boolean',
    commands: ALL,
    help: 'also every resource-like schema without x-sync, in the default mode (push)',
  },
  name: {
    type: 'string',
    arg: '<name>',
    commands: WRITERS,
    help: "api name used in folders and query keys (default: the spec's title)",
  },
  'include-tags': { type: 'string', arg: '<a,b>', commands: ALL, help: 'only models with an operation tagged so' },
  'include-paths': {
    type: 'string',
    arg: '<p,q>',
    commands: ALL,
    help: 'only models with an operation on these paths (* one segment, ** any)',
  },
  'exclude-models': { type: 'string', arg: '<A,B>', commands: ALL, help: 'leave these models out' },
  'exclude-tags': { type: 'string', arg: '<a,b>', commands: ALL, help: 'leave out models with an operation tagged so' },
  'exclude-paths': {
    type: 'string',
    arg: '<p,q>',
    commands: ALL,
    help: 'leave out models with an operation on these paths',
  },
  'allow-remote-ref': {
    type: 'string',
    arg: '<host,host>',
    commands: ALL,
    help: "hosts whose URLs the spec's $refs may name (fetched with a 10 s timeout and a 32 MB cap); none by default. Local $refs stay inside the spec's folder",
  },
  'dry-run': { type: 'boolean', commands: ['generate'], help: 'show what would change, write nothing' },
  force: { type: 'boolean', commands: ['generate'], help: 'overwrite generated files that were edited by hand' },
  prune: { type: 'boolean', commands: ['generate'], help: 'delete generated files of models that are gone' },
  watch: {
    type: 'boolean',
    commands: ['generate'],
    help: 'regenerate on every change of the spec (a save that does not validate is reported; the last good output stays)',
  },
  json: {
    type: 'boolean',
    commands: ALL,
    help: {
      generate: 'print one JSON summary on stdout (models, files by outcome, warnings; errors too), nothing else',
      check: 'print one JSON summary on stdout (drift, files by outcome, warnings; errors too), nothing else',
      validate: 'print one JSON document on stdout (models, modes, operations, errors, warnings), nothing else',
    },
  },
  quiet: {
    type: 'boolean',
    commands: WRITERS,
    help: 'counts only: no progress lines and no file lists (hand-edited files are still named)',
  },
  progress: {
    type: 'boolean',
    commands: WRITERS,
    help: 'progress lines on stderr even when it is not a terminal (CI logs)',
  },
  help: { type: 'boolean', short: 'h', commands: ALL, help: 'this help' },
};

/** The options `command` takes, by name. */
export function optionsOf(command: Command): string[] {
  return Object.keys(OPTIONS).filter((name) => OPTIONS[name].commands.includes(command));
}

const USAGE: Record<Command, string> = {
  generate: `Usage: sync-patterns generate --spec <file> --out <dir> [options]

Writes the libraries of every x-sync model (or of every model with --all-models): <dir>/core and
one <dir>/<model> per model. Only files whose content changed are written; hand-edited generated
files are kept (exit 3) unless --force.`,
  check: `Usage: sync-patterns check --spec <file> --out <dir> [options]

Changes nothing. Exits 1, listing the files, when the generated libraries in <dir> are not exactly
what \`generate\` would write now (spec changed, files missing, hand edits): what it would create,
update or delete.`,
  validate: `Usage: sync-patterns validate --spec <file> [options]

Lists every model with its mode, key and bound operations, then every problem (file + JSON pointer
+ how to fix it). Exits 2 when there are errors.`,
};

const EXIT_LINE =
  'Exit codes: 0 ok · 1 drift (check) · 2 invalid spec · 3 hand-edited files block the write · 64 usage error · 70 internal error · 73 the output folder cannot be written safely';

const MAIN_HELP = `sync-patterns — typed, local-first client libraries from an OpenAPI spec with x-sync annotations

Usage: sync-patterns <command> [options]

Commands:
  generate   write the libraries of every x-sync model (or of every model with --all-models)
  check      exit 1 if the generated libraries differ from what the spec gives (for CI)
  validate   list models, modes, bound operations and every problem in the spec
  version    print the version (also --version, -V)

Run \`sync-patterns <command> --help\` for a command's options.

${EXIT_LINE}`;

/** A command's help: usage, what it does, and exactly the options it parses. */
export function helpOf(command: Command): string {
  const rows = optionsOf(command).map((name) => {
    const option = OPTIONS[name];
    const flag = `--${name}${option.arg ? ` ${option.arg}` : ''}${option.short ? `, -${option.short}` : ''}`;
    const text = typeof option.help === 'string' ? option.help : option.help[command]!;
    return [flag, text] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return `${USAGE[command]}\n\nOptions:\n${rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`).join('\n')}\n\n${EXIT_LINE}`;
}

/** This package's version, from its package.json (two folders up, in the repository and in the built package). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

type Values = Partial<Record<string, string | boolean>>;

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const print = (line = '') => out.write(line + '\n');
  const warn = (line: string) => err.write(line + '\n');
  const [first, ...rest] = argv;
  // --json holds for errors too: known before the arguments are parsed (they may be what is wrong)
  const json = COMMANDS.includes(first as Command) && rest.includes('--json');
  const command = first ?? '';
  /** The warnings of this run, as shown (the --json document's), and the run's JSON answer. */
  const warnings: Diagnostic[] = [];
  const answer = (fields: Record<string, unknown>) =>
    print(JSON.stringify({ command, ok: true, ...fields, errors: [], warnings: warnings.map(diagnosticJson) }));
  try {
    if (!first || first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      if (topic !== undefined && !COMMANDS.includes(topic as Command))
        throw new UsageError(`unknown command "${topic}"`, 'run `sync-patterns --help` for the commands');
      print(topic ? helpOf(topic as Command) : MAIN_HELP);
      return first ? EXIT.ok : EXIT.usage;
    }
    if (first === '--version' || first === '-V' || first === 'version') {
      if (rest.length) throw new UsageError(`${first} takes no arguments`, 'run `sync-patterns --version`');
      print(packageVersion());
      return EXIT.ok;
    }
    if (!COMMANDS.includes(first as Command))
      throw new UsageError(`unknown command "${first}"`, 'run `sync-patterns --help` for the commands');
    const values = parseOptions(first as Command, rest);
    if (values['help']) {
      print(helpOf(first as Command));
      return EXIT.ok;
    }
    return await run(first as Command, values, { json, print, warn, warnings, answer, err });
  } catch (error) {
    return reportFailure(error, { json, command, print, warn, warnings });
  }
}

function parseOptions(command: Command, args: string[]): Values {
  const accepted = Object.fromEntries(
    optionsOf(command).map((name) => [
      name,
      { type: OPTIONS[name].type, ...(OPTIONS[name].short ? { short: OPTIONS[name].short } : {}) },
    ]),
  );
  try {
    return parseArgs({ args, options: accepted, strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    const e = error as Error & { code?: string };
    const hint = `run \`sync-patterns ${command} --help\` for its options`;
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(e.message)?.[1] : undefined;
    if (unknown) {
      const name = unknown.replace(/^-+/, '').split('=')[0];
      const others = OPTIONS[name]?.commands;
      throw new UsageError(
        others
          ? `${command} does not take --${name} (${others.join(' and ')} do${others.length === 1 ? 'es' : ''})`
          : `unknown option ${unknown}`,
        hint,
      );
    }
    throw new UsageError(e.message.split('. ')[0], hint);
  }
}

interface RunContext {
  json: boolean;
  print: (line?: string) => void;
  warn: (line: string) => void;
  warnings: Diagnostic[];
  answer: (fields: Record<string, unknown>) => void;
  err: NodeJS.WritableStream;
}

async function run(
  command: Command,
  values: Values,
  { json, print, warn, warnings, answer, err }: RunContext,
): Promise<number> {
  const spec = required(values['spec'], '--spec', command);
  const list = (value: string | boolean | undefined) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : undefined;
  const include = {
    ...(list(values['include-tags']) ? { tags: list(values['include-tags']) } : {}),
    ...(list(values['include-paths']) ? { paths: list(values['include-paths']) } : {}),
  };
  const exclude = {
    ...(list(values['exclude-models']) ? { models: list(values['exclude-models']) } : {}),
    ...(list(values['exclude-tags']) ? { tags: list(values['exclude-tags']) } : {}),
    ...(list(values['exclude-paths']) ? { paths: list(values['exclude-paths']) } : {}),
  };
  const build = {
    ...(Object.keys(include).length || Object.keys(exclude).length ? { filters: { include, exclude } } : {}),
    ...(list(values['models']) ? { models: list(values['models']) } : {}),
    ...(values['all-models'] ? { allModels: true } : {}),
    ...(typeof values['name'] === 'string' ? { apiName: values['name'] } : {}),
  };
  const refs = { ...(list(values['allow-remote-ref']) ? { allowRemoteRefs: list(values['allow-remote-ref']) } : {}) };
  if (command === 'validate') return validate(spec, build, refs, { json, print, warnings });

  // progress on stderr at a terminal (or with --progress); quiet in CI logs, with --quiet and with
  // --json (one JSON document on stdout and nothing else there)
  const progress = values['progress'] === true || (err as { isTTY?: boolean }).isTTY === true;
  const log = values['quiet'] || json || !progress ? undefined : (line: string) => warn(`· ${line}`);
  const onWarning = (line: string, d: Diagnostic) => {
    warnings.push(d);
    warn(line);
  };
  const outDir = required(values['out'], '--out', command);
  const dryRun = values['dry-run'] === true;
  const listFiles = values['quiet'] !== true;
  // Same spec, options and generator as the files on disk record, and no file touched: nothing to do.
  // (generate --json lists every operation: the spec is bound for that, so it takes the full path)
  const fresh =
    values['force'] || values['prune'] || values['watch'] || (json && command === 'generate')
      ? undefined
      : upToDate({ spec, out: outDir, ...build });
  if (fresh) {
    for (const d of fresh.warnings) onWarning(formatDiagnostic(d), d);
    log?.(`up to date: the spec, the options and ${fresh.files} files are as the last generation left them`);
    if (json) {
      const none = planJson(
        { create: [], update: [], deletes: [], stale: [], handEdited: [], unchanged: [] },
        command === 'check' || dryRun,
      );
      answer({
        out: outDir,
        ...(command === 'check' ? { drift: false } : { dryRun }),
        models: fresh.models,
        ...none,
        unchanged: fresh.files,
      });
    } else print(command === 'check' ? `up to date: ${fresh.files} files in ${outDir}` : `unchanged: ${fresh.files}`);
    return EXIT.ok;
  }
  if (command === 'check') {
    const result = await check({ spec, out: outDir, ...build, refs, log, warn: onWarning });
    if (json)
      answer({
        ok: !result.drift,
        out: outDir,
        drift: result.drift,
        models: modelNames(result.api),
        ...planJson(result.plan, true),
      });
    else if (!result.drift) print(`up to date: ${result.files.length} files in ${outDir}`);
    else {
      print(`drift in ${outDir}:`);
      printPlan(result.plan, print, { listFiles, would: true, check: true });
      print(`run \`sync-patterns generate --spec ${spec} --out ${outDir}\` to update`);
    }
    return result.drift ? EXIT.drift : EXIT.ok;
  }

  // --watch: the output folder's files as the last run left them
  const memory = values['watch'] === true ? new OutputMemory(outDir) : undefined;
  const generateOnce = async () => {
    warnings.length = 0;
    const result = await generate({
      spec,
      out: outDir,
      memory,
      ...build,
      refs,
      dryRun,
      force: values['force'] === true,
      prune: values['prune'] === true,
      log,
      warn: onWarning,
    });
    if (json) {
      answer({
        out: outDir,
        dryRun,
        models: modelNames(result.api),
        operations: operationsJson(result.api),
        ...planJson(result.plan, dryRun),
      });
      return;
    }
    if (dryRun) print(`dry run: nothing written to ${outDir}`);
    printPlan(result.plan, print, { listFiles, would: dryRun });
  };
  if (values['watch'] !== true) {
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
      if (reportFailure(error, { json, command, print, warn, warnings }) === EXIT.internal) throw error;
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
}

/**
 * Prints what went wrong and says what to do next (with --json, as the run's JSON document on
 * stdout as well); returns the exit code.
 */
function reportFailure(
  error: unknown,
  {
    json,
    command,
    print,
    warn,
    warnings,
  }: {
    json: boolean;
    command: string;
    print: (line: string) => void;
    warn: (line: string) => void;
    warnings: Diagnostic[];
  },
): number {
  let code: number;
  let errors: Record<string, unknown>[];
  const extra: Record<string, unknown> = {};
  if (error instanceof UsageError) {
    warn(`sync-patterns: ${error.message}; ${error.hint}`);
    code = EXIT.usage;
    errors = [{ message: error.message, fix: error.hint }];
  } else if (error instanceof SpecError) {
    warn(`sync-patterns: the spec has ${error.diagnostics.length} problem(s):`);
    for (const d of error.diagnostics) warn(formatDiagnostic(d));
    // the warnings of the same run, not printed yet (its errors stopped it before)
    for (const d of error.warnings) {
      warn(formatDiagnostic(d));
      warnings.push(d);
    }
    code = EXIT.invalidSpec;
    errors = error.diagnostics.map(diagnosticJson);
  } else if (error instanceof HandEditError) {
    warn(`sync-patterns: ${error.message}`);
    code = EXIT.handEdited;
    errors = [
      {
        message: `${error.files.length} generated file(s) in ${error.outDir} were edited by hand, so nothing was written`,
        fix: 'move the changes into a file of your own (or revert them), or pass --force to overwrite them',
      },
    ];
    extra['handEdited'] = error.files;
  } else if (error instanceof OutputError) {
    warn(`sync-patterns: ${error.message}; ${error.hint}`);
    code = EXIT.cannotWrite;
    errors = [{ message: error.message, fix: error.hint }];
  } else {
    warn(`sync-patterns: internal error: ${(error as Error).stack ?? String(error)}`);
    warn('This is a bug in sync-patterns: please report it with the spec that triggered it.');
    code = EXIT.internal;
    errors = [
      {
        message: `internal error: ${(error as Error).message ?? String(error)}`,
        fix: 'this is a bug in sync-patterns: please report it with the spec that triggered it',
      },
    ];
  }
  if (json)
    print(
      JSON.stringify({ command, ok: false, exitCode: code, ...extra, errors, warnings: warnings.map(diagnosticJson) }),
    );
  return code;
}

function required(value: string | boolean | undefined, flag: string, command: string): string {
  if (typeof value !== 'string' || !value)
    throw new UsageError(`${command} needs ${flag}`, `run \`sync-patterns ${command} --help\``);
  return value;
}

const modelNames = (api: SyncApi) => api.models.map((m) => m.schemaName);

/** Where an operation's function and hook are: `POST /todos/{id}/archive → archiveTodo, useArchiveTodo (todo)`. */
/** What a model's writes do when the row moved on, in a few words. */
/** What the server pins on a live model's shape, as `validate` prints it. */
function rowsLine(model: SyncModel): string {
  const loaded = model.sync.sync === 'on-demand' ? ', loaded on demand (the subsets live queries ask for)' : '';
  if (!model.shape) return `every row of the table (no x-sync where)${loaded}`;
  const params = model.shape.params.map((p) => `$${p}`).join(', ');
  return `where ${model.sync.where!.trim()}${params ? `  (${params}: the signed-in principal's, bound by the shape proxy)` : ''}${loaded}`;
}

function conflictLine(conflict: ConflictContract): string {
  if (conflict.strategy === 'client-wins') return 'client-wins: sent without a precondition (the last write wins)';
  if (conflict.version === undefined) return 'without a version (no x-sync.version): the last write wins';
  const guarded = conflict.preconditions.length ? conflict.preconditions.join(' and ') : 'no write';
  return `${conflict.strategy} on version "${conflict.version}": If-Match on ${guarded}`;
}

function operationLine(api: SyncApi, op: ApiOperation): string {
  const made = operationOutcome(api, op);
  return `${op.method.toUpperCase().padEnd(6)} ${op.path} → ${[made.function, ...made.hooks].join(', ')} (${made.library})`;
}

/** Every operation as --json lists it: what it became, its function, options and hooks, and the library holding them. */
function operationsJson(api: SyncApi): Record<string, unknown>[] {
  return api.operations.map((op) => ({
    method: op.method.toUpperCase(),
    path: op.path,
    pointer: op.pointer,
    ...(op.operationId ? { operationId: op.operationId } : {}),
    ...operationOutcome(api, op),
  }));
}

type PlanLists = Pick<WritePlan, 'deletes' | 'stale' | 'handEdited' | 'unchanged'> & {
  create: { path: string }[];
  update: { path: string }[];
};

/**
 * The plan as --json gives it: file lists by outcome. What a run did is `created`, `updated`,
 * `deleted`; what it would do (check, --dry-run) is `wouldCreate`, `wouldUpdate`, `wouldDelete`.
 */
function planJson(plan: PlanLists, would: boolean) {
  const [create, update, remove] = would
    ? ['wouldCreate', 'wouldUpdate', 'wouldDelete']
    : ['created', 'updated', 'deleted'];
  return {
    [create]: plan.create.map((f) => f.path),
    [update]: plan.update.map((f) => f.path),
    [remove]: plan.deletes,
    stale: plan.stale,
    handEdited: plan.handEdited,
    unchanged: plan.unchanged.length,
  };
}

function printPlan(
  plan: WritePlan,
  print: (line: string) => void,
  { listFiles = true, would = false, check = false }: { listFiles?: boolean; would?: boolean; check?: boolean } = {},
): void {
  const rows: [string, string[]][] = [
    [would ? 'would create' : 'created', plan.create.map((f) => f.path)],
    [would ? 'would update' : 'updated', plan.update.map((f) => f.path)],
    [would ? 'would delete' : 'deleted', plan.deletes],
    [check ? 'stale (generate --prune would delete them)' : 'stale (kept; --prune deletes)', plan.stale],
    [check ? 'edited by hand (generate keeps them; --force overwrites)' : 'edited by hand (kept)', plan.handEdited],
  ];
  for (const [label, files] of rows) {
    if (!files.length) continue;
    print(`${label}: ${files.length}`);
    // hand edits are always named: they are what the user has to act on
    if (listFiles || files === plan.handEdited) for (const file of files) print(`  ${file}`);
  }
  print(`unchanged: ${plan.unchanged.length}`);
}

async function validate(
  spec: string,
  build: Parameters<typeof buildModel>[1],
  refs: RefPolicy,
  { json, print, warnings }: Pick<RunContext, 'json' | 'print' | 'warnings'>,
): Promise<number> {
  let api: SyncApi;
  try {
    api = buildModel(await loadSpec(spec, refs), build);
  } catch (error) {
    throw stackAsSpecError(error, spec);
  }
  const errors = api.diagnostics.filter((d) => d.severity === 'error');
  if (json) {
    // every warning, one by one (the text shows the first few of a kind)
    warnings.push(...api.diagnostics.filter((d) => d.severity !== 'error'));
    const document = {
      spec,
      title: api.title,
      openapi: api.version,
      models: api.models.map((model) => ({
        name: model.schemaName,
        mode: model.sync.mode,
        key: model.sync.key,
        table: model.sync.table,
        implicit: model.implicit,
        conflict: model.conflict,
        ...(model.sync.mode === 'live'
          ? {
              shape: {
                sync: model.sync.sync ?? 'eager',
                columns: model.fields.filter((f) => !f.excluded && !f.writeOnly).map((f) => f.name),
                ...(model.shape
                  ? { where: model.shape.where, params: model.shape.params, tables: model.shape.tables }
                  : {}),
              },
            }
          : {}),
        operations: Object.fromEntries(
          Object.entries(model.operations).map(([kind, op]) => [
            kind,
            {
              method: op.method.toUpperCase(),
              path: op.path,
              pointer: op.pointer,
              binding: op.binding,
              ...(op.operationId ? { operationId: op.operationId } : {}),
              ...(op.pagination ? { pagination: op.pagination } : {}),
            },
          ]),
        ),
      })),
      operations: operationsJson(api),
    };
    print(
      JSON.stringify({
        command: 'validate',
        ok: errors.length === 0,
        ...document,
        errors: errors.map(diagnosticJson),
        warnings: warnings.map(diagnosticJson),
      }),
    );
    return errors.length ? EXIT.invalidSpec : EXIT.ok;
  }
  print(`${api.title} (OpenAPI ${api.version}): ${api.models.length} model(s)`);
  for (const model of api.models) {
    print(
      `  ${model.schemaName}  mode=${model.sync.mode}  key=${model.sync.key}${model.implicit ? '  (no x-sync: --all-models)' : ''}`,
    );
    if (model.sync.mode !== 'cache' && (model.operations.update || model.operations.delete))
      print(`    writes ${conflictLine(model.conflict)}`);
    if (model.sync.mode === 'live') print(`    rows   ${rowsLine(model)}`);
    for (const [kind, op] of Object.entries(model.operations)) {
      print(
        `    ${kind.padEnd(6)} ${op.method.toUpperCase()} ${op.path}${op.binding === 'explicit' ? '  (x-sync-op)' : ''}${op.pagination ? `  pages by ${op.pagination.param}` : ''}`,
      );
    }
  }
  const extra = api.operations.filter((op) => op.role.kind !== 'bound');
  if (extra.length) {
    print(`  operations beside the models' (${extra.length}): a function and a hook each`);
    for (const op of extra.slice(0, 50)) print(`    ${operationLine(api, op)}`);
    if (extra.length > 50) print(`    … ${extra.length - 50} more (--json lists every one)`);
  }
  for (const d of collapseRepeats(api.diagnostics)) print(formatDiagnostic(d));
  const warningCount = api.diagnostics.length - errors.length;
  print(
    `${errors.length ? `${errors.length} error(s)` : 'no errors'}${warningCount ? `, ${warningCount} warning(s)` : ''}`,
  );
  return errors.length ? EXIT.invalidSpec : EXIT.ok;
}
