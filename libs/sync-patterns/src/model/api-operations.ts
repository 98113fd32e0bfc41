import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import { untracked } from '../openapi/read-tracking';
import type { ApiOperation, OperationKind, OperationPaging, SyncModel } from './ir';
import { camelCase, isReserved, pascalCase, uniqueNames, words } from './naming';
import type { SpecOperation } from './operations';
import { detectPagination } from './pagination';
import { readOptimistic } from './x-sync-optimistic';
import { directRefs, isObject, itemsPathOf, listedModels, objectShape } from './schema-utils';

/** Methods OpenAPI allows that the generated client does not call: reported, not generated. */
const OTHER_METHODS = ['head', 'options', 'trace'] as const;

/**
 * Every operation of the spec and what it becomes: a bound model operation, made by the model's
 * mode; otherwise an operation function with a query hook (GET) or a mutation hook, in the library
 * of the model it belongs to — by `x-sync-model`, else the model whose path it is under — or in the
 * core library. Each gets a name unique in the api, and the models it touches (for invalidation).
 */
export function apiOperations(
  document: OpenApiDocument,
  file: string,
  operations: SpecOperation[],
  models: SyncModel[],
  diagnostics: Diagnostic[],
): ApiOperation[] {
  return untracked(document, () => {
    diagnostics.push(...otherMethodWarnings(document, file));
    const bound = new Map<string, { model: SyncModel; as: OperationKind }>();
    for (const model of models)
      for (const [as, op] of Object.entries(model.operations))
        bound.set(op.pointer, { model, as: as as OperationKind });
    const byName = new Map(models.map((m) => [m.schemaName, m]));
    const touched = new ModelsNamed(document, new Set(byName.keys()));
    // the models' own operations are named by their models (listTodos, getTodo, …): the others keep clear of those
    const reserved = reservedNames(models);
    const names = uniqueNames(
      operations.filter((op) => !bound.has(op.pointer)),
      (op) => op.pointer,
      (op) => functionName(op, reserved),
    );
    // keep spec order: names above are given in pointer order, which stays stable across edits elsewhere
    return operations.map((op) => {
      const binding = bound.get(op.pointer);
      const owner = binding?.model ?? ownerOf(op, models, byName);
      const touches = new Set<string>();
      if (owner) touches.add(owner.schemaName);
      if (op.body) touched.of(op.body.located.schema).forEach((m) => touches.add(m));
      if (op.success?.located) touched.of(op.success.located.schema).forEach((m) => touches.add(m));
      const invalidates = new Set(touches);
      if (op.method !== 'get')
        for (const name of touches) for (const embedding of byName.get(name)!.embeddedIn) invalidates.add(embedding);
      const pagination = op.method === 'get' && !binding ? pagingOf(document, op) : undefined;
      const optimistic = binding
        ? boundOptimistic(op, file, diagnostics)
        : readOptimistic(document, file, op, owner, diagnostics);
      const result: ApiOperation = {
        method: op.method,
        path: op.path,
        pointer: op.pointer,
        ...(op.operationId ? { operationId: op.operationId } : {}),
        ...(op.summary ? { summary: op.summary } : {}),
        name: binding ? boundName(binding.model, binding.as) : names.get(op)!,
        ...(owner ? { owner: owner.schemaName } : {}),
        role: binding
          ? { kind: 'bound', model: binding.model.schemaName, as: binding.as }
          : op.method === 'get'
            ? { kind: 'query', ...(pagination ? { pagination } : {}) }
            : { kind: 'mutation' },
        pathParams: op.params.filter((p) => p.in === 'path'),
        queryParams: op.params.filter((p) => p.in === 'query'),
        ...(op.body
          ? {
              body: {
                mediaType: op.body.mediaType,
                encoding: op.body.encoding,
                required: op.body.required,
                schemaPointer: op.body.located.pointer,
                ...(op.body.schemaless ? { schemaless: true } : {}),
              },
            }
          : {}),
        ...(op.success
          ? {
              response: {
                status: op.success.status,
                ...(op.success.mediaType ? { mediaType: op.success.mediaType } : {}),
                ...(op.success.located ? { schemaPointer: op.success.located.pointer } : {}),
              },
            }
          : {}),
        touches: [...touches].sort(),
        invalidates: op.method === 'get' ? [] : [...invalidates].sort(),
        ...(optimistic ? { optimistic } : {}),
      };
      return result;
    });
  });
}

/** A model's own create, update or delete is optimistic already: a declaration there is a mistake. */
function boundOptimistic(op: SpecOperation, file: string, diagnostics: Diagnostic[]): undefined {
  if (op.raw['x-sync-optimistic'] !== undefined)
    diagnostics.push({
      severity: 'error',
      file,
      pointer: child(op.pointer, 'x-sync-optimistic'),
      message: `${op.method.toUpperCase()} ${op.path} is a model's own operation, optimistic in every mode already`,
      hint: "remove x-sync-optimistic (it is for the spec's other writes: actions, bulk operations)",
    });
  return undefined;
}

