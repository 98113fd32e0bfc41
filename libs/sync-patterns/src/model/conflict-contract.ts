import { child } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import type { BoundOperation, ConflictContract, OperationKind, SyncOptions } from './ir';
import { deref, isObject, isRowOf, type ObjectShape } from './schema-utils';

interface Check {
  model: string;
  sync: SyncOptions;
  shape: ObjectShape;
  operations: Partial<Record<OperationKind, BoundOperation>>;
  document: OpenApiDocument;
  /** Where an option is written: the model's x-sync, or the document's x-sync-defaults. */
  optionPointer: (name: 'version' | 'conflict') => string;
  /** Why the model's writes cannot go through the outbox (which sends the precondition), if they cannot. */
  unstored?: string;
  error: (pointer: string, message: string, hint: string) => void;
  warning: (pointer: string, message: string, hint: string) => void;
}

const IF_MATCH_HINT =
  'add `- { name: If-Match, in: header, schema: { type: string } }` to its parameters and a 412 response whose body is the current row';

/**
 * Reads the conflict contract of one model and checks it against the spec: the version is a
 * property of the row, every merge rule names one, and each write the strategy guards declares
 * both halves of the precondition (an `If-Match` parameter, a 412 answer carrying the current row).
 */
export function conflictContract(check: Check): ConflictContract {
  const { sync, model } = check;
  const versionAt = check.optionPointer('version');
  const version = sync.version;
  if (version === ETAG) checkETag(check, versionAt);
  else if (version !== undefined) checkVersion(check, version, versionAt);
  checkRules(check);

  const guarded = version !== undefined && sync.conflict !== 'client-wins';
  if (guarded && check.unstored)
    check.error(
      versionAt,
      `${model}'s writes send no version: ${check.unstored}, so its writes skip the outbox that sends If-Match and decides conflicts`,
      'remove x-sync.version (the last write wins), or keep such fields out of the model',
    );
  const preconditions: ConflictContract['preconditions'] = [];
  for (const kind of ['update', 'delete'] as const) {
    const op = check.operations[kind];
    if (!op) continue;
    const at = `${op.method.toUpperCase()} ${op.path}`;
    const declared = op.precondition;
    if (sync.conflict === 'client-wins' && declared?.ifMatch?.required) {
      check.error(
        declared.ifMatch.pointer,
        `${at} requires If-Match, but ${model} is client-wins: its writes are sent without a precondition`,
        'make the parameter optional, or choose another conflict strategy',
      );
      continue;
    }
    if (!guarded) {
      if (declared?.ifMatch?.required && version === undefined)
        check.warning(
          declared.ifMatch.pointer,
          `${at} requires If-Match, but ${model} declares no x-sync.version: the API will refuse its writes (428)`,
          'add `version: <property>` to its x-sync (the property whose value the API compares with If-Match)',
        );
      continue;
    }
    if (declared?.ifMatch && !declared.answers412)
      check.error(
        op.pointer,
        `${at} takes If-Match but declares no 412 answer: a stale write could not be told from another failure`,
        'add a 412 response whose body is the current row',
      );
    else if (!declared?.ifMatch && (declared?.answers412 || kind === 'update'))
      check.error(
        op.pointer,
        `${model} is ${sync.conflict} on version "${version}", but ${at} declares no If-Match parameter to send it with`,
        IF_MATCH_HINT,
      );
    else if (declared?.ifMatch) {
      // with ETags the client reads the row again after a 412: the answer's body may be anything
      if (version !== ETAG && !answersRow(check, op)) {
        check.error(
          child(op.pointer, 'responses', '412'),
          `the 412 answer of ${at} must carry the current ${model} row: the client merges or rolls back to it`,
          `give it \`content: { application/json: { schema: { $ref: '#/components/schemas/${model}' } } }\``,
        );
        continue;
      }
      preconditions.push(kind);
    }
  }
  return {
    strategy: sync.conflict,
    ...(version !== undefined ? { version } : {}),
    rules: sync.mergeRules,
    preconditions,
  };
}

/** `version: etag`: the API's ETag header carries the version (push mode). */
const ETAG = 'etag';

