import type { BoundOperation, SyncApi, SyncModel } from '../../model/ir';
import { isObject, objectShape } from '../../model/schema-utils';
import { child, resolvePointer } from '../../openapi/json-pointer';
import { literal, literalBlock, propertyKey, str } from '../../typescript/ts-syntax';
import { nameList, type PushView } from './push-view';
import { NO_SAMPLE, PROTOTYPE_NAMES, propertySamples, sampleOf, type Sample } from '../../json-schema/sample-value';

/** What a generated test's list calls and answers. */
export interface ListSample {
  /** The list's required parameters, a literal; absent when it needs none. */
  params?: string;
  /** The request line the test expects, e.g. `GET /todos`, a string literal. */
  call: string;
  /** Body of `listOf(rows)`: the rows as the list operation answers them. */
  wrap: string;
  /** The list pages: plain and infinite list keys are tested apart. */
  infinite: boolean;
}

/** What a generated create test sends. */
export interface CreateSample {
  /** The input, a literal. */
  input: string;
  /** A field the create validator must insist on, a string literal; absent when there is none to leave out. */
  invalidField?: string;
  /** The client generates the key: the body must carry one. */
  clientKey: boolean;
  /** The answer is the row: it replaces the optimistic row (else the refetch does). */
  answersRow: boolean;
  /** A JSON body is the values themselves; a form's or a multipart body's fields are text. */
  json: boolean;
  /** The body's encoding, a string literal. */
  encoding: string;
  /** The body's encoding as text in a comment: the literal without its quotes. */
  encodingText: string;
}

/** What a generated update test sends, to the sample row. */
export interface UpdateSample {
  /** The patch, a literal. */
  patch: string;
  /** The body carries the key (a full PUT): a test on another row puts that row's key in it. */
  hasKey: boolean;
  /** A JSON body is the values themselves; a form's or a multipart body's fields are text. */
  json: boolean;
  /** The body's encoding, a string literal. */
  encoding: string;
  /** The body's encoding as text in a comment: the literal without its quotes. */
  encodingText: string;
  /** The one field the patch changes, as the row then holds it (what a form body surely carries), a literal. */
  changed: string;
  /** The request line the test expects, a string literal. */
  call: string;
}

/**
 * What the generated `<model>.spec.ts` needs: sample rows, inputs and responses derived from the
 * schema, each as a safe literal. It exists only with a sample row; a part the schema admits no
 * sample for is absent, and the tests that would need it are left out, never faked.
 */
export interface PushSpecView {
  /** A row as the client keeps it, a literal. */
  row: string;
  /** The row as the server sends it (with what x-sync keeps off the client): `row` when the same, else a literal. */
  served: string;
  /** The row's key, a literal. */
  rowId: string;
  /** The names of the fields the client never keeps, a literal; absent when there are none. */
  excluded?: string;
  /** The list test; absent without a list, its required parameters or its answer's sample. */
  list?: ListSample;
  /** The read test: the request line it expects, a string literal. */
  get?: { call: string };
  // The write tests the mode's spec holds. Push mode shows a write in the cached list or item, live
  // mode in its collection; cache models are read-only.
  /** The create test (push: with the list test, where the created row shows). */
  creates?: CreateSample;
  /** The update test (push: with the read test, where the updated row shows). */
  updates?: UpdateSample;
  /** The remove test, the request line it expects (push: with the list test, which the row leaves). */
  removes?: { call: string };
  /** Push mode: a test starts from a list or a read, so without either there is no spec file. */
  tested: boolean;
  /** What the mode's test imports by name, each a list ready to print between braces. */
  imports: {
    /** From `<model>.types` (the names the mode's test uses). */
    types: string;
    /** Push mode: the query options and selectors from `<model>.queries`. */
    queries: string;
    /** Live mode: the collection and its helpers from `<model>.collection`. */
    collection: string;
  };
}

