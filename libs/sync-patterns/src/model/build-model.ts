import { createHash } from 'node:crypto';
import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { LoadedSpec } from '../openapi/load-spec';
import { checkOperationIds } from '../openapi/unique-operation-ids';
import { conflictContract } from './conflict-contract';
import { schemaKeywordWarnings } from '../openapi/version-keywords';
import { apiOperations } from './api-operations';
import {
  bindOperations,
  explicitBindings,
  isObjectSchema,
  mayBeRead,
  operationListings,
  type ExplicitBinding,
} from './bind-operations';
import type { KeyKind, SyncApi, SyncField, SyncModel } from './ir';
import { camelCase, fileName, kebabCase, pascalCase, pluralize, typeName, uniqueNames } from './naming';
import { applyFilters, type ModelFilters } from './model-filters';
import { listOperations, type SpecOperation } from './operations';
import { componentPointer, deref, directRefs, isNullable, isObject, objectShape, propertyFlag } from './schema-utils';
import { parseShapeWhere, WhereSyntaxError, type ParsedWhere } from './shape-where';
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

/** The operations and what else every model's binding starts from. */
export interface SpecWide {
  defaults: RawSyncOptions;
  operations: SpecOperation[];
  explicit: ExplicitBinding[];
}

/** How to read the spec-wide part, and work out from it which models each list operation lists. */
export interface SpecWideWork {
  read(into: Diagnostic[]): SpecWide;
  listings(specWide: SpecWide): ReadonlyMap<string, readonly string[]>;
}

/** What binding one candidate schema found: its model (before names and embeddings), or none, and its diagnostics. */
export interface CandidateOutcome {
  model?: SyncModel;
  diagnostics: Diagnostic[];
}

/**
 * How binding may start from an earlier run's (incremental/binding-reuse.ts). Binding asks through
 * these and never looks at what was kept; `bindAll` does all the work, every time.
 */
export interface BindingHooks {
  /** The spec-wide part (read now or when first asked) and its diagnostics, before any candidate is bound. */
  specWide(work: SpecWideWork, candidates: readonly string[]): { specWide: () => SpecWide; diagnostics: Diagnostic[] };
  /** A candidate's outcome: `bind()`'s, or one kept. */
  candidate(name: string, bind: () => CandidateOutcome): CandidateOutcome;
}

export const bindAll: BindingHooks = {
  specWide(work) {
    const diagnostics: Diagnostic[] = [];
    const specWide = work.read(diagnostics);
    return { specWide: () => specWide, diagnostics };
  },
  candidate: (_name, bind) => bind(),
};

/**
 * Interprets a loaded spec: the one place that reads OpenAPI and `x-sync`. Never throws on bad
 * input: it reports. Filters, names, embeddings and cache checks run over every model each time.
 */
