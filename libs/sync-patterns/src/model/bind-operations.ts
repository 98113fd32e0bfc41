import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import type { BoundOperation, OperationKind } from './ir';
import type { SpecOperation } from './operations';
import { detectPagination } from './pagination';
import { keptWithReads, untracked } from '../openapi/read-tracking';
import {
  componentName,
  deref,
  isObject,
  isRowOf,
  itemsPathOf,
  listedModels,
  objectShape,
  propertyFlag,
} from './schema-utils';

export const OPERATION_KINDS: OperationKind[] = ['list', 'get', 'create', 'update', 'delete'];

/** An operation pinned to a model by `x-sync-model` / `x-sync-op`. */
export interface ExplicitBinding {
  model: string;
  kind?: OperationKind;
  op: SpecOperation;
}

/** Reads and checks the explicit bindings of every operation. */
export function explicitBindings(
  operations: SpecOperation[],
  schemaNames: Set<string>,
  file: string,
  diagnostics: Diagnostic[],
): ExplicitBinding[] {
  const result: ExplicitBinding[] = [];
  for (const op of operations) {
    const model = op.raw['x-sync-model'];
    const kind = op.raw['x-sync-op'];
    if (model === undefined && kind === undefined) continue;
    if (typeof model !== 'string' || !schemaNames.has(model)) {
      diagnostics.push({
        severity: 'error',
        file,
        pointer: child(op.pointer, 'x-sync-model'),
        message:
          model === undefined
            ? 'x-sync-op is set but x-sync-model is missing'
            : `x-sync-model names ${JSON.stringify(model)}, which is not a schema under components.schemas`,
        hint: `set x-sync-model to one of the schema names${schemaNames.size ? ` (e.g. ${[...schemaNames].slice(0, 3).join(', ')})` : ''}`,
      });
      continue;
    }
    // an action of the model (archive, move, bulk): its operation function, never one of the model's own
    if (kind === 'action') continue;
    if (kind !== undefined && !(OPERATION_KINDS as unknown[]).includes(kind)) {
      diagnostics.push({
        severity: 'error',
        file,
        pointer: child(op.pointer, 'x-sync-op'),
        message: `unknown x-sync-op ${JSON.stringify(kind)}`,
        hint: `use one of: ${OPERATION_KINDS.join(', ')}, action`,
      });
      continue;
    }
    result.push({ model, op, ...(kind !== undefined ? { kind: kind as OperationKind } : {}) });
  }
  return result;
}

const pathParams = (op: SpecOperation) => op.params.filter((p) => p.in === 'path');
const onlyIdParam = (op: SpecOperation) => op.itemParam !== undefined && pathParams(op).length === 1;
/** A write body must be an object: its optimistic row is built from it (a bare number, string or list is no row). */
function objectBody(op: SpecOperation, document: OpenApiDocument): boolean {
  const located = op.body && deref(document, op.body.located.schema, op.body.located.pointer);
  if (!located) return true;
  const type = located.schema['type'];
  const types = Array.isArray(type) ? type : typeof type === 'string' ? [type] : [];
  return types.length === 0 || types.includes('object');
}
const parentPath = (path: string) => path.replace(/\/\{[^}]+\}\/?$/, '');

/** Why `op` cannot serve as `kind` for `model`, or undefined when it can (by shape, not by convention). */
function shapeProblem(
  kind: OperationKind,
  op: SpecOperation,
  document: OpenApiDocument,
  model: string,
): string | undefined {
  switch (kind) {
    case 'list':
      if (op.method !== 'get') return 'a list operation must be a GET';
      if (
        !op.success?.located ||
        itemsPathOf(document, op.success.located.schema, op.success.located.pointer, model) === undefined
      ) {
        return `its success response must be an array of ${model}, or an object with one array-of-${model} property`;
      }
      return undefined;
    case 'get':
      if (op.method !== 'get') return 'a get operation must be a GET';
      if (!onlyIdParam(op))
        return 'its path must end in the key parameter, e.g. /todos/{id}, with no other path parameters';
      return undefined;
    case 'create':
      if (op.method !== 'post') return 'a create operation must be a POST';
      if (pathParams(op).length > 0) return 'its path must have no path parameters';
      if (!op.body || op.body.encoding === 'raw' || op.body.schemaless)
        return 'it must take a JSON, form or multipart request body';
      if (!objectBody(op, document)) return "its request body must be an object (the new row's fields)";
      return undefined;
    case 'update':
      if (op.method !== 'put' && op.method !== 'patch') return 'an update operation must be a PUT or PATCH';
      if (!onlyIdParam(op))
        return 'its path must end in the key parameter, e.g. /todos/{id}, with no other path parameters';
      if (!op.body || op.body.encoding === 'raw' || op.body.schemaless)
        return 'it must take a JSON, form or multipart request body';
      if (!objectBody(op, document)) return 'its request body must be an object (the fields to change)';
      return undefined;
    case 'delete':
      if (op.method !== 'delete') return 'a delete operation must be a DELETE';
      if (!onlyIdParam(op))
        return 'its path must end in the key parameter, e.g. /todos/{id}, with no other path parameters';
      return undefined;
  }
}

