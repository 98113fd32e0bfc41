import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { ConflictPolicy, MergeRule, RetrySettings, SyncMode, SyncOptions } from './ir';
import { pluralize, snakeCase } from './naming';
import { isObject } from './schema-utils';

const MODES: SyncMode[] = ['push', 'live', 'cache'];
const CONFLICTS: ConflictPolicy[] = ['backend-wins', 'client-wins', 'field-merge', 'custom'];
const BACKOFFS: RetrySettings['backoff'][] = ['exponential', 'linear', 'fixed'];
const MERGE_RULES: MergeRule[] = ['server', 'client', 'union'];
const KEYS = [
  'mode',
  'key',
  'table',
  'exclude',
  'version',
  'conflict',
  'where',
  'sync',
  'ttl',
  'invalidatedBy',
  'retry',
] as const;
const CONFLICT_KEYS = ['strategy', 'fields'] as const;
const RETRY_KEYS = ['attempts', 'backoff', 'delayMs'] as const;

const DEFAULTS_POINTER = '#/x-sync-defaults';

/** Modes this version generates; the others are refused with a clear message rather than faked. */
export const SUPPORTED_MODES: SyncMode[] = ['push', 'live', 'cache'];

/** Seconds a cache-mode result stays fresh when `ttl` is not given. */
export const DEFAULT_TTL = 300;

export const DEFAULT_RETRY: RetrySettings = { attempts: 3, backoff: 'exponential', delayMs: 500 };

/** `x-sync` as written: a mode string, or an object of options (all optional). */
export type RawSyncOptions = Partial<Record<(typeof KEYS)[number], unknown>>;

interface Context {
  file: string;
  diagnostics: Diagnostic[];
}

function problem(ctx: Context, pointer: string, message: string, hint: string): void {
  ctx.diagnostics.push({ severity: 'error', file: ctx.file, pointer, message, hint });
}

/** Reads `x-sync` (or `x-sync-defaults`) into a plain options object, reporting every malformed key. */
export function readRawOptions(value: unknown, pointer: string, ctx: Context): RawSyncOptions {
  if (value === undefined || value === true) return {};
  if (typeof value === 'string') return { mode: value };
  if (!isObject(value)) {
    problem(
      ctx,
      pointer,
      `x-sync must be a mode name or an object, not ${JSON.stringify(value)}`,
      'write `x-sync: live` or `x-sync: { mode: live, key: id }`',
    );
    return {};
  }
  for (const key of Object.keys(value)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      problem(ctx, child(pointer, key), `unknown x-sync option "${key}"`, `use one of: ${KEYS.join(', ')}`);
    }
  }
  return value as RawSyncOptions;
}

/**
 * Resolves a model's options: its own `x-sync` over the document's `x-sync-defaults` over the
 * smart defaults (push, key `id`, backend wins, 3 attempts with exponential backoff).
 */