export function buildModel(spec: LoadedSpec, options: BuildOptions = {}, hooks: BindingHooks = bindAll): SyncApi {
  const { document, file } = spec;
  // constructs of the other OpenAPI version, and patterns the generator cannot run: warnings, from one walk of the document's schemas on every run
  const diagnostics: Diagnostic[] = schemaKeywordWarnings(document, spec.version, file);
  const schemasNode = isObject(document['components'])
    ? (document['components'] as Record<string, unknown>)['schemas']
    : undefined;
  const schemas = isObject(schemasNode) ? schemasNode : {};
  const schemaNames = new Set(Object.keys(schemas));
  const specWideWork: SpecWideWork = {
    read(into) {
      into.push(...checkOperationIds(document, file));
      const defaults = readRawOptions(document['x-sync-defaults'], '#/x-sync-defaults', { file, diagnostics: into });
      const operations = listOperations(document, file, into);
      return { defaults, operations, explicit: explicitBindings(operations, schemaNames, file, into) };
    },
    listings: (specWide) => operationListings(specWide.operations, specWide.explicit, document),
  };

  const annotated = [...schemaNames].filter(
    (name) =>
      isObject(schemas[name]) &&
      (schemas[name] as Record<string, unknown>)['x-sync'] !== undefined &&
      (schemas[name] as Record<string, unknown>)['x-sync'] !== false,
  );
  // (reported after the spec-wide part's problems, which come first)
  const unknownModels: Diagnostic[] = [];
  let candidates = options.allModels ? [...schemaNames] : annotated;
  if (options.models?.length) {
    for (const wanted of options.models) {
      if (!schemaNames.has(wanted)) {
        unknownModels.push({
          severity: 'error',
          file,
          pointer: '#/components/schemas',
          message: `--models names ${JSON.stringify(wanted)}, which is not a schema of this spec`,
          hint: 'run `sync-patterns validate` to list the models',
        });
      } else if (!options.allModels && !annotated.includes(wanted)) {
        unknownModels.push({
          severity: 'error',
          file,
          pointer: componentPointer(wanted),
          message: `${wanted} has no x-sync annotation`,
          hint: 'add `x-sync: push` to the schema, or pass --all-models',
        });
      }
    }
    candidates = candidates.filter((name) => options.models!.includes(name));
  }

  candidates.sort();
  const isAnnotated = new Set(annotated);
  const specWide = hooks.specWide(specWideWork, candidates);
  diagnostics.push(...specWide.diagnostics, ...unknownModels);
  const bound: SyncModel[] = [];
  const failedModels = new Set<string>();
  for (const name of candidates) {
    const outcome = hooks.candidate(name, () => {
      const into: Diagnostic[] = [];
      const model = buildOne(name, isAnnotated.has(name), specWide.specWide(), into);
      return { ...(model ? { model } : {}), diagnostics: into };
    });
    diagnostics.push(...outcome.diagnostics);
    if (outcome.model) bound.push(outcome.model);
    else if (isAnnotated.has(name)) failedModels.add(name);
  }
  const models = applyFilters(bound, options.filters, file, diagnostics);

  function buildOne(
    name: string,
    isAnnotated: boolean,
    { defaults, operations, explicit }: SpecWide,
    diagnostics: Diagnostic[],
  ): SyncModel | undefined {
    const ctx = { file, diagnostics };
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
    const modePointer =
      typeof (located ? located.schema['x-sync'] : rawSync) === 'string' ? syncPointer : child(syncPointer, 'mode');
    const sync = resolveOptions(
      name,
      own,
      defaults,
      syncPointer,
      isAnnotated ? ctx : { file, diagnostics: [] },
      modePointer,
    );
    // options in error stand in with their defaults for the checks below; the model is not made of them
    if (diagnostics.length > optionErrors) failed = true;
    if (!located || !isObjectSchema(located.schema)) {
      // its options were checked above: what they say about properties and operations cannot be
      fail(
        pointer,
        `${name} is not an object schema, so it cannot be synced`,
        'put x-sync on the object schema that describes one row',
      );
      return undefined;
    }
    if (!SUPPORTED_MODES.includes(sync.mode)) {
      fail(
        own.mode !== undefined ? modePointer : syncPointer,
        `mode "${sync.mode}" is not supported by this version of sync-patterns yet`,
        `use one of: ${SUPPORTED_MODES.join(', ')}`,
      );
    }

    const shape = objectShape(document, located.schema, located.pointer);
    let operationsBound = bindOperations(
      name,
      sync.key,
      operations,
      explicit,
      document,
      file,
      diagnostics,
      isAnnotated,
    );
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
      if (!shape.properties.has(field))
        fail(
          child(syncPointer, 'exclude', i),
          `exclude names "${field}", which is not a property of ${name}`,
          'remove it or fix the spelling',
        );
      if (field === sync.key)
        fail(child(syncPointer, 'exclude', i), `the key "${field}" cannot be excluded`, 'remove it from exclude');
    });
    const shapeFilter = sync.where !== undefined ? readShapeWhere(sync.where) : undefined;
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
      fail(
        syncPointer,
        `no operation of the spec reads ${name}: no GET returning it or a list of it`,
        `add x-sync-model: ${name} and x-sync-op: list|get to its operations`,
      );
    }
    const conflict = conflictContract({
      model: name,
      sync,
      shape,
      operations: operationsBound,
      document,
      optionPointer: (option) =>
        own[option] === undefined && defaults[option] !== undefined
          ? child('#/x-sync-defaults', option)
          : child(syncPointer, option),
      unstored:
        sync.mode !== 'push'
          ? undefined
          : [...shape.properties.values()].some((loc) => propertyFlag(document, loc, 'writeOnly'))
            ? 'it has writeOnly fields (never stored on the device)'
            : operationsBound.update?.body?.encoding === 'multipart'
              ? 'its update sends multipart bodies (files are not stored on the device)'
              : undefined,
      error: fail,
      warning: (at, message, hint) =>
        isAnnotated && diagnostics.push({ severity: 'warning', file, pointer: at, message, hint }),
    });
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
    const bodyShape = createBody
      ? objectShape(document, { $ref: createBody.schemaPointer }, createBody.schemaPointer)
      : undefined;
    const keyInCreateInput =
      bodyShape !== undefined && bodyShape.properties.has(sync.key) && !createBody!.readOnlyFields.includes(sync.key);
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
      conflict,
      clientGeneratedKey,
      keyInCreateInput,
      keyKind,
      embeddedIn: [],
      ...(shapeFilter ? { shape: shapeFilter } : {}),
    };

    /** x-sync.where parsed, its columns of the model checked (sub-queries' columns: below, once every model is known). */
    function readShapeWhere(where: string): SyncModel['shape'] {
      const at = child(syncPointer, 'where');
      let parsed: ParsedWhere;
      try {
        parsed = parseShapeWhere(where);
      } catch (error) {
        if (!(error instanceof WhereSyntaxError)) throw error;
        fail(at, `where cannot be read: ${error.message}`, WHERE_HINT);
        return undefined;
      }
      for (const column of parsed.columns)
        if (column.table === undefined && !shape.properties.has(column.name))
          fail(
            at,
            `where names "${column.name}", which is not a property of ${name}`,
            'name a property (one the client must not see can stay in the schema with x-sync exclude)',
          );
      return { where: parsed.positional, params: parsed.params, tables: parsed.tables, columns: parsed.columns };
    }
  }

  // cache mode: what invalidates a result must be a model this run knows (an annotated model that
  // failed has its own errors: naming it is not one more)
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
  checkShapes(models, file, diagnostics);
  assignNames(models);
  // each model's refs once: asked of every pair, they were most of the binding time (Stripe: 92² walks)
  const refsOf = new Map(models.map((m) => [m, directRefs(schemas[m.schemaName])]));
  for (const model of models) {
    model.embeddedIn = models
      .filter((other) => other !== model && refsOf.get(other)!.has(model.schemaName))
      .map((other) => other.schemaName);
  }

  // every operation, and what it became (after names: operation names keep clear of the models')
  const operations = apiOperations(document, file, specWide.specWide().operations, models, diagnostics);

  const info = isObject(document['info']) ? document['info'] : {};
  const title = typeof info['title'] === 'string' ? info['title'] : '';
  const servers = Array.isArray(document['servers']) ? document['servers'] : [];
  const serverUrl = isObject(servers[0]) && typeof servers[0]['url'] === 'string' ? servers[0]['url'] : '';
  const stem = file.replace(/^.*[\\/]/, '').replace(/\.(json|ya?ml)$/i, '');
  return {
    id: (options.apiName ? kebabCase(options.apiName) : kebabCase(title || stem)).slice(0, 48).replace(/-+$/, ''),
    title: title || stem,
    specFile: file,
    version: spec.version,
    document,
    serverUrl: /^\{|\{/.test(serverUrl) ? '' : serverUrl,
    models,
    operations,
    diagnostics: withoutRepeats(diagnostics),
  };
}

const WHERE_HINT =
  "write a condition on the model's columns, e.g. `owner_id = $user` or `project_id IN (SELECT project_id FROM memberships WHERE user_id = $user)`";

/**
 * Live models' shapes across models: one live model per table (the shape proxy pins one shape per
 * table a client names), and a sub-query of a where that reads a model's table names that model's
 * properties (the other tables are the server's to check).
 */
function checkShapes(models: SyncModel[], file: string, diagnostics: Diagnostic[]): void {
  const live = models.filter((m) => m.sync.mode === 'live');
  for (const model of live) {
    const first = live.find((m) => m.sync.table === model.sync.table)!;
    if (first !== model)
      diagnostics.push({
        severity: 'error',
        file,
        pointer: child(componentPointer(model.schemaName), 'x-sync'),
        message: `${model.schemaName} and ${first.schemaName} are both live models of table ${model.sync.table}: the server pins one shape per table`,
        hint: 'make one of them push, or give it a table of its own (x-sync.table)',
      });
  }
  for (const model of models) {
    for (const column of model.shape?.columns ?? []) {
      if (column.table === undefined) continue;
      const owner = models.find((m) => m.sync.table === column.table);
      if (!owner || owner.fields.some((f) => f.name === column.name)) continue;
      diagnostics.push({
        severity: 'error',
        file,
        pointer: child(componentPointer(model.schemaName), 'x-sync', 'where'),
        message: `where reads "${column.name}" of ${column.table}, which is not a property of ${owner.schemaName} (the model of table ${column.table})`,
        hint: `name one of: ${owner.fields
          .map((f) => f.name)
          .slice(0, 10)
          .join(', ')}`,
      });
    }
  }
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
