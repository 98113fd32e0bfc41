import { createHash } from 'node:crypto';
import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { LoadedSpec, OpenApiDocument } from '../openapi/load-spec';
import { recordingReads } from '../openapi/read-tracking';
import { checkOperationIds } from '../openapi/unique-operation-ids';
import { schemaKeywordWarnings } from '../openapi/version-keywords';
import { bindOperations, carryIndex, explicitBindings, isObjectSchema, mayBeRead, operationListings, type ExplicitBinding } from './bind-operations';
import { listingChanges, readsAny, sameOutsideSchemas, type BindingRecord, type CandidateRecord, type PreviousBinding } from './binding-record';
import type { KeyKind, SyncApi, SyncField, SyncModel } from './ir';
import { camelCase, fileName, kebabCase, pascalCase, pluralize, typeName, uniqueNames } from './naming';
import { applyFilters, type ModelFilters } from './model-filters';
import { listOperations, type SpecOperation } from './operations';
import { componentPointer, deref, directRefs, isNullable, isObject, objectShape, propertyFlag } from './schema-utils';
import { SUPPORTED_MODES, readRawOptions, resolveOptions, type RawSyncOptions } from './x-sync-options';

export interface BuildOptions {
  /** Name of the api (folder and key root); default: the spec's title, else its file name. */
  apiName?: string;
  /** Only these models (schema names). */
  models?: string[];
  /** Also every resource-like schema without `x-sync`, in the default mode. */
  allModels?: boolean;
  /** Include/exclude by model, tag and path (after binding). */
  filters?: ModelFilters;
}

/** Interprets a loaded spec: the one place that reads OpenAPI and `x-sync`. Never throws on bad input: it reports. */
export function buildModel(spec: LoadedSpec, options: BuildOptions = {}): SyncApi {
  return bindSpec(spec, options).api;
}

/** The operations and what else every model's binding starts from. */
interface SpecWide {
  defaults: RawSyncOptions;
  operations: SpecOperation[];
  explicit: ExplicitBinding[];
}

/** The spec-wide part as worked out for a document this process holds (binding-record.ts: sameOutsideSchemas). */
const specWideOf = new WeakMap<OpenApiDocument, SpecWide>();

/**
 * buildModel, and the record of it; a schema whose binding read nothing that changed since
 * `previous` takes its outcome from there (a one-schema edit binds that schema again, and those
 * that read it or that a GET now lists differently, not all of them). The rest — filters, names,
 * embeddings, cache checks — runs in full: it is cheap.
 */