export function resolveOptions(
  schemaName: string,
  own: RawSyncOptions,
  defaults: RawSyncOptions,
  pointer: string,
  ctx: Context,
  /** Where the mode is written: `…/x-sync` itself for the shorthand form. */
  modePointer = child(pointer, 'mode'),
): SyncOptions {
  const pick = (key: (typeof KEYS)[number]) => (own[key] !== undefined ? own[key] : defaults[key]);
  // where a picked option is written: the model's x-sync, or the document's x-sync-defaults
  const at = (key: (typeof KEYS)[number]) =>
    own[key] === undefined && defaults[key] !== undefined ? child(DEFAULTS_POINTER, key) : child(pointer, key);

  // every option is checked whatever the others hold: one run reports every problem. An unknown
  // mode is reported once; what depends on the mode (ttl, invalidatedBy, table names) is then
  // checked for its form only, not against the push mode that stands in for it
  let mode: SyncMode = 'push';
  let modeKnown = true;
  const rawMode = pick('mode');
  if (rawMode !== undefined) {
    if (typeof rawMode === 'string' && (MODES as string[]).includes(rawMode)) mode = rawMode as SyncMode;
    else {
      modeKnown = false;
      problem(
        ctx,
        own.mode !== undefined ? modePointer : child(DEFAULTS_POINTER, 'mode'),
        `unknown sync mode ${JSON.stringify(rawMode)}`,
        `use one of: ${MODES.join(', ')}`,
      );
    }
  }

  const key = stringOption(pick('key'), 'id', at('key'), ctx);
  const table = stringOption(pick('table'), snakeCase(pluralize(schemaName)), at('table'), ctx);
  // a live model's table is also created in the device's SQLite, where these names are taken
  if (mode === 'live' && (/^sqlite_/i.test(table) || /^sync_patterns_(migrations|outbox|streams)$/i.test(table))) {
    problem(
      ctx,
      pick('table') !== undefined ? at('table') : pointer,
      `table ${JSON.stringify(table)} cannot be a local SQLite table: SQLite reserves names starting with sqlite_, and sync-patterns uses sync_patterns_migrations, _outbox and _streams`,
      'set x-sync.table to another name (the table in Postgres must have that name too)',
    );
  }

  let exclude: string[] = [];
  const rawExclude = own.exclude;
  if (rawExclude !== undefined) {
    if (Array.isArray(rawExclude) && rawExclude.every((e) => typeof e === 'string'))
      exclude = [...(rawExclude as string[])];
    else problem(ctx, at('exclude'), 'exclude must be a list of property names', 'write `exclude: [internal_notes]`');
  }

  const { conflict, mergeRules, conflictDeclared } = conflictOption(pick('conflict'), at('conflict'), ctx);
  const rawVersion = pick('version');
  let version: string | undefined;
  if (rawVersion !== undefined) {
    if (typeof rawVersion === 'string' && rawVersion.length > 0) version = rawVersion;
    else
      problem(
        ctx,
        at('version'),
        `version must name the property that carries the row's version, not ${JSON.stringify(rawVersion)}`,
        'write `version: version` (an integer the API bumps on every write) or `version: updated_at`',
      );
  }
  // cache mode writes nothing: a version or a conflict policy there would be validated and ignored
  for (const name of ['version', 'conflict'] as const)
    if (modeKnown && mode === 'cache' && own[name] !== undefined)
      problem(ctx, at(name), `${name} applies to push and live models only`, 'remove it: cache mode is read-only');
  if (
    conflictDeclared &&
    conflict !== 'client-wins' &&
    version === undefined &&
    rawVersion === undefined &&
    mode !== 'cache'
  )
    problem(
      ctx,
      at('conflict'),
      `${conflict} needs x-sync.version: without a version neither the client nor the API can tell a write based on a stale row`,
      'add `version: <property>` (an integer the API bumps on every write, or updated_at), or use `conflict: client-wins`',
    );

  // the rows a live model's shape holds: the model's own, since each names its table's columns
  const rawWhere = pick('where');
  let where: string | undefined;
  if (rawWhere !== undefined) {
    if (own.where === undefined)
      problem(
        ctx,
        at('where'),
        'where cannot be a default: it names the columns of one model',
        'move it to the x-sync of each live model it is for',
      );
    else if (typeof rawWhere !== 'string' || !rawWhere.trim())
      problem(
        ctx,
        at('where'),
        'where must be a SQL condition string',
        'write `where: "archived = false"` or `where: "owner_id = $user"`',
      );
    else if (modeKnown && mode !== 'live')
      problem(
        ctx,
        at('where'),
        `where applies to live models only: the rows of a ${mode} model are what its API operations answer`,
        mode === 'push'
          ? 'remove it (the API filters its list per user), or set `mode: live` to sync a shape of these rows'
          : 'remove it: a cache result holds what its endpoint answers',
      );
    else where = rawWhere;
  }

  // how a live model's rows reach the device: all at start, or the subsets its queries ask for
  // (in x-sync-defaults it is the live models' default; the others have no such choice)
  const rawSync = pick('sync');
  let sync: 'eager' | 'on-demand' | undefined;
  if (rawSync !== undefined && (own.sync !== undefined || mode === 'live' || !modeKnown)) {
    if (rawSync !== 'eager' && rawSync !== 'on-demand')
      problem(
        ctx,
        at('sync'),
        `sync must be eager or on-demand, not ${JSON.stringify(rawSync)}`,
        'write `sync: on-demand` (the rows each query asks for) or leave it out (eager: every row of the shape)',
      );
    else if (modeKnown && mode !== 'live')
      problem(
        ctx,
        at('sync'),
        `sync applies to live models only: a ${mode} model's rows are what each request answers`,
        'remove it, or set `mode: live`',
      );
    else sync = rawSync;
  }

  const ttl = mode === 'cache' ? pick('ttl') : own.ttl;
  if (ttl !== undefined && modeKnown && mode !== 'cache')
    problem(ctx, at('ttl'), 'ttl applies to cache mode only', 'remove it, or set `mode: cache`');
  else if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || !(ttl > 0))) {
    problem(ctx, at('ttl'), `ttl must be a positive number of seconds, not ${JSON.stringify(ttl)}`, 'write `ttl: 300`');
  }

  let invalidatedBy: string[] = [];
  const rawInvalidatedBy = own.invalidatedBy;
  if (rawInvalidatedBy !== undefined) {
    const names = Array.isArray(rawInvalidatedBy) && rawInvalidatedBy.every((e) => typeof e === 'string');
    if (!names)
      problem(
        ctx,
        at('invalidatedBy'),
        'invalidatedBy must be a list of model (schema) names',
        'write `invalidatedBy: [Todo, Project]`',
      );
    if (modeKnown && mode !== 'cache')
      problem(ctx, at('invalidatedBy'), 'invalidatedBy applies to cache mode only', 'remove it, or set `mode: cache`');
    else if (names) invalidatedBy = [...(rawInvalidatedBy as string[])];
  }

  return {
    mode,
    key,
    table,
    exclude,
    conflict,
    mergeRules,
    ...(version !== undefined && mode !== 'cache' ? { version } : {}),
    ...(where !== undefined ? { where } : {}),
    ...(sync === 'on-demand' ? { sync } : {}),
    ...(mode === 'cache'
      ? { ttl: typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_TTL, invalidatedBy }
      : {}),
    retry: retryOption(pick('retry'), at('retry'), ctx),
  };
}

