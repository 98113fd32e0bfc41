import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { ConflictPolicy, RetrySettings, SyncMode, SyncOptions } from './ir';
import { pluralize, snakeCase } from './naming';
import { isObject } from './schema-utils';

const MODES: SyncMode[] = ['push', 'live', 'cache'];
const CONFLICTS: ConflictPolicy[] = ['backend-wins', 'client-wins', 'field-merge', 'custom'];
const BACKOFFS: RetrySettings['backoff'][] = ['exponential', 'linear', 'fixed'];
const KEYS = ['mode', 'key', 'table', 'exclude', 'conflict', 'where', 'ttl', 'invalidatedBy', 'retry'] as const;
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

  let conflict: ConflictPolicy = 'backend-wins';
  const rawConflict = pick('conflict');
  if (rawConflict !== undefined) {
    if ((CONFLICTS as unknown[]).includes(rawConflict)) conflict = rawConflict as ConflictPolicy;
    else
      problem(
        ctx,
        at('conflict'),
        `unknown conflict policy ${JSON.stringify(rawConflict)}`,
        `use one of: ${CONFLICTS.join(', ')}`,
      );
  }

  const where = pick('where');
  if (where !== undefined && typeof where !== 'string')
    problem(ctx, at('where'), 'where must be a SQL condition string', 'write `where: "archived = false"`');

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
    ...(typeof where === 'string' ? { where } : {}),
    ...(mode === 'cache'
      ? { ttl: typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_TTL, invalidatedBy }
      : {}),
    retry: retryOption(pick('retry'), at('retry'), ctx),
  };
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