export function bindSpec(spec: LoadedSpec, options: BuildOptions = {}, previous?: PreviousBinding): { api: SyncApi; record: BindingRecord } {
  const { document, file } = spec;
  // constructs of the other OpenAPI version, and patterns the generator cannot run: warnings, from one walk of the document's schemas on every run
  const diagnostics: Diagnostic[] = schemaKeywordWarnings(document, spec.version, file);
  const ctx = { file, diagnostics };
  const schemasNode = isObject(document['components']) ? (document['components'] as Record<string, unknown>)['schemas'] : undefined;
  const schemas = isObject(schemasNode) ? schemasNode : {};
  const schemaNames = new Set(Object.keys(schemas));
  const scope = JSON.stringify([file, options.allModels === true, options.models ?? []]);
  const last = previous && previous.record.scope === scope && !readsAny(previous.record.specWideReads, previous.changed) ? previous : undefined;
  const changed = last?.changed ?? new Set<string>();

  // x-sync-defaults, the operations and their explicit bindings: read now, or (when the last run's
  // still hold) only once some schema is bound again — their diagnostics are the last run's then
  let specWideReads = last?.record.specWideReads ?? [];
  const specWideDiagnostics: Diagnostic[] = last?.record.specWideDiagnostics ?? [];
  let listingReads = last?.record.listingReads ?? [];
  let listings = last?.record.listings ?? [];
  const readSpecWide = (into: Diagnostic[]): SpecWide => {
    // a document held from the last run shares its operations (and so read the same schemas)
    const held = last?.document && sameOutsideSchemas(last.document, document) ? specWideOf.get(last.document) : undefined;
    const readAgain = (): SpecWide => {
      const { result, reads } = recordingReads(() => {
        into.push(...checkOperationIds(document, file));
        const defaults = readRawOptions(document['x-sync-defaults'], '#/x-sync-defaults', { file, diagnostics: into });
        const operations = listOperations(document, file, into);
        return { defaults, operations, explicit: explicitBindings(operations, schemaNames, file, into) };
      });
      specWideReads = [...reads].sort();
      return result;
    };
    const result = held ?? readAgain();
    specWideOf.set(document, result);
    // the same operations, and nothing their listings read changed: the same index
    if (held && !readsAny(listingReads, changed)) carryIndex(held.operations, last!.document!, document);
    const found = recordingReads(() => operationListings(result.operations, result.explicit, document));
    listingReads = [...found.reads].sort();
    listings = [...found.result];
    return result;
  };
  let specWide = last ? undefined : readSpecWide(specWideDiagnostics);
  diagnostics.push(...specWideDiagnostics);

  const annotated = [...schemaNames].filter(
    (name) => isObject(schemas[name]) && (schemas[name] as Record<string, unknown>)['x-sync'] !== undefined && (schemas[name] as Record<string, unknown>)['x-sync'] !== false,
  );
  let candidates = options.allModels ? [...schemaNames] : annotated;
  if (options.models?.length) {
    for (const wanted of options.models) {
      if (!schemaNames.has(wanted)) {
        diagnostics.push({
          severity: 'error',
          file,
          pointer: '#/components/schemas',
          message: `--models names ${JSON.stringify(wanted)}, which is not a schema of this spec`,
          hint: 'run `sync-patterns validate` to list the models',
        });
      } else if (!options.allModels && !annotated.includes(wanted)) {
        diagnostics.push({ severity: 'error', file, pointer: componentPointer(wanted), message: `${wanted} has no x-sync annotation`, hint: 'add `x-sync: push` to the schema, or pass --all-models' });
      }
    }
    candidates = candidates.filter((name) => options.models!.includes(name));
  }

  const isAnnotated = new Set(annotated);
  const lastOutcomes = new Map(last?.record.candidates.map((c) => [c.name, c]));
  const rebind = (name: string) => !lastOutcomes.has(name) || readsAny(lastOutcomes.get(name)!.reads, changed);
  // a GET may list other models now (a response's wrapper changed): those are bound again too
  let relisted = new Set<string>();
  if (last && (readsAny(listingReads, changed) || candidates.some(rebind))) {
    const before = listings;
    specWide = readSpecWide([]);
    relisted = listingChanges(before, new Map(listings));
  }
  const bound: SyncModel[] = [];
  const outcomes: CandidateRecord[] = [];
  for (const name of candidates.sort()) {
    const kept = lastOutcomes.get(name);
    if (kept && !rebind(name) && !relisted.has(name)) {
      diagnostics.push(...kept.diagnostics);
      if (kept.model !== undefined) bound.push(JSON.parse(kept.model) as SyncModel);
      outcomes.push(kept);
      continue;
    }
    specWide ??= readSpecWide([]);
    const from = diagnostics.length;
    const { result: model, reads } = recordingReads(() => buildOne(name, isAnnotated.has(name), specWide!));
    reads.add(name);
    // kept before names and embeddings are given: those are worked out again over all models
    outcomes.push({ name, reads: [...reads].sort(), ...(model ? { model: JSON.stringify(model) } : {}), diagnostics: diagnostics.slice(from) });
    if (model) bound.push(model);
  }
  const models = applyFilters(bound, options.filters, file, diagnostics);

  function buildOne(name: string, isAnnotated: boolean, { defaults, operations, explicit }: SpecWide): SyncModel | undefined {
    // a schema no operation reads is no model; only an annotated one is told why, below
    if (!isAnnotated && !mayBeRead(name, operations, explicit, document)) return undefined;
    const pointer = componentPointer(name);
    const located = deref(document, schemas[name], pointer);
    // every problem of the model is reported, not the first: a bad key does not hide a bad exclude
    // (each check below stands on its own); the model is left out if any was found
    let failed = false;
    const fail = (at: string, message: string, hint: string) => {
      failed = true;
      if (isAnnotated) diagnostics.push({ severity: 'error', file, pointer: at, message, hint });
    };
    const syncPointer = child(pointer, 'x-sync');
    const rawSync = isObject(schemas[name]) ? (schemas[name] as Record<string, unknown>)['x-sync'] : undefined;
    const optionErrors = diagnostics.length;
    const own = isAnnotated ? readRawOptions(located ? located.schema['x-sync'] : rawSync, syncPointer, ctx) : {};
    const modePointer = typeof (located ? located.schema['x-sync'] : rawSync) === 'string' ? syncPointer : child(syncPointer, 'mode');
    const sync = resolveOptions(name, own, defaults, syncPointer, isAnnotated ? ctx : { file, diagnostics: [] }, modePointer);
    // options in error stand in with their defaults for the checks below; the model is not made of them
    if (diagnostics.length > optionErrors) failed = true;
    if (!located || !isObjectSchema(located.schema)) {
      // its options were checked above: what they say about properties and operations cannot be
      fail(pointer, `${name} is not an object schema, so it cannot be synced`, 'put x-sync on the object schema that describes one row');
      return undefined;
    }
    if (!SUPPORTED_MODES.includes(sync.mode)) {
      fail(own.mode !== undefined ? modePointer : syncPointer, `mode "${sync.mode}" is not supported by this version of sync-patterns yet`, `use one of: ${SUPPORTED_MODES.join(', ')}`);
    }

    const shape = objectShape(document, located.schema, located.pointer);
    let operationsBound = bindOperations(name, sync.key, operations, explicit, document, file, diagnostics, isAnnotated);
    if (!shape.properties.has(sync.key)) {
      const fromPath = operationsBound.get?.idParam;
      if (!isAnnotated && fromPath && shape.properties.has(fromPath)) {
        sync.key = fromPath;
        operationsBound = bindOperations(name, sync.key, operations, explicit, document, file, [], isAnnotated);
      } else {
        fail(
          own.key !== undefined ? child(syncPointer, 'key') : syncPointer,
          `key "${sync.key}" is not a property of ${name}`,
          `set \`key:\` to the property holding the primary key (properties: ${[...shape.properties.keys()].slice(0, 8).join(', ') || 'none'})`,
        );
      }
    }
    sync.exclude.forEach((field, i) => {
      if (!shape.properties.has(field)) fail(child(syncPointer, 'exclude', i), `exclude names "${field}", which is not a property of ${name}`, 'remove it or fix the spelling');
      if (field === sync.key) fail(child(syncPointer, 'exclude', i), `the key "${field}" cannot be excluded`, 'remove it from exclude');
    });
    if (sync.mode === 'cache') {
      const writes = (['create', 'update', 'delete'] as const)
        .filter((kind) => operationsBound[kind])
        .map((kind) => `${operationsBound[kind]!.method.toUpperCase()} ${operationsBound[kind]!.path} (${kind})`);
      if (writes.length) {
        fail(
          modePointer,
          `cache mode is for read-only results, but ${name} has write operations: ${writes.join(', ')}`,
          'use push or live for a model that is written, or keep cache mode on the schema of the read-only endpoint',
        );
      }
    }
    if (!operationsBound.list && !operationsBound.get) {
      fail(syncPointer, `no operation of the spec reads ${name}: no GET returning it or a list of it`, `add x-sync-model: ${name} and x-sync-op: list|get to its operations`);
    }
    if (failed) return undefined;

    const fields: SyncField[] = [...shape.properties.entries()].map(([field, loc]) => {
      const target = deref(document, loc.schema, loc.pointer);
      const description = typeof loc.schema['description'] === 'string' ? loc.schema['description'] : undefined;
      return {
        name: field,
        schemaPointer: loc.pointer,
        required: shape.required.has(field),
        nullable: isNullable(loc.schema) || (target ? isNullable(target.schema) : false),
        readOnly: propertyFlag(document, loc, 'readOnly'),
        writeOnly: propertyFlag(document, loc, 'writeOnly'),
        excluded: sync.exclude.includes(field) || loc.schema['x-sync-exclude'] === true,
        ...(description ? { description } : {}),
      };
    });
    const keyField = shape.properties.get(sync.key);
    const keySchema = keyField ? deref(document, keyField.schema, keyField.pointer)?.schema : undefined;
    const createBody = operationsBound.create?.body;
    const bodyShape = createBody ? objectShape(document, { $ref: createBody.schemaPointer }, createBody.schemaPointer) : undefined;
    const keyInCreateInput = bodyShape !== undefined && bodyShape.properties.has(sync.key) && !createBody!.readOnlyFields.includes(sync.key);
    const keyKind = keyKindOf(keySchema);
    const clientGeneratedKey = keyKind === 'uuid' && keyInCreateInput;

    return {
      schemaName: name,
      schemaPointer: pointer,
      names: { type: '', camel: '', plural: '', file: '' },
      ...(typeof located.schema['description'] === 'string' ? { description: located.schema['description'] } : {}),
      sync,
      implicit: !isAnnotated,
      fields,
      operations: operationsBound,
      clientGeneratedKey,
      keyInCreateInput,
      keyKind,
      embeddedIn: [],
    };
  }

  // cache mode: what invalidates a result must be a model this run knows (an annotated model that
  // failed has its own errors: naming it is not one more)
  const failedModels = new Set(outcomes.filter((o) => o.model === undefined && isAnnotated.has(o.name)).map((o) => o.name));
  for (const model of models) {
    model.sync.invalidatedBy?.forEach((name, i) => {
      if (!bound.some((m) => m.schemaName === name) && !failedModels.has(name)) {
        diagnostics.push({
          severity: 'error',
          file,
          pointer: child(componentPointer(model.schemaName), 'x-sync', 'invalidatedBy', i),
          message: `invalidatedBy names "${name}", which is not an x-sync model of this spec`,
          hint: `use one of: ${
            models
              .filter((m) => m.sync.mode !== 'cache')
              .map((m) => m.schemaName)
              .join(', ') || '(no models)'
          }`,
        });
      }
    });
  }
  assignNames(models);
  // each model's refs once: asked of every pair, they were most of the binding time (Stripe: 92² walks)
  const refsOf = new Map(models.map((m) => [m, directRefs(schemas[m.schemaName])]));
  for (const model of models) {
    model.embeddedIn = models.filter((other) => other !== model && refsOf.get(other)!.has(model.schemaName)).map((other) => other.schemaName);
  }

  const info = isObject(document['info']) ? document['info'] : {};
  const title = typeof info['title'] === 'string' ? info['title'] : '';
  const servers = Array.isArray(document['servers']) ? document['servers'] : [];
  const serverUrl = isObject(servers[0]) && typeof servers[0]['url'] === 'string' ? servers[0]['url'] : '';
  const stem = file.replace(/^.*[\\/]/, '').replace(/\.(json|ya?ml)$/i, '');
  const api: SyncApi = {
    id: (options.apiName ? kebabCase(options.apiName) : kebabCase(title || stem)).slice(0, 48).replace(/-+$/, ''),
    title: title || stem,
    specFile: file,
    version: spec.version,
    document,
    serverUrl: /^\{|\{/.test(serverUrl) ? '' : serverUrl,
    models,
    diagnostics: withoutRepeats(diagnostics),
  };
  return { api, record: { scope, specWideReads, specWideDiagnostics, listingReads, listings, candidates: outcomes } };
}

/** Each problem once: one of `x-sync-defaults` is found again by every model that takes it. */
function withoutRepeats(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}\0${d.file}\0${d.pointer}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Names become identifiers and file names (`<file>.mocks.spec.ts`, and tools add to those: jest's
 * cache names files after them): past 48 characters a name is cut and made unique again with a
 * hash of the schema name, so no file name approaches the file system's 255-byte limit.
 */
function boundedName(name: string, schemaName: string): string {
  if (name.length <= 48) return name;
  return `${name.slice(0, 40)}${createHash('sha256').update(schemaName).digest('hex').slice(0, 8)}`;
}

function assignNames(models: SyncModel[]): void {
  const types = uniqueNames(
    models,
    (m) => m.schemaName,
    (m) => boundedName(typeName(m.schemaName), m.schemaName),
  );
  for (const model of models) {
    const type = types.get(model)!;
    const plural = pascalCase(pluralize(type));
    model.names = {
      type,
      camel: camelCase(type),
      plural: plural === type ? `${type}List` : plural,
      file: fileName(type),
    };
  }
}

/** What a key's schema holds: integer and number keys are numbers in TypeScript, the rest strings. */
function keyKindOf(schema: Record<string, unknown> | undefined): KeyKind {
  const types = Array.isArray(schema?.['type']) ? (schema['type'] as unknown[]) : [schema?.['type']];
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  return schema?.['format'] === 'uuid' ? 'uuid' : 'string';
}