function checkETag(check: Check, at: string): void {
  const { sync, model, operations } = check;
  if (sync.mode === 'live') {
    check.error(
      at,
      `version: etag reads the API's ETag header, which the shape stream does not carry: ${model}'s live rows need a version property`,
      'name the property the API bumps on every write (version, updated_at)',
    );
    return;
  }
  const get = operations.get;
  if (!get) {
    check.error(
      at,
      `version: etag needs ${model}'s item read (GET …/{id}), whose answer carries the row's ETag`,
      `bind ${model}'s get operation (x-sync-model: ${model}, x-sync-op: get)`,
    );
    return;
  }
  if (!answersETag(check, get))
    check.error(
      get.pointer,
      `GET ${get.path} must declare the ETag header of its answer: the client sends it back as If-Match`,
      'add `headers: { ETag: { schema: { type: string } } }` to its success response',
    );
}

/** The item read's success answer declares an ETag header. */
function answersETag(check: Check, op: BoundOperation): boolean {
  const responses = deref(check.document, { $ref: child(op.pointer, 'responses') }, op.pointer)?.schema ?? {};
  const status = op.response?.status ?? Object.keys(responses).find((code) => /^2/.test(code));
  const answer = status && isObject(responses[status]) ? deref(check.document, responses[status], '') : undefined;
  const headers = answer?.schema['headers'];
  return isObject(headers) && Object.keys(headers).some((name) => name.toLowerCase() === 'etag');
}

function checkVersion(check: Check, version: string, at: string): void {
  const { shape, sync, model, document } = check;
  const property = shape.properties.get(version);
  if (!property) {
    check.error(
      at,
      `version names "${version}", which is not a property of ${model}`,
      `name the property the API bumps on every write (properties: ${[...shape.properties.keys()].slice(0, 8).join(', ')})`,
    );
    return;
  }
  if (version === sync.key) check.error(at, `the key "${version}" cannot carry the version`, 'name another property');
  if (sync.exclude.includes(version))
    check.error(at, `version "${version}" is excluded, so clients never see it`, 'take it out of exclude');
  const type = deref(document, property.schema, property.pointer)?.schema['type'];
  const types = Array.isArray(type) ? type.filter((t) => t !== 'null') : [type];
  if (!types.every((t) => t === 'integer' || t === 'number' || t === 'string'))
    check.error(
      at,
      `version "${version}" must be an integer, a number or a string (its value is sent as If-Match), not ${JSON.stringify(type)}`,
      'use an integer column the API bumps on every write',
    );
}

function checkRules(check: Check): void {
  const { shape, sync, model, document } = check;
  const at = child(check.optionPointer('conflict'), 'fields');
  for (const [name, rule] of Object.entries(sync.mergeRules)) {
    const property = shape.properties.get(name);
    if (!property) {
      check.error(
        child(at, name),
        `fields names "${name}", which is not a property of ${model}`,
        'remove it or fix the spelling',
      );
      continue;
    }
    if (name === sync.key || name === sync.version || sync.exclude.includes(name))
      check.error(
        child(at, name),
        `"${name}" is the key, the version or an excluded field: no rule decides it`,
        'remove it from fields',
      );
    const schema = deref(document, property.schema, property.pointer)?.schema;
    const type = schema?.['type'];
    const isArray = type === 'array' || (Array.isArray(type) && type.includes('array'));
    if (rule === 'union' && !isArray)
      check.error(child(at, name), `union merges lists, but "${name}" is not an array`, 'use server or client');
  }
}

/** The 412 answer's body is a row of the model. */
function answersRow(check: Check, op: BoundOperation): boolean {
  const responses = op.pointer
    ? deref(check.document, { $ref: child(op.pointer, 'responses') }, op.pointer)
    : undefined;
  const answer =
    responses && isObject(responses.schema['412']) ? deref(check.document, responses.schema['412'], '') : undefined;
  const content = answer?.schema['content'];
  if (!isObject(content)) return false;
  const json = Object.keys(content).find((type) => /[/+]json(;|$)/i.test(type));
  const schema = json && isObject(content[json]) ? content[json]['schema'] : undefined;
  return isRowOf(schema, check.model);
}