/** The sample view of a model's generated test, or undefined when its schema admits no sample row (no test then). */
export function pushSpecView(api: SyncApi, model: SyncModel, view: PushView): PushSpecView | undefined {
  const key = model.sync.key;
  const row = model.sync.mode === 'live' ? syncedRow(model, rowSample(api, model)) : rowSample(api, model);
  if (!row) return undefined;
  const served = servedRow(api, model, row);
  const { list, get, create, update } = model.operations;
  const remove = model.operations.delete;

  const listParams = list ? paramsSample(api, list) : undefined;
  const listWrapper = list && listParams ? listWrapperSample(api, list) : undefined;
  const createInput = create ? writeSample(api, model, create) : undefined;
  const patch = update ? patchSample(api, update, view.update?.partial === true, row, key) : undefined;
  const invalidField = create ? requiredWritableField(api, model, create) : undefined;
  // rowSample keeps only a row whose key is a string or a number
  const rowId = row[key];

  /** The request line the test expects, e.g. `GET /todos/1`, as a string literal. */
  const call = (op: BoundOperation, params: Record<string, unknown>) =>
    str(
      `${op.method.toUpperCase()} ${op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])))}`,
    );

  const listSample: ListSample | undefined =
    list && listParams && listWrapper !== undefined
      ? {
          params: Object.keys(listParams).length ? literalBlock(listParams) : undefined,
          call: call(list, listParams),
          wrap:
            listWrapper.itemsKey === undefined
              ? 'rows'
              : `({ ${[...Object.entries(listWrapper.rest).map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`), `${propertyKey(listWrapper.itemsKey)}: rows`].join(', ')} })`,
          infinite: Boolean(view.list?.infinite),
        }
      : undefined;
  const getSample = get ? { call: call(get, { [get.idParam!]: rowId }) } : undefined;
  const createSample: CreateSample | undefined =
    create && createInput !== undefined
      ? {
          input: literalBlock(createInput),
          invalidField: invalidField === undefined ? undefined : str(invalidField),
          clientKey: model.clientGeneratedKey,
          answersRow: create.response?.isRow === true,
          json: create.body!.encoding === 'json',
          encoding: str(create.body!.encoding),
          encodingText: str(create.body!.encoding).slice(1, -1),
        }
      : undefined;
  const updateSample: UpdateSample | undefined =
    update && patch !== undefined
      ? {
          patch: literalBlock(patch),
          hasKey: key in patch,
          json: update.body!.encoding === 'json',
          encoding: str(update.body!.encoding),
          encodingText: str(update.body!.encoding).slice(1, -1),
          changed: literalBlock(changedField(patch, row, key)),
          call: call(update, { [update.idParam!]: rowId }),
        }
      : undefined;
  const removeSample = remove ? { call: call(remove, { [remove.idParam!]: rowId }) } : undefined;

  const mode = model.sync.mode;
  const creates = mode === 'push' ? listSample && createSample : mode === 'live' ? createSample : undefined;
  const updates = mode === 'push' ? getSample && updateSample : mode === 'live' ? updateSample : undefined;
  const removes = mode === 'push' ? listSample && removeSample : mode === 'live' ? removeSample : undefined;
  const { type: T, camel: c, plural: P } = model.names;
  return {
    row: literalBlock(row),
    served: JSON.stringify(served) === JSON.stringify(row) ? 'row' : literalBlock(served),
    rowId: literal(rowId),
    excluded: (() => {
      const names = model.fields.filter((f) => f.excluded || f.writeOnly).map((f) => f.name);
      return names.length ? literal(names) : undefined;
    })(),
    list: listSample,
    get: getSample,
    creates,
    updates,
    removes,
    // Every generated test starts from a list or a read (create/remove need the list, update the read).
    tested: Boolean(listSample || getSample),
    imports: {
      types:
        mode === 'push'
          ? nameList(
              T,
              (getSample || updates || removes) && `${T}Id`,
              listSample && listSample.params && `${T}ListParams`,
              listSample && `${T}ListResponse`,
              creates && `${T}CreateInput`,
              updates && `${T}UpdateInput`,
            )
          : mode === 'live'
            ? nameList(T, (updates || removes) && `${T}Id`, creates && `${T}CreateInput`, updates && `${T}UpdateInput`)
            : // cache mode's test reads the list, which it has
              nameList(T, listSample?.params && `${T}ListParams`, `${T}ListResponse`),
      queries: nameList(
        listSample && `${c}ListQueryOptions`,
        getSample && `${c}QueryOptions`,
        listSample && `select${P}`,
      ),
      collection: nameList(
        `${c}Collection`,
        `${c}LiveStatus`,
        `${c}Shape`,
        creates && `${c}RowFromInput`,
        updates && `validate${T}Patch`,
      ),
    },
  };
}

function rowSample(api: SyncApi, model: SyncModel): Record<string, Sample> | undefined {
  const value = sampleOf(api.document, { $ref: model.schemaPointer }, model.schemaPointer, { direction: 'read' });
  if (value === NO_SAMPLE || !isObject(value)) return undefined;
  const row: Record<string, Sample> = { ...value };
  for (const field of model.fields) if (field.excluded || field.writeOnly) delete row[field.name];
  if (!(model.sync.key in row)) {
    const keyField = objectShape(api.document, { $ref: model.schemaPointer }, model.schemaPointer).properties.get(
      model.sync.key,
    );
    const keyValue = keyField
      ? sampleOf(api.document, keyField.schema, keyField.pointer, {
          direction: 'read',
        })
      : NO_SAMPLE;
    if (keyValue === NO_SAMPLE || keyValue === null) return undefined;
    row[model.sync.key] = keyValue;
  }
  const id = row[model.sync.key];
  return typeof id === 'string' || typeof id === 'number' ? row : undefined;
}

/**
 * A live row as the collection holds it: a shape row carries every synced column, and Postgres'
 * NULL of a nullable column the sample leaves out stays null (not absent, as in a push answer).
 */
function syncedRow(model: SyncModel, row: Record<string, Sample> | undefined): Record<string, Sample> | undefined {
  if (!row) return row;
  const filled = { ...row };
  for (const field of model.fields)
    if (!field.excluded && !field.writeOnly && field.nullable && !(field.name in filled)) filled[field.name] = null;
  return filled;
}

/** The row as the server sends it: with the fields `x-sync` keeps off the client, which must be stripped. */
function servedRow(api: SyncApi, model: SyncModel, row: Record<string, Sample>): Record<string, Sample> {
  const served = { ...row };
  for (const field of model.fields) {
    if (!(field.excluded || field.writeOnly)) continue;
    const value = sampleOf(api.document, { $ref: field.schemaPointer }, field.schemaPointer, { direction: 'read' });
    if (value !== NO_SAMPLE) served[field.name] = value;
  }
  return served;
}

function paramsSample(api: SyncApi, op: BoundOperation): Record<string, Sample> | undefined {
  const out: Record<string, Sample> = {};
  for (const param of [...op.pathParams, ...op.queryParams]) {
    if (!param.required) continue;
    const pointer = child(param.pointer, 'schema');
    // A path parameter the operation forgot to declare has no schema: any string fills it.
    const value =
      resolvePointer(api.document, pointer) === undefined
        ? 'sample'
        : sampleOf(api.document, { $ref: pointer }, pointer, {
            direction: 'write',
          });
    if (value === NO_SAMPLE || value === null || typeof value === 'object') return undefined;
    out[param.name] = value;
  }
  return out;
}

/** How list answers hold rows: the answer itself, or one property of a wrapper object (the rest sampled). */
export function listWrapperSample(
  api: SyncApi,
  op: BoundOperation,
): { itemsKey?: string; rest: Record<string, unknown> } | undefined {
  const itemsPath = op.response?.itemsPath;
  if (!op.response || !itemsPath || itemsPath.length > 1) return undefined;
  if (itemsPath.length === 0) return { rest: {} };
  const wrapper = sampleOf(api.document, { $ref: op.response.schemaPointer }, op.response.schemaPointer, {
    direction: 'read',
  });
  if (wrapper === NO_SAMPLE || !isObject(wrapper)) return undefined;
  const { [itemsPath[0]]: _items, ...rest } = wrapper;
  return { itemsKey: itemsPath[0], rest };
}

function writeSample(api: SyncApi, model: SyncModel, op: BoundOperation): Record<string, Sample> | undefined {
  const body = op.body!;
  const value = sampleOf(api.document, { $ref: body.schemaPointer }, body.schemaPointer, { direction: 'write' });
  if (value === NO_SAMPLE || !isObject(value)) return undefined;
  const input: Record<string, Sample> = { ...value };
  for (const name of body.readOnlyFields) delete input[name];
  // A client-generated key is left out: the generated code must fill it in.
  if (model.clientGeneratedKey) delete input[model.sync.key];
  return input;
}

/**
 * A patch that changes one field the row shows, so the optimistic update is observable. Never the
 * key: a row keeps its key (TanStack DB refuses to change one); a body that must carry it carries
 * the row's own.
 */
function patchSample(
  api: SyncApi,
  op: BoundOperation,
  partial: boolean,
  row: Record<string, Sample>,
  key: string,
): Record<string, Sample> | undefined {
  const body = op.body!;
  const changes = propertySamples(api.document, { $ref: body.schemaPointer }, body.schemaPointer, {
    direction: 'write',
    variant: 1,
  });
  const changed = [...changes].find(
    ([name, value]) =>
      name !== key &&
      name in row &&
      !body.readOnlyFields.includes(name) &&
      JSON.stringify(value) !== JSON.stringify(row[name]),
  );
  if (!changed) return undefined;
  if (partial || !isFullBodyNeeded(api, op)) {
    // fields named like Object members are set too (see PROTOTYPE_NAMES)
    const full = sampleOf(api.document, { $ref: body.schemaPointer }, body.schemaPointer, { direction: 'write' });
    const inherited = isObject(full)
      ? Object.entries(full).filter(([name]) => PROTOTYPE_NAMES.has(name) && !body.readOnlyFields.includes(name))
      : [];
    return { ...Object.fromEntries(inherited), [changed[0]]: changed[1] };
  }
  const full = sampleOf(api.document, { $ref: body.schemaPointer }, body.schemaPointer, { direction: 'write' });
  if (full === NO_SAMPLE || !isObject(full)) return undefined;
  const patch: Record<string, Sample> = { ...full, [changed[0]]: changed[1] };
  for (const name of body.readOnlyFields) delete patch[name];
  if (key in patch) patch[key] = row[key];
  return patch;
}

function isFullBodyNeeded(api: SyncApi, op: BoundOperation): boolean {
  const shape = objectShape(api.document, { $ref: op.body!.schemaPointer }, op.body!.schemaPointer);
  return [...shape.required].some((name) => !op.body!.readOnlyFields.includes(name));
}

/** A field the create validator must insist on: leaving it out has to be refused before sending. */
function requiredWritableField(api: SyncApi, model: SyncModel, op: BoundOperation): string | undefined {
  const shape = objectShape(api.document, { $ref: op.body!.schemaPointer }, op.body!.schemaPointer);
  const constrains = (name: string) => {
    const schema = shape.properties.get(name)?.schema;
    return (
      schema !== undefined && ['type', '$ref', 'enum', 'const', 'oneOf', 'anyOf', 'allOf'].some((k) => k in schema)
    );
  };
  return [...shape.required].find(
    (name) =>
      constrains(name) &&
      !op.body!.readOnlyFields.includes(name) &&
      !(model.clientGeneratedKey && name === model.sync.key),
  );
}

/** The field of `patch` whose value differs from the row's (patchSample makes exactly one differ). */
function changedField(patch: Record<string, Sample>, row: Record<string, Sample>, key: string): Record<string, Sample> {
  const name = Object.keys(patch).find((n) => n !== key && JSON.stringify(patch[n]) !== JSON.stringify(row[n]));
  return name === undefined ? {} : { [name]: patch[name] };
}