/** Convention: which operations of the spec look like `kind` for `model`, given what is bound so far. */
function matchesConvention(
  kind: OperationKind,
  op: SpecOperation,
  model: string,
  bound: Partial<Record<OperationKind, BoundOperation>>,
): boolean {
  const rowResponse = op.success?.located !== undefined && isRowOf(op.success.located.schema, model);
  switch (kind) {
    case 'list':
      return op.itemParam === undefined;
    case 'get':
      return rowResponse;
    case 'create':
      return rowResponse || (bound.list !== undefined && bound.list.path === op.path);
    case 'update':
    case 'delete':
      return (
        rowResponse ||
        bound.get?.path === op.path ||
        (bound.get === undefined && bound.list?.path === parentPath(op.path))
      );
  }
}

/** Deterministic preference among candidates: fewer path params, shorter path, then PATCH over PUT, then by text. */
function rank(op: SpecOperation): string {
  const params = pathParams(op).length;
  const depth = op.path.split('/').length;
  return `${String(params).padStart(3, '0')}${String(depth).padStart(3, '0')}${op.method === 'patch' ? 0 : 1}${op.path}`;
}

export function bindOperations(
  model: string,
  key: string,
  operations: SpecOperation[],
  explicit: ExplicitBinding[],
  document: OpenApiDocument,
  file: string,
  diagnostics: Diagnostic[],
  reportAmbiguity: boolean,
): Partial<Record<OperationKind, BoundOperation>> {
  const bound: Partial<Record<OperationKind, BoundOperation>> = {};
  const pinned = explicit.filter((b) => b.model === model);
  for (const kind of OPERATION_KINDS) {
    const mine = pinned.filter((b) => (b.kind ?? inferKind(b.op, model, document, bound)) === kind);
    if (mine.length > 1) {
      diagnostics.push({
        severity: 'error',
        file,
        pointer: child(mine[1].op.pointer, 'x-sync-op'),
        message: `${model} has more than one "${kind}" operation: ${mine.map((b) => `${b.op.method.toUpperCase()} ${b.op.path}`).join(', ')}`,
        hint: 'keep x-sync-op on one of them',
      });
    }
    if (mine.length > 0) {
      const op = mine[0].op;
      const problem = shapeProblem(kind, op, document, model);
      if (problem) {
        diagnostics.push({
          severity: 'error',
          file,
          pointer: child(op.pointer, 'x-sync-op'),
          message: `${op.method.toUpperCase()} ${op.path} cannot be the "${kind}" operation of ${model}: ${problem}`,
          hint: 'fix the operation or bind another one',
        });
        continue;
      }
      bound[kind] = toBound(kind, op, 'explicit', model, key, document);
      continue;
    }
    const index = operationIndex(operations, explicit, document);
    const candidates = index
      .candidates(kind, model, bound)
      .filter(
        (op) => shapeProblem(kind, op, document, model) === undefined && matchesConvention(kind, op, model, bound),
      )
      .sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
    if (candidates.length === 0) continue;
    if (
      reportAmbiguity &&
      candidates.length > 1 &&
      rank(candidates[0]).slice(0, 7) === rank(candidates[1]).slice(0, 7)
    ) {
      diagnostics.push({
        severity: 'warning',
        file,
        pointer: candidates[0].pointer,
        message: `${model}: several operations look like its "${kind}" (${candidates
          .slice(0, 3)
          .map((c) => `${c.method.toUpperCase()} ${c.path}`)
          .join(', ')}); using the first`,
        hint: `pin the right one with \`x-sync-model: ${model}\` and \`x-sync-op: ${kind}\``,
      });
    }
    bound[kind] = toBound(kind, candidates[0], 'convention', model, key, document);
  }
  return bound;
}

