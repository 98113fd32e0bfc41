import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DiscriminatorRecord } from '../json-schema/discriminator-tags';
import type { BindingRecord, CandidateRecord } from './binding-record';
import type { SchemaFacts } from './document-units';
import type { Span } from './schema-spans';

/**
 * What a generation leaves behind for the next one to start from: the units of the document it read
 * (hashes, facts, and each schema entry's text, to print the old entry again and find it in the old
 * files) and what each model library was made from. Keyed by the fingerprint the manifest records
 * for that output, so it is found for exactly that output — a copy of it, or the same folder after
 * any number of runs — and never for another. A cache, never the truth: when it is missing, stale or
 * unreadable, the run is a full one.
 */
export interface IncrementalState {
  version: typeof STATE_VERSION;
  /** Written at the head of the text file too: the two files are one state only when they match. */
  pair: string;
  /** The manifest fingerprint of the output this state describes. */
  fingerprint: string;
  /** Generator and options, without the spec. */
  options: string;
  restHash: string;
  rest: Pick<SchemaFacts, 'refs' | 'marks' | 'discriminated'>;
  schemas: StoredSchema[];
  /** The validators' names and where their walk started (api-names.ts). */
  names: { seeds: string; validators: [string, string][] };
  /** Hash of what every model's files read of the other models. */
  summary: string;
  models: StoredModel[];
  /** The core library's files. */
  core: string[];
  /** Pointers of the maps beside properties (inhabitable-maps.ts), when the run worked them out. */
  looseMaps?: string[];
  /** The discriminator scans' results (discriminator-tags.ts), when the run worked them out. */
  discriminators?: DiscriminatorRecord;
  /** Size and modification time of each output file as the run left it (see incremental-emit.ts). */
  stats?: Record<string, [number, number]>;
  /** The spec's text (offset and length in the text file) and each schema entry's span in it, for a JSON spec (reused-units.ts). */
  spec?: { at: [number, number]; spans: Span[] };
  /** What binding found, per schema (model/build-model.ts). */
  binding?: BindingRecord;
}

export interface StoredSchema extends SchemaFacts {
  name: string;
  hash: string;
  /** Offset and length of its text in the state's text file. */
  at: [number, number];
}

export interface StoredModel {
  schemaName: string;
  /** Hash of the model's IR. */
  hash: string;
  files: string[];
  /** Those of its files that are history (migrations), written once. */
  appendOnly: string[];
  /** The component schemas its files were made from (openapi/read-tracking.ts). */
  reads: string[];
}

const STATE_VERSION = 4;
/** States kept per cache folder: one per output a machine generates, and some history. */
const KEEP = 16;

/** `node_modules/.cache/sync-patterns` nearest the output folder (where build tools keep caches), else the OS temp folder. */
export function cacheFolder(outDir: string): string {
  const override = process.env['SYNC_PATTERNS_CACHE_DIR'];
  if (override) return path.resolve(override);
  for (let dir = path.resolve(outDir); ; ) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'sync-patterns');
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(tmpdir(), 'sync-patterns-cache');
    dir = parent;
  }
}

export function cacheDisabled(): boolean {
  return process.env['SYNC_PATTERNS_NO_CACHE'] === '1';
}

const fileStem = (fingerprint: string) => createHash('sha256').update(fingerprint).digest('hex').slice(0, 32);

export interface LoadedState {
  state: IncrementalState;
  /** The JSON text a schema entry had. */
  schemaText(schema: StoredSchema): string;
  /** The spec's text, when it was recorded. */
  specText(): string | undefined;
}

/** The state as its file holds it: the models binding found are in the text file, unescaped. */
type StoredState = Omit<IncrementalState, 'binding'> & { binding?: StoredBinding };
type StoredBinding = Omit<BindingRecord, 'candidates'> & {
  candidates: (Omit<CandidateRecord, 'model'> & { model?: [number, number] })[];
};

export function readState(folder: string, fingerprint: string): LoadedState | undefined {
  const stem = path.join(folder, fileStem(fingerprint));
  try {
    const { binding, ...stored } = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as StoredState;
    if (stored.version !== STATE_VERSION || stored.fingerprint !== fingerprint) return undefined;
    const texts = readFileSync(`${stem}.schemas.txt`, 'utf8');
    // two runs writing the same state at once may leave one's JSON beside the other's texts
    if (!texts.startsWith(stored.pair)) return undefined;
    const base = stored.pair.length;
    const slice = ([offset, length]: [number, number]) => texts.slice(base + offset, base + offset + length);
    const state: IncrementalState = {
      ...stored,
      ...(binding
        ? {
            binding: {
              ...binding,
              candidates: binding.candidates.map(({ model, ...c }) => (model ? { ...c, model: slice(model) } : c)),
            },
          }
        : {}),
    };
    return { state, schemaText: (schema) => slice(schema.at), specText: () => state.spec && slice(state.spec.at) };
  } catch {
    return undefined;
  }
}

