import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import type { OptimisticEffect, RequestValue, SyncModel } from './ir';
import type { SpecOperation } from './operations';
import { deref, isObject, objectShape } from './schema-utils';

const KEYS = ['rows', 'set', 'remove'] as const;
const EXPRESSION = /^\$request\.(path|query)\.([^.#/]+)$|^\$request\.body(?:#(\/.*))?$/;
const EXPRESSIONS_HINT =
  'use $request.path.<name>, $request.query.<name> or $request.body#/<pointer> (OpenAPI runtime expressions)';

/**
 * Reads an operation's `x-sync-optimistic`: what the action shows at once on its model's rows.
 *
 * ```yaml
 * x-sync-optimistic:
 *   rows: $request.body#/ids            # which rows: keys from the request (default: the item the path names)
 *   # rows: { where: { project_id: $request.path.id } }   — or every loaded row matching these fields
 *   set: { archived: true, project_id: $request.body#/project_id }   # fields set (constants or expressions)
 *   # remove: true                      — or the rows leave the model's lists
 * ```
 *
 * Every problem is reported with its pointer; the effect is undefined when there was one.
 */
export function readOptimistic(
  document: OpenApiDocument,
  file: string,
  op: SpecOperation,
  owner: SyncModel | undefined,
  diagnostics: Diagnostic[],
): OptimisticEffect | undefined {
  const raw = op.raw['x-sync-optimistic'];
  if (raw === undefined) return undefined;
  const at = child(op.pointer, 'x-sync-optimistic');
  const found: Diagnostic[] = [];
  const fail = (pointer: string, message: string, hint: string) =>
    found.push({ severity: 'error', file, pointer, message, hint });
  const done = (effect: OptimisticEffect | undefined) => {
    diagnostics.push(...found);
    return found.length ? undefined : effect;
  };
  if (!isObject(raw)) {
    fail(at, 'x-sync-optimistic must be an object', 'e.g. `x-sync-optimistic: { set: { archived: true } }`');
    return done(undefined);
  }
  if (op.method === 'get') fail(at, 'a GET changes nothing: x-sync-optimistic is for writes', 'remove it');
  if (!owner) {
    fail(
      at,
      `${op.method.toUpperCase()} ${op.path} belongs to no model, so there are no rows to change`,
      "put the operation under its model's path, or name the model with `x-sync-model`",
    );
    return done(undefined);
  }
  if (owner.sync.mode === 'cache')
    fail(at, `${owner.schemaName} is a cache-mode model: its results are read-only`, 'remove x-sync-optimistic');
  for (const key of Object.keys(raw))
    if (!(KEYS as readonly string[]).includes(key))
      fail(child(at, key), `unknown key "${key}" in x-sync-optimistic`, `use: ${KEYS.join(', ')}`);

  const fields = new Map(owner.fields.map((f) => [f.name, f]));
  const value = (input: unknown, pointer: string): RequestValue | undefined => {
    if (typeof input !== 'string' || !input.startsWith('$')) return { value: input };
    const match = EXPRESSION.exec(input);
    if (!match) {
      fail(pointer, `${JSON.stringify(input)} is not a runtime expression sync-patterns reads`, EXPRESSIONS_HINT);
      return undefined;
    }
    if (match[1]) {
      const where = match[1] as 'path' | 'query';
      if (!op.params.some((p) => p.in === where && p.name === match[2]))
        fail(
          pointer,
          `${op.method.toUpperCase()} ${op.path} has no ${where} parameter "${match[2]}"`,
          `use one of: ${op.params.map((p) => `$request.${p.in}.${p.name}`).join(', ') || '(no parameters)'}`,
        );
      return { from: where, name: match[2] };
    }
    const path = (match[3] ?? '').split('/').slice(1).map(unescape);
    if (!op.body || op.body.encoding === 'raw') {
      fail(pointer, `${op.method.toUpperCase()} ${op.path} takes no JSON or form body to read`, EXPRESSIONS_HINT);
      return undefined;
    }
    const shape = objectShape(document, op.body.located.schema, op.body.located.pointer);
    if (path.length && shape.properties.size && !shape.properties.has(path[0]))
      fail(
        pointer,
        `the request body of ${op.method.toUpperCase()} ${op.path} has no property "${path[0]}"`,
        `its properties: ${[...shape.properties.keys()].join(', ')}`,
      );
    return { from: 'body', path };
  };
  const field = (name: string, pointer: string, purpose: string) => {
    const known = fields.get(name);
    if (!known)
      fail(
        pointer,
        `"${name}" is not a property of ${owner.schemaName}`,
        `${purpose} one of: ${[...fields.keys()].join(', ')}`,
      );
    else if (known.excluded)
      fail(
        pointer,
        `"${name}" is excluded from ${owner.schemaName} (x-sync exclude): clients never hold it`,
        'remove it',
      );
    return known;
  };

  // which rows
  let rows: OptimisticEffect['rows'] | undefined;
  const rawRows = raw['rows'];
  if (rawRows === undefined) {
    const param = itemParamOf(op, owner);
    if (param) rows = { keys: { from: 'path', name: param } };
    else
      fail(
        at,
        `x-sync-optimistic cannot tell which ${owner.schemaName} rows ${op.method.toUpperCase()} ${op.path} changes: its path names no item of ${owner.schemaName}`,
        'add `rows: $request.body#/ids` (keys from the request) or `rows: { where: { <field>: <value> } }`',
      );
  } else if (typeof rawRows === 'string') {
    const keys = value(rawRows, child(at, 'rows'));
    if (keys && 'value' in keys)
      fail(child(at, 'rows'), '`rows` names the rows by a runtime expression', EXPRESSIONS_HINT);
    else if (keys) rows = { keys };
  } else if (isObject(rawRows) && isObject(rawRows['where']) && Object.keys(rawRows).length === 1) {
    const where: Record<string, RequestValue> = {};
    for (const [name, given] of Object.entries(rawRows['where'])) {
      const pointer = child(at, 'rows', 'where', name);
      field(name, pointer, 'match on');
      const read = value(given, pointer);
      if (read) where[name] = read;
    }
    if (!Object.keys(where).length)
      fail(child(at, 'rows', 'where'), '`where` names no field', 'e.g. `where: { project_id: $request.path.id }`');
    rows = { where };
  } else fail(child(at, 'rows'), '`rows` must be a runtime expression or `{ where: { … } }`', EXPRESSIONS_HINT);

  // what it does to them
  const set = raw['set'];
  const remove = raw['remove'];
  let change: OptimisticEffect['change'] | undefined;
  if (set !== undefined && remove !== undefined)
    fail(
      at,
      'x-sync-optimistic has both `set` and `remove`',
      'keep one: rows that leave the lists are not also changed',
    );
  else if (remove !== undefined) {
    if (remove !== true) fail(child(at, 'remove'), '`remove` must be true', 'write `remove: true`, or leave it out');
    change = { remove: true };
  } else if (isObject(set) && Object.keys(set).length) {
    const fieldsSet: Record<string, RequestValue> = {};
    for (const [name, given] of Object.entries(set)) {
      const pointer = child(at, 'set', name);
      const known = field(name, pointer, 'set');
      if (name === owner.sync.key) fail(pointer, `the key "${name}" cannot be changed`, 'remove it from set');
      const read = value(given, pointer);
      if (known && read && 'value' in read) checkConstant(document, known.schemaPointer, read.value, pointer, fail);
      if (read) fieldsSet[name] = read;
    }
    change = { set: fieldsSet };
  } else
    fail(
      set === undefined ? at : child(at, 'set'),
      set === undefined ? 'x-sync-optimistic says neither `set` nor `remove`' : '`set` must be an object of fields',
      'e.g. `set: { archived: true }` or `remove: true`',
    );
  return done(rows && change ? { rows, change } : undefined);
}

/** The path parameter naming one row of `model` in `op`'s path (`/todos/{id}/archive` under `/todos/{id}`). */
function itemParamOf(op: SpecOperation, model: SyncModel): string | undefined {
  for (const bound of [model.operations.get, model.operations.update, model.operations.delete]) {
    if (!bound?.idParam) continue;
    const at = bound.path.split('/').indexOf(`{${bound.idParam}}`);
    const mine = op.path.split('/');
    if (op.path.startsWith(`${bound.path}/`) && /^\{.+\}$/.test(mine[at] ?? '')) return mine[at].slice(1, -1);
  }
  return undefined;
}

/** A constant set on a field must be a value of the field's type (a type the schema names). */
function checkConstant(
  document: OpenApiDocument,
  schemaPointer: string,
  value: unknown,
  pointer: string,
  fail: (pointer: string, message: string, hint: string) => void,
): void {
  const schema = deref(document, { $ref: schemaPointer }, schemaPointer)?.schema;
  const declared = schema?.['type'];
  const types = Array.isArray(declared) ? declared : typeof declared === 'string' ? [declared] : [];
  if (!types.length) return;
  const actual =
    value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  const ok =
    types.includes(actual) ||
    (actual === 'integer' && types.includes('number')) ||
    (value === null && schema?.['nullable'] === true);
  if (!ok)
    fail(
      pointer,
      `${JSON.stringify(value)} is not a ${types.join(' or ')}, the type of this field`,
      "set a value of the field's type",
    );
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
