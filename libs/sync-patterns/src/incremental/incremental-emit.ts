import { createHash } from 'node:crypto';
import { apiNames, declareValidatorNames, validatorSeeds } from '../emit/core/api-names';
import { declareDiscriminators, declareNoDiscriminators } from '../json-schema/discriminator-tags';
import { emitModel, type EmitOptions } from '../emit/emit-api';
import { shapePolicy } from '../emit/core/shape-policy-view';
import { CORE_FAKES, CORE_TYPES, CORE_VALIDATORS, schemaEntriesRegion, validatorEntry } from '../emit/core/emit-core';
import { restyleTypes } from '../emit/core/types-style';
import { inThreadPrinter, type EntryPrinter } from '../emit/entry-printer';
import { fakeDefinitionOf } from '../json-schema/fake-schema';
import { RECURSIVE_ALIAS_PREFIX, refsOutsideObjects } from '../json-schema/recursive-types';
import type { GeneratedFile } from '../emit/file-set';
import { sortFiles } from '../emit/file-set';
import { objectEntry, propertyKey, safeJson } from '../typescript/ts-syntax';
import { formatted } from '../typescript/output-style';
import { zodFor } from '../json-schema/zod-schema';
import type { JsonSchema, SyncApi, SyncModel } from '../model/ir';
import { componentPointer, isObject } from '../model/schema-utils';
import { resolvePointer } from '../openapi/json-pointer';
import { declareLooseMaps, localLooseMaps } from '../json-schema/inhabitable-maps';
import { ReadRecorder } from '../openapi/read-tracking';
import { hashContent, type Manifest } from '../write/manifest';
import { changedEntries, type DocumentUnits } from './document-units';
import type { LoadedState, StoredModel } from './incremental-state';

export interface IncrementalInput {
  /** The new document's IR (binding always runs whole: it is cheap, and it reads everything). */
  api: SyncApi;
  units: DocumentUnits;
  previous: LoadedState;
  /** Options and generator of this run (input-fingerprint.ts). */
  options: string;
  /** Reads the output folder. */
  read: (path: string) => string | undefined;
  manifest: Manifest;
  emit: EmitOptions;
  /** Prints schema entries' types; default: in this thread. */
  printer?: EntryPrinter;
  /** sha256 of an output file's content (a long-running process remembers them); default: hashed here. */
  hashOf?: (path: string, content: string) => string;
  /** Size and modification time of an output file, undefined when it is missing. */
  stat: (path: string) => [number, number] | undefined;
}

export type IncrementalResult =
  | { files: GeneratedFile[]; changed: string[]; emitted: string[]; models: StoredModel[]; core: string[] }
  | { fallback: string };

/**
 * The files a full run would make from the new document, made from the previous run's files and
 * state where only schema entries changed that nothing else reads: each changed entry's lines are
 * replaced in the core library's types, validators and fake definitions — after checking that its
 * old lines, made the same way from its old text, are there exactly once — and only the model
 * libraries that reach a changed entry, or whose IR changed, are emitted again. Anything else (the
 * rest of the document changed, an entry composes others, a file was edited) answers `fallback`
 * with the reason, and the caller runs in full. incremental-emit.spec.ts holds it to a full run's
 * output, byte for byte, over random edits of real documents.
 */