/** A run's state as it hands it over: the texts beside the facts. */
export type StateInput = Omit<IncrementalState, 'version' | 'schemas' | 'pair' | 'spec'> & {
  schemas: (Omit<StoredSchema, 'at'> & { text: string })[];
  spec?: { text: string; spans: Span[] };
};

/** The state as a next run in the same process reads it (`--watch`), without the disk. */
export function inMemoryState(input: StateInput): LoadedState {
  const texts = new Map<StoredSchema, string>();
  const schemas = input.schemas.map(({ text, ...schema }) => {
    const stored: StoredSchema = { ...schema, at: [0, text.length] };
    texts.set(stored, text);
    return stored;
  });
  const spec = input.spec && { at: [0, input.spec.text.length] as [number, number], spans: input.spec.spans };
  const state: IncrementalState = { ...input, version: STATE_VERSION, pair: '', schemas, spec };
  return { state, schemaText: (schema) => texts.get(schema)!, specText: () => input.spec?.text };
}

/** Writes a state (each file whole: beside its place, then renamed) and drops the oldest beyond KEEP. Never throws: it is a cache. */
export function writeState(folder: string, state: StateInput): void {
  try {
    mkdirSync(folder, { recursive: true });
    let offset = 0;
    const schemas: StoredSchema[] = state.schemas.map(({ text, ...schema }) => {
      const at: [number, number] = [offset, text.length];
      offset += text.length;
      return { ...schema, at };
    });
    const spec = state.spec && { at: [offset, state.spec.text.length] as [number, number], spans: state.spec.spans };
    offset += state.spec?.text.length ?? 0;
    const models: string[] = [];
    const binding: StoredBinding | undefined = state.binding && {
      ...state.binding,
      candidates: state.binding.candidates.map(({ model, ...c }) => {
        if (model === undefined) return c;
        models.push(model);
        const at: [number, number] = [offset, model.length];
        offset += model.length;
        return { ...c, model: at };
      }),
    };
    const stem = path.join(folder, fileStem(state.fingerprint));
    const pair = `${randomUUID()}\n`;
    const texts = pair + state.schemas.map((s) => s.text).join('') + (state.spec?.text ?? '') + models.join('');
    const stored: StoredState = { ...state, version: STATE_VERSION, pair, schemas, spec, binding };
    // each process its own temporary files; the last rename wins, whole
    const tmp = `.${process.pid}-${pair.slice(0, 8)}.tmp`;
    writeFileSync(`${stem}.schemas.txt${tmp}`, texts);
    renameSync(`${stem}.schemas.txt${tmp}`, `${stem}.schemas.txt`);
    writeFileSync(`${stem}.json${tmp}`, JSON.stringify(stored));
    renameSync(`${stem}.json${tmp}`, `${stem}.json`);
    prune(folder);
  } catch {
    // a cache that cannot be written only makes the next run a full one
  }
}

/**
 * Which inputs an output was made from, for an output whose manifest does not say (the Nx
 * libraries': their committed manifest names no generator build), by the manifest's hash.
 */
export function recordedInputs(folder: string, manifestHash: string): string | undefined {
  try {
    return readFileSync(path.join(folder, `${manifestHash.slice(0, 32)}.inputs`), 'utf8') || undefined;
  } catch {
    return undefined;
  }
}

/** Records that the output whose manifest hashes to `manifestHash` was made from `fingerprint` (a cache: failures are ignored). */
export function recordInputs(folder: string, manifestHash: string, fingerprint: string): void {
  try {
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${manifestHash.slice(0, 32)}.inputs`);
    writeFileSync(`${file}.${process.pid}.tmp`, fingerprint);
    renameSync(`${file}.${process.pid}.tmp`, file);
    prune(folder);
  } catch {
    // the next run is a full one
  }
}

function prune(folder: string): void {
  const newestFirst = (suffix: string) =>
    readdirSync(folder)
      .filter((name) => name.endsWith(suffix))
      .map((name) => ({ name, at: statSync(path.join(folder, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
  for (const { name } of newestFirst('.json').slice(KEEP)) {
    rmSync(path.join(folder, name), { force: true });
    rmSync(path.join(folder, name.replace(/\.json$/, '.schemas.txt')), { force: true });
  }
  for (const { name } of newestFirst('.inputs').slice(KEEP)) rmSync(path.join(folder, name), { force: true });
}