interface OperationIndex {
  /** A superset of the operations that can be `kind` of `model` by convention, in spec order. */
  candidates(
    kind: OperationKind,
    model: string,
    bound: Partial<Record<OperationKind, BoundOperation>>,
  ): SpecOperation[];
  /** Which models each GET lists, by its pointer. */
  listings: ReadonlyMap<string, readonly string[]>;
  /** Some operation could read `model` by convention: returns it as a row or lists it. */
  readsByConvention(model: string): boolean;
}

/**
 * False when no operation can read `model`, so binding it finds neither a list nor a get: a model
 * needs one (buildModel), and `--all-models` asks this of every schema (Stripe: 775, 92 models).
 */
export function mayBeRead(
  model: string,
  operations: SpecOperation[],
  explicit: ExplicitBinding[],
  document: OpenApiDocument,
): boolean {
  return (
    explicit.some((b) => b.model === model) || operationIndex(operations, explicit, document).readsByConvention(model)
  );
}

/** Per document and operations (a long-running process keeps the operations of a document edited inside its schemas, whose lists can differ). */
const indexes = new WeakMap<OpenApiDocument, WeakMap<SpecOperation[], { value: OperationIndex; reads: Set<string> }>>();

/**
 * The index now, reading what it reads while the caller records (build-model.ts); and which models
 * each GET lists (by operation pointer, those that list any): the one part of the index that
 * follows from component schemas (a response's `$ref` to a wrapper), not from the operations alone.
 */
export function operationListings(
  operations: SpecOperation[],
  explicit: ExplicitBinding[],
  document: OpenApiDocument,
): ReadonlyMap<string, readonly string[]> {
  return indexed(operations, explicit, document).listings;
}

/**
 * Every model asks about every operation (graph-beta: 856 models x 10,000+ operations, most of a
 * 150 s run). The operations are indexed once by what can make them match — the model their
 * response is a row or a list of, their path, their parent path — so each model looks at a handful.
 * The checks themselves are unchanged (shapeProblem, matchesConvention), and candidates keep spec
 * order, so the choice among equals is the same.
 */
function indexed(operations: SpecOperation[], explicit: ExplicitBinding[], document: OpenApiDocument): OperationIndex {
  let memo = indexes.get(document);
  if (!memo) indexes.set(document, (memo = new WeakMap()));
  return keptWithReads(document, memo, operations, () => buildIndex(operations, explicit, document));
}

/**
 * The index of `from` taken as `to`'s: for a document whose operations are `from`'s and whose
 * schemas differ only where the index read none (build-model.ts checks both).
 */
export function carryIndex(operations: SpecOperation[], from: OpenApiDocument, to: OpenApiDocument): void {
  const kept = indexes.get(from)?.get(operations);
  if (!kept) return;
  let memo = indexes.get(to);
  if (!memo) indexes.set(to, (memo = new WeakMap()));
  memo.set(operations, kept);
}

/** The index as a model's binding asks it: not counted as the model's reads, since what the index read only shows in its listings, which build-model.ts compares across runs. */
function operationIndex(
  operations: SpecOperation[],
  explicit: ExplicitBinding[],
  document: OpenApiDocument,
): OperationIndex {
  return untracked(document, () => indexed(operations, explicit, document));
}