export async function emitIncrementally(input: IncrementalInput): Promise<IncrementalResult> {
  const { api, units, read, manifest } = input;
  const { state, schemaText } = input.previous;
  const fallback = (reason: string): IncrementalResult => ({ fallback: reason });
  if (state.options !== input.options) return fallback('options or generator changed');
  if (state.restHash !== units.restHash) return fallback('the document changed outside components.schemas');
  const entries = changedEntries(state.schemas, units.schemas);
  if ('mismatch' in entries) return fallback(entries.mismatch);
  const marked = new Set([...state.rest.marks, ...state.schemas.flatMap((s) => s.marks)]);
  const changed: { name: string; before: JsonSchema; after: JsonSchema }[] = [];
  const schemas = (api.document['components'] as { schemas: Record<string, JsonSchema> }).schemas;
  for (const i of entries.changed) {
    const before = state.schemas[i];
    const after = units.schemas[i];
    const name = after.name;
    if (!before.inert || !after.inert)
      return fallback(`${name} composes or discriminates (allOf, discriminator, a $ref into a schema)`);
    if (marked.has(name))
      return fallback(`other schemas read ${name} (an allOf part, discriminator branch or $ref target inside it)`);
    if (before.refs.join('\0') !== after.refs.join('\0'))
      return fallback(`${name} refers to other schemas than before`);
    if (before.flags !== after.flags) return fallback(`${name}'s readOnly/writeOnly changed`);
    let previous: JsonSchema;
    try {
      previous = JSON.parse(schemaText(before)) as JsonSchema;
    } catch {
      return fallback('the record of the previous run is damaged');
    }
    changed.push({ name, before: previous, after: schemas[name] });
  }
  // the validators' names follow from where their walk starts and the $refs it follows, which the edits above keep
  if (validatorSeeds(api) !== state.names.seeds) return fallback('the validators the models need changed');
  declareValidatorNames(api, state.names.validators);
  if (apiSummary(api) !== state.summary)
    return fallback('models were added, removed or renamed, their modes changed, or what an operation became');
  if (!state.rest.discriminated && !units.schemas.some((s) => s.discriminated)) declareNoDiscriminators(api.document);
  else if (state.discriminators) declareDiscriminators(api.document, state.discriminators);

  // an output file is taken as it is only when it is still what the manifest says was written
  const reuse = (path: string): string | undefined => {
    const content = read(path);
    return content !== undefined && manifest.files[path] === (input.hashOf?.(path, content) ?? hashContent(content))
      ? content
      : undefined;
  };
  // …which, for a file whose size and modification time are as the last run left them, is taken as
  // read (as git does for its index): a thousand files are not read and hashed again
  const unchangedOnDisk = (path: string): GeneratedFile | undefined => {
    const recorded = state.stats?.[path];
    const hash = manifest.files[path];
    if (!recorded || hash === undefined) return undefined;
    const now = input.stat(path);
    if (!now || now[0] !== recorded[0] || now[1] !== recorded[1]) return undefined;
    return lazyFile(path, hash, read);
  };
  const files: GeneratedFile[] = [];
  const coreFiles = state.core;
  const openapi = api.document['openapi'];
  const printed = await (input.printer ?? inThreadPrinter).print(
    changed.flatMap((c) => [
      { openapi, name: c.name, schema: c.before },
      { openapi, name: c.name, schema: c.after },
    ]),
  );
  const types = new Map(changed.map((c, i) => [c.name, { before: printed[2 * i], after: printed[2 * i + 1] }]));
  const selfReferent = selfReferentEntry(changed, types, units, (path) =>
    path === CORE_TYPES ? reuse(path) : undefined,
  );
  if (selfReferent) return fallback(selfReferent);
  for (const path of coreFiles) {
    let content = reuse(path);
    if (content === undefined) return fallback(`${path} was edited or removed`);
    for (const change of changed) {
      const next = spliceCore(api, path, content, change, types.get(change.name)!);
      if (next === undefined) return fallback(`${change.name}'s lines in ${path} are not where they were made`);
      content = next;
    }
    files.push({ path, content });
  }

  if (state.looseMaps) declareLooseMaps(api.document, looseMapsAfter(api, state.looseMaps, changed));
  const changedNames = new Set(changed.map((c) => c.name));
  const models: StoredModel[] = [];
  const emitted: string[] = [];
  for (let i = 0; i < api.models.length; i++) {
    const model = api.models[i];
    const stored = state.models[i];
    if (modelHash(model) !== stored.hash || stored.reads.some((name) => changedNames.has(name))) {
      const { result: made, reads } = ReadRecorder.of(api.document).recording(() => emitModel(api, model, input.emit));
      files.push(...made);
      models.push(storedModel(model, made, reads));
      emitted.push(model.schemaName);
      continue;
    }
    for (const path of stored.files) {
      const appendOnly = stored.appendOnly.includes(path) ? { appendOnly: true } : {};
      const kept = unchangedOnDisk(path);
      if (kept) {
        files.push(Object.assign(kept, appendOnly));
        continue;
      }
      const content = reuse(path);
      if (content === undefined) return fallback(`${path} was edited or removed`);
      files.push({ path, content, hash: manifest.files[path], onDisk: true, ...appendOnly });
    }
    models.push(stored);
  }
  return { files: sortFiles(files), changed: changed.map((c) => c.name), emitted, models, core: coreFiles };
}

/** A file known to be on disk as the manifest says: its content is read only if someone asks. */
function lazyFile(path: string, hash: string, read: (path: string) => string | undefined): GeneratedFile {
  let content: string | undefined;
  return {
    path,
    hash,
    onDisk: true,
    get content() {
      return (content ??= read(path) ?? '');
    },
  };
}

/** The previous run's maps beside properties, found again in the new document: those of changed schemas as they are now. */
function looseMapsAfter(
  api: SyncApi,
  pointers: string[],
  changed: { name: string; after: JsonSchema }[],
): Map<Record<string, unknown>, string> {
  const found = new Map<Record<string, unknown>, string>();
  const prefixes = changed.map((c) => componentPointer(c.name));
  for (const pointer of pointers) {
    if (prefixes.some((prefix) => pointer === prefix || pointer.startsWith(`${prefix}/`))) continue;
    const node = resolvePointer(api.document, pointer);
    if (isObject(node)) found.set(node, pointer);
  }
  for (const c of changed) localLooseMaps(c.after, componentPointer(c.name), found);
  return found;
}