/** HEAD, OPTIONS and TRACE operations: a warning each, with the reason. */
function otherMethodWarnings(document: OpenApiDocument, file: string): Diagnostic[] {
  const paths = document['paths'];
  if (!isObject(paths)) return [];
  const found: Diagnostic[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of OTHER_METHODS) {
      if (!isObject(item[method])) continue;
      found.push({
        severity: 'warning',
        file,
        pointer: child(child('#/paths', path), method),
        message: `${method.toUpperCase()} ${path} gets no function: the generated client calls GET, POST, PUT, PATCH and DELETE operations`,
        hint:
          method === 'head'
            ? 'the GET operation of the same path answers the same headers'
            : 'call it with fetch where it is needed',
      });
    }
  }
  return found;
}

/** The operationId in camelCase, else the method and the path's words (`{id}` → `ById`). */
function functionName(op: SpecOperation, reserved: Set<string>): string {
  const fromPath = () =>
    op.method +
    op.path
      .split('/')
      .filter(Boolean)
      .map((segment) => (/^\{.*\}$/.test(segment) ? `By${pascalCase(segment)}` : pascalCase(segment)))
      .join('');
  const base = camelCase(op.operationId && words(op.operationId).length ? op.operationId : fromPath());
  const safe = /^[0-9_]/.test(base) ? `op${pascalCase(base)}` : base;
  return isReserved(safe) || isReserved(pascalCase(safe)) || reserved.has(safe.toLowerCase()) ? `${safe}Op` : safe;
}

/** The function a model's library makes of its own operation. */
function boundName(model: SyncModel, as: OperationKind): string {
  const { type: T, plural } = model.names;
  return { list: `list${plural}`, get: `get${T}`, create: `create${T}`, update: `update${T}`, delete: `delete${T}` }[
    as
  ];
}

/** Names the model libraries export already (their functions, and the stems of their options and hooks). */
function reservedNames(models: SyncModel[]): Set<string> {
  const taken = new Set<string>();
  for (const { names } of models) {
    const { type: T, camel, plural } = names;
    for (const name of [
      camel,
      camelCase(plural),
      `${camel}List`,
      `${camel}Infinite`,
      `${camel}Create`,
      `${camel}Update`,
      `${camel}Remove`,
      `list${plural}`,
      `get${T}`,
      `create${T}`,
      `update${T}`,
      `delete${T}`,
      `get${plural}Data`,
      `set${plural}Data`,
      `get${T}Data`,
      `set${T}Data`,
      `prefetch${plural}`,
      `prefetch${T}`,
      `select${plural}`,
      `select${T}`,
      `${camel}Mutations`,
      `${camel}ConflictResolver`,
      `resolve${T}Conflicts`,
    ])
      taken.add(name.toLowerCase());
  }
  return taken;
}

/**
 * The model an unbound operation belongs to: the one `x-sync-model` names, else the model whose
 * list or item path is the longest prefix of the operation's path (`/todos/{id}/archive` → Todo).
 */
function ownerOf(op: SpecOperation, models: SyncModel[], byName: Map<string, SyncModel>): SyncModel | undefined {
  const named = op.raw['x-sync-model'];
  if (typeof named === 'string' && byName.has(named)) return byName.get(named);
  let best: { model: SyncModel; length: number } | undefined;
  for (const model of models) {
    for (const bound of [model.operations.list, model.operations.get]) {
      if (!bound) continue;
      const under = op.path === bound.path || op.path.startsWith(`${bound.path}/`);
      if (under && (!best || bound.path.length > best.length)) best = { model, length: bound.path.length };
    }
  }
  return best?.model;
}

/** How a GET pages, when its answer lists rows (of any schema) and a query parameter pages it. */
function pagingOf(document: OpenApiDocument, op: SpecOperation): OperationPaging | undefined {
  const located = op.success?.located;
  if (!located) return undefined;
  const listed = listedModels(document, located.schema, located.pointer)[0];
  const itemsPath = listed === undefined ? undefined : itemsPathOf(document, located.schema, located.pointer, listed);
  if (!itemsPath) return undefined;
  const queryParams = op.params.filter((p) => p.in === 'query');
  const row = isObject(document['components'])
    ? (document['components'] as { schemas?: Record<string, unknown> }).schemas?.[listed!]
    : undefined;
  const key = row && objectShape(document, row, '').properties.has('id') ? 'id' : '';
  const pagination = detectPagination(document, queryParams, located, itemsPath, key);
  if (!pagination || (pagination.kind === 'cursor' && pagination.fromLastRow && !key)) return undefined;
  return { ...pagination, itemsPath };
}

/**
 * The models a request or response schema holds: followed through `$ref`s to components, stopping
 * at each model (its own references are the models it embeds, not ones the operation changes).
 */
class ModelsNamed {
  private readonly memo = new Map<string, string[]>();

  constructor(
    private readonly document: OpenApiDocument,
    private readonly models: Set<string>,
  ) {}

  of(schema: unknown): string[] {
    const found = new Set<string>();
    for (const name of directRefs(schema)) for (const model of this.viaComponent(name)) found.add(model);
    return [...found];
  }

  private viaComponent(name: string): string[] {
    const known = this.memo.get(name);
    if (known) return known;
    if (this.models.has(name)) {
      this.memo.set(name, [name]);
      return [name];
    }
    this.memo.set(name, []); // a cycle back here adds nothing
    const schemas = isObject(this.document['components'])
      ? (this.document['components'] as { schemas?: Record<string, unknown> }).schemas
      : undefined;
    const found = new Set<string>();
    for (const ref of directRefs(schemas?.[name])) for (const model of this.viaComponent(ref)) found.add(model);
    const result = [...found].sort();
    this.memo.set(name, result);
    return result;
  }
}