/** `conflict: <strategy>`, or `{ strategy, fields: { <property>: server | client | union } }` (field-merge only). */
function conflictOption(
  value: unknown,
  pointer: string,
  ctx: Context,
): { conflict: ConflictPolicy; mergeRules: Record<string, MergeRule>; conflictDeclared: boolean } {
  const mergeRules: Record<string, MergeRule> = {};
  if (value === undefined) return { conflict: 'backend-wins', mergeRules, conflictDeclared: false };
  const fallback = { conflict: 'backend-wins' as const, mergeRules, conflictDeclared: false };
  const strategyOf = (raw: unknown, at: string): ConflictPolicy | undefined => {
    if ((CONFLICTS as unknown[]).includes(raw)) return raw as ConflictPolicy;
    problem(ctx, at, `unknown conflict policy ${JSON.stringify(raw)}`, `use one of: ${CONFLICTS.join(', ')}`);
    return undefined;
  };
  if (!isObject(value)) {
    const conflict = strategyOf(value, pointer);
    return conflict ? { conflict, mergeRules, conflictDeclared: true } : fallback;
  }
  for (const key of Object.keys(value))
    if (!(CONFLICT_KEYS as readonly string[]).includes(key))
      problem(ctx, child(pointer, key), `unknown conflict option "${key}"`, `use one of: ${CONFLICT_KEYS.join(', ')}`);
  const conflict =
    value['strategy'] === undefined ? 'backend-wins' : strategyOf(value['strategy'], child(pointer, 'strategy'));
  const fields = value['fields'];
  if (fields !== undefined) {
    const at = child(pointer, 'fields');
    if (conflict !== undefined && conflict !== 'field-merge')
      problem(
        ctx,
        at,
        `fields (same-field rules) apply to field-merge only, not ${conflict}`,
        'remove them, or set `strategy: field-merge`',
      );
    else if (!isObject(fields))
      problem(
        ctx,
        at,
        'fields must map property names to a rule',
        `write \`fields: { title: client }\` (rules: ${MERGE_RULES.join(', ')})`,
      );
    else
      for (const [name, rule] of Object.entries(fields)) {
        if ((MERGE_RULES as unknown[]).includes(rule)) mergeRules[name] = rule as MergeRule;
        else
          problem(
            ctx,
            child(at, name),
            `unknown same-field rule ${JSON.stringify(rule)}`,
            `use one of: ${MERGE_RULES.join(', ')}`,
          );
      }
  }
  return conflict ? { conflict, mergeRules, conflictDeclared: true } : fallback;
}

function stringOption(value: unknown, fallback: string, pointer: string, ctx: Context): string {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && value.length > 0) return value;
  problem(ctx, pointer, `expected a non-empty string, not ${JSON.stringify(value)}`, 'write a property or table name');
  return fallback;
}

function retryOption(value: unknown, pointer: string, ctx: Context): RetrySettings {
  if (value === undefined) return { ...DEFAULT_RETRY };
  if (!isObject(value)) {
    problem(ctx, pointer, 'retry must be an object', 'write `retry: { attempts: 3, backoff: exponential }`');
    return { ...DEFAULT_RETRY };
  }
  for (const key of Object.keys(value)) {
    if (!(RETRY_KEYS as readonly string[]).includes(key))
      problem(ctx, child(pointer, key), `unknown retry option "${key}"`, `use one of: ${RETRY_KEYS.join(', ')}`);
  }
  const retry = { ...DEFAULT_RETRY };
  if (value['attempts'] !== undefined) {
    const attempts = value['attempts'];
    if (typeof attempts === 'number' && Number.isInteger(attempts) && attempts >= 1 && attempts <= 100)
      retry.attempts = attempts;
    else
      problem(
        ctx,
        child(pointer, 'attempts'),
        `attempts must be a whole number from 1 to 100, not ${JSON.stringify(attempts)}`,
        'write `attempts: 3` (1 means no retry)',
      );
  }
  if (value['backoff'] !== undefined) {
    if ((BACKOFFS as unknown[]).includes(value['backoff']))
      retry.backoff = value['backoff'] as RetrySettings['backoff'];
    else
      problem(
        ctx,
        child(pointer, 'backoff'),
        `unknown backoff ${JSON.stringify(value['backoff'])}`,
        `use one of: ${BACKOFFS.join(', ')}`,
      );
  }
  if (value['delayMs'] !== undefined) {
    const delay = value['delayMs'];
    if (typeof delay === 'number' && delay >= 0 && delay <= 600_000) retry.delayMs = delay;
    else
      problem(
        ctx,
        child(pointer, 'delayMs'),
        `delayMs must be a number of milliseconds from 0 to 600000`,
        'write `delayMs: 500`',
      );
  }
  return retry;
}