/** One changed schema's lines replaced in one core file; undefined when its old lines are not there exactly once. */
function spliceCore(
  api: SyncApi,
  path: string,
  content: string,
  change: { name: string; before: JsonSchema; after: JsonSchema },
  types: { before?: string; after?: string },
): string | undefined {
  if (path === CORE_TYPES) {
    // the entries as printed, restyled as the file was (emit/core/types-style.ts)
    const region = schemaEntriesRegion(content, true);
    return (
      region &&
      replaceOnce(content, types.before && restyleTypes(types.before), types.after && restyleTypes(types.after), region)
    );
  }
  if (path === CORE_VALIDATORS) {
    const constName = apiNames(api).validators.get(change.name);
    if (constName === undefined) return content;
    const entry = (schema: JsonSchema) =>
      validatorEntry(change.name, constName, zodFor(schema, validatorContext(api, change.name, schema)));
    return replaceOnce(content, entry(change.before), entry(change.after));
  }
  if (path === CORE_FAKES) {
    const pointer = componentPointer(change.name);
    const key = `${formatted ? propertyKey(pointer) : JSON.stringify(pointer)}: `;
    // not a definition (no model's row reaches it): nothing to replace — unless it is, in a layout not looked for here
    if (!content.includes(key)) return content;
    // the entry as the fakes' laid-out object prints it (ts-syntax.ts: literalBlock)
    const entry = (schema: JsonSchema) =>
      formatted
        ? objectEntry(pointer, fakeDefinitionOf(api, pointer, schema), '  ')
        : safeJson(JSON.stringify({ [pointer]: fakeDefinitionOf(api, pointer, schema) }, null, 2)).slice(2, -2);
    const before = entry(change.before);
    for (const end of [',\n', '\n}']) {
      const found = replaceOnce(content, `\n${before}${end}`, `\n${entry(change.after)}${end}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return content;
}

/**
 * What zodFor reads of the document for a schema that refers to whole components only: which names
 * exist (refs to unknown names are `z.unknown()`) and the schema's own maps (inhabitable-maps.ts).
 */
function validatorContext(api: SyncApi, name: string, schema: JsonSchema) {
  const names = apiNames(api).validators;
  const all = (api.document['components'] as { schemas: Record<string, unknown> }).schemas;
  const document = {
    components: { schemas: Object.fromEntries(Object.keys(all).map((n) => [n, n === name ? schema : {}])) },
  };
  return {
    document,
    refName: (c: string) => names.get(c) ?? 'z.unknown()',
    deepRefName: (): string => {
      throw new Error('an inert schema has no deep $ref');
    },
  };
}

/**
 * Why a change may alter which entries are type aliases (json-schema/recursive-types.ts), or undefined when
 * it cannot: the types hold no alias, and no changed entry names, outside objects, a schema that
 * leads back to it. Such an entry would print differently in the whole document than on its own.
 */
function selfReferentEntry(
  changed: { name: string }[],
  printed: Map<string, { before?: string; after?: string }>,
  units: DocumentUnits,
  read: (path: string) => string | undefined,
): string | undefined {
  const types = read(CORE_TYPES);
  if (types?.includes(RECURSIVE_ALIAS_PREFIX)) return 'the types hold schemas that refer to themselves outside objects';
  const refs = new Map(units.schemas.map((s) => [s.name, s.refs]));
  const leadsBack = (from: string, to: string) => {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length) {
      const name = queue.pop()!;
      if (name === to) return true;
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(...(refs.get(name) ?? []));
    }
    return false;
  };
  for (const { name } of changed) {
    const lines = printed.get(name);
    const outside = [lines?.before, lines?.after].flatMap((text) => (text ? refsOutsideObjects(text) : []));
    if (outside.some((target) => leadsBack(target, name)))
      return `${name} refers to itself outside an object (through ${[...new Set(outside)].join(', ')})`;
  }
  return undefined;
}

function replaceOnce(
  text: string,
  from: string | undefined,
  to: string | undefined,
  region: [number, number] = [0, text.length],
): string | undefined {
  if (from === undefined || to === undefined) return undefined;
  const at = text.indexOf(from, region[0]);
  if (at < 0 || at + from.length > region[1] || text.indexOf(from, at + 1) >= 0) return undefined;
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const hash = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('base64');

function modelHash(model: SyncModel): string {
  return hash(model);
}

/** What the next run needs to know of a model's library. */
export function storedModel(model: SyncModel, files: GeneratedFile[], reads: Set<string>): StoredModel {
  return {
    schemaName: model.schemaName,
    hash: modelHash(model),
    files: files.map((f) => f.path),
    appendOnly: files.filter((f) => f.appendOnly).map((f) => f.path),
    reads: [...reads].sort(),
  };
}

/** What every model's files read of the api beyond their own model: names, modes, cache invalidation, operations. */
export function apiSummary(api: SyncApi): string {
  return hash({
    id: api.id,
    title: api.title,
    version: api.version,
    serverUrl: api.serverUrl,
    models: api.models.map((m) => ({ schemaName: m.schemaName, names: m.names, sync: m.sync })),
    // the shape policy is one core file over every live model's columns: a change of them is a full run
    shapePolicy: shapePolicy(api),
    // the operation files (core and models') follow from what each operation became: what it
    // touches and how it pages read component schemas, so an edit there can change them
    operations: api.operations,
  });
}