function buildIndex(
  operations: SpecOperation[],
  explicit: ExplicitBinding[],
  document: OpenApiDocument,
): OperationIndex {
  const pinned = new Set(explicit.map((b) => b.op));
  const order = new Map<SpecOperation, number>();
  const byRow = new Map<string, SpecOperation[]>();
  const byListed = new Map<string, SpecOperation[]>();
  const byPath = new Map<string, SpecOperation[]>();
  // by the path without its last `/{param}`: the item operations under a list's path
  const byParent = new Map<string, SpecOperation[]>();
  const listings = new Map<string, string[]>();
  const add = (map: Map<string, SpecOperation[]>, key: string, op: SpecOperation) => {
    const list = map.get(key);
    if (list) list.push(op);
    else map.set(key, [op]);
  };
  operations.forEach((op, i) => {
    // pinned to a model (x-sync-op), or an action of one: no candidate for a model's own operations
    if (pinned.has(op) || op.raw['x-sync-op'] === 'action') return;
    order.set(op, i);
    add(byPath, op.path, op);
    add(byParent, parentPath(op.path), op);
    const located = op.success?.located;
    if (!located) return;
    // isRowOf accepts a $ref, or an allOf of one $ref: both names lead here
    for (const row of new Set([
      componentName(located.schema),
      isObject(located.schema) && Array.isArray(located.schema['allOf']) && located.schema['allOf'].length === 1
        ? componentName(located.schema['allOf'][0])
        : undefined,
    ]))
      if (row !== undefined) add(byRow, row, op);
    if (op.method !== 'get') return;
    const listed = listedModels(document, located.schema, located.pointer);
    for (const model of listed) add(byListed, model, op);
    if (listed.length) listings.set(op.pointer, listed);
  });
  const inOrder = (...lists: (SpecOperation[] | undefined)[]) =>
    [...new Set(lists.flatMap((l) => l ?? []))].sort((a, b) => order.get(a)! - order.get(b)!);
  const index: OperationIndex = {
    listings,
    readsByConvention: (model) => byRow.has(model) || byListed.has(model),
    candidates(kind, model, bound) {
      switch (kind) {
        case 'list':
          return inOrder(byListed.get(model));
        case 'get':
          return inOrder(byRow.get(model));
        case 'create':
          return inOrder(byRow.get(model), bound.list && byPath.get(bound.list.path));
        case 'update':
        case 'delete':
          return inOrder(
            byRow.get(model),
            bound.get && byPath.get(bound.get.path),
            bound.list && byParent.get(bound.list.path),
          );
      }
    },
  };
  return index;
}

function inferKind(
  op: SpecOperation,
  model: string,
  document: OpenApiDocument,
  bound: Partial<Record<OperationKind, BoundOperation>>,
): OperationKind | undefined {
  return OPERATION_KINDS.find(
    (kind) => shapeProblem(kind, op, document, model) === undefined && matchesConvention(kind, op, model, bound),
  );
}

function toBound(
  kind: OperationKind,
  op: SpecOperation,
  binding: 'convention' | 'explicit',
  model: string,
  key: string,
  document: OpenApiDocument,
): BoundOperation {
  const located = op.success?.located;
  const itemsPath =
    kind === 'list' && located ? itemsPathOf(document, located.schema, located.pointer, model) : undefined;
  const queryParams = op.params.filter((p) => p.in === 'query');
  const result: BoundOperation = {
    kind,
    method: op.method,
    path: op.path,
    pointer: op.pointer,
    binding,
    tags: Array.isArray(op.raw['tags']) ? op.raw['tags'].filter((t): t is string => typeof t === 'string') : [],
    pathParams: op.params.filter((p) => p.in === 'path'),
    queryParams,
    ...(op.operationId ? { operationId: op.operationId } : {}),
    ...(op.summary ? { summary: op.summary } : {}),
    ...(kind === 'get' || kind === 'update' || kind === 'delete' ? { idParam: op.itemParam } : {}),
    ...((kind === 'update' || kind === 'delete') && (op.ifMatch || op.preconditionFailed)
      ? { precondition: { ...(op.ifMatch ? { ifMatch: op.ifMatch } : {}), answers412: Boolean(op.preconditionFailed) } }
      : {}),
  };
  if (op.body && (kind === 'create' || kind === 'update')) {
    const shape = objectShape(document, op.body.located.schema, op.body.located.pointer);
    const readOnlyFields = [...shape.properties.entries()]
      .filter(([, loc]) => propertyFlag(document, loc, 'readOnly'))
      .map(([name]) => name);
    result.body = {
      mediaType: op.body.mediaType,
      encoding: op.body.encoding,
      required: op.body.required,
      schemaPointer: op.body.located.pointer,
      readOnlyFields,
    };
  }
  if (located && op.success?.mediaType) {
    result.response = {
      status: op.success.status,
      mediaType: op.success.mediaType,
      schemaPointer: located.pointer,
      isRow: isRowOf(located.schema, model),
      ...(itemsPath ? { itemsPath } : {}),
    };
  }
  if (kind === 'list' && itemsPath) {
    const pagination = detectPagination(document, queryParams, located, itemsPath, key);
    if (pagination) result.pagination = pagination;
  }
  return result;
}

export function isObjectSchema(schema: Record<string, unknown>): boolean {
  return schema['type'] === 'object' || isObject(schema['properties']) || Array.isArray(schema['allOf']);
}
