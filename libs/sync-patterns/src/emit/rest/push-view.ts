import type { BoundOperation, OperationParam, Pagination, SyncApi, SyncModel } from '../../model/ir';
import { deref, isNullable, isRowOf } from '../../model/schema-utils';
import { resolvePointer } from '../../openapi/json-pointer';
import { apiNames } from '../core/api-names';
import { docComment, literal, objectKey, propertyKey, str } from '../../typescript/ts-syntax';
import { zodWriteInput } from '../../json-schema/zod-schema';
import { conflictView, fullBodyFields } from './conflict-view';

/**
 * Everything the push-model templates print, prepared here: every spec-derived string is already a
 * safe literal, every type a complete expression. Templates only arrange it.
 */
export function pushView(api: SyncApi, model: SyncModel, coreImport: string) {
  const names = apiNames(api);
  const T = model.names.type;
  const { list, get, create, update } = model.operations;
  const remove = model.operations.delete;
  const opRef = (op: BoundOperation) => `paths[${str(op.path)}][${str(op.method)}]`;
  const responseType = (op: BoundOperation) =>
    op.response
      ? `${opRef(op)}[${str('responses')}][${str(op.response.status)}][${str('content')}][${str(op.response.mediaType)}]`
      : 'undefined';
  const key = model.sync.key;
  // Answers reach callers with excluded fields stripped, so row-shaped answers are typed as the row.
  const rowResult = (op: BoundOperation) => (op.response?.isRow ? T : responseType(op));
  const listResult = (op: BoundOperation) => {
    const items = op.response?.itemsPath;
    if (!items || items.length > 1) return responseType(op);
    if (items.length === 0) return `${T}[]`;
    return `Omit<NonNullable<${responseType(op)}>, ${str(items[0])}> & { ${propertyKey(items[0])}: ${T}[] }`;
  };
  const excluded = model.fields.filter((f) => f.excluded || f.writeOnly).map((f) => f.name);
  const component = `components[${str('schemas')}][${str(model.schemaName)}]`;
  const modelSchema = deref(api.document, { $ref: model.schemaPointer }, model.schemaPointer)?.schema;
  const modelNullable = modelSchema !== undefined && isNullable(modelSchema);

  const bodyType = (op: BoundOperation, partial: boolean, optionalKey: boolean) => {
    const body = op.body!;
    let type = `NonNullable<${opRef(op)}[${str('requestBody')}]>[${str('content')}][${str(body.mediaType)}]`;
    const omit = [...body.readOnlyFields, ...(optionalKey ? [key] : [])];
    if (omit.length) type = `Omit<${type}, ${omit.map(str).join(' | ')}>`;
    if (partial) type = `Partial<${type}>`;
    if (optionalKey) type = `${type} & { ${propertyKey(key)}?: ${T}Id }`;
    return type;
  };
  // Which writes the outbox may store on the device (push mode only: live writes go through the
  // collection's outbox, cache results are read-only). Not a multipart body (files cannot be kept
  // as JSON), and not a model with writeOnly fields (passwords, secrets: never kept on the device,
  // as the optimistic row never holds them). Those go as plain mutations.
  const outboxable = model.sync.mode === 'push' && !model.fields.some((f) => f.writeOnly);
  const storable = (op: BoundOperation) => outboxable && op.body?.encoding !== 'multipart';
  const partialUpdate = (op: BoundOperation) =>
    op.method === 'patch' && isRowOf(resolvePointer(api.document, op.body!.schemaPointer), model.schemaName);

  const validatorCtx = {
    document: api.document,
    refName: (c: string) => `core.${names.validators.get(c) ?? 'never'}`,
  };
  const listParamsType = (op: BoundOperation) => {
    const parts: string[] = [];
    if (op.queryParams.length) parts.push(`NonNullable<${opRef(op)}[${str('parameters')}][${str('query')}]>`);
    if (op.pathParams.length) parts.push(`${opRef(op)}[${str('parameters')}][${str('path')}]`);
    return parts.length ? parts.join(' & ') : 'Record<string, never>';
  };

  const view = {
    T,
    camel: model.names.camel,
    plural: model.names.plural,
    file: model.names.file,
    coreImport: str(coreImport),
    client: names.client,
    doc: docComment(model.description),
    // A row is never null, even where the schema is nullable for its other uses.
    rowType: (() => {
      const row = modelNullable ? `NonNullable<${component}>` : component;
      return excluded.length ? `Omit<${row}, ${excluded.map(str).join(' | ')}>` : row;
    })(),
    keyStr: str(key),
    keyDoc: docComment(`The key of a ${T} (its ${key} property).`),
    apiId: str(api.id),
    modelId: str(model.names.file),
    excluded: excluded.length ? literal(excluded) : undefined,
    retry: literal(model.sync.retry),
    related: literal([
      ...model.embeddedIn.map((name) => [api.id, api.models.find((m) => m.schemaName === name)!.names.file]),
      ...cacheDependents(api, model),
    ]),
    /** Key roots of the cache-mode results a write to this model makes stale (their `invalidatedBy`). */
    invalidates: literal(cacheDependents(api, model)),
    itemsPath: list ? literal(list.response?.itemsPath ?? []) : '[]',
    clientKey: model.clientGeneratedKey,
    /** Create inputs carry the key: the optimistic row keeps it (a draft key only when it is left out). */
    keyInInput: model.keyInCreateInput,
    keyKind: str(model.keyKind),
    list: list && {
      fn: `list${model.names.plural}`,
      doc: opDoc(list),
      method: str(list.method.toUpperCase()),
      path: str(list.path),
      pathNames: literal(list.pathParams.map((p) => p.name)),
      paramsType: listParamsType(list),
      paramsRequired: list.pathParams.length > 0 || list.queryParams.some((p) => p.required),
      responseType: listResult(list),
      infinite: list.pagination && infiniteView(api, list, list.pagination),
    },
    get: get && {
      fn: `get${T}`,
      doc: opDoc(get),
      path: str(get.path),
      idKey: objectKey(get.idParam!),
      resultType: rowResult(get),
    },
    create: create && {
      fn: `create${T}`,
      doc: opDoc(create),
      path: str(create.path),
      encoding: str(create.body!.encoding),
      inputType: bodyType(create, false, model.clientGeneratedKey),
      resultType: rowResult(create),
      isRow: create.response?.isRow === true,
      stored: storable(create),
      validator: zodWriteInput(create.body!.schemaPointer, create.body!.readOnlyFields, false, validatorCtx),
    },
    update: update && {
      fn: `update${T}`,
      doc: opDoc(update),
      method: str(update.method.toUpperCase()),
      /** The method as text in a comment (`PUT`): the literal without its quotes. */
      methodText: str(update.method.toUpperCase()).slice(1, -1),
      path: str(update.path),
      idKey: objectKey(update.idParam!),
      encoding: str(update.body!.encoding),
      inputType: bodyType(update, partialUpdate(update), false),
      resultType: rowResult(update),
      isRow: update.response?.isRow === true,
      partial: partialUpdate(update),
      stored: storable(update),
      /** A whole-body update's fields: a merge re-sent is made from the row it leaves. */
      bodyFields: partialUpdate(update) ? undefined : fullBodyFields(api, update),
      validator: zodWriteInput(
        update.body!.schemaPointer,
        update.body!.readOnlyFields,
        partialUpdate(update),
        validatorCtx,
      ),
    },
    remove: remove && {
      fn: `delete${T}`,
      doc: opDoc(remove),
      path: str(remove.path),
      idKey: objectKey(remove.idParam!),
      resultType: responseType(remove),
    },
    rowValidator: names.validators.get(model.schemaName),
    /** x-sync.version / x-sync.conflict as the runtime takes it; none without a version. */
    conflict: conflictView(model),
    configure: names.configure,
    /** The outbox scope, when a write can go through the outbox (with the app's local database). */
    outbox:
      (create && storable(create)) || (update && storable(update)) || (remove && outboxable)
        ? { scope: str(`${api.id}/${model.names.file}`) }
        : undefined,
  };
  const typeExpressions = [
    view.list?.paramsType,
    view.list?.responseType,
    view.get?.resultType,
    view.create?.inputType,
    view.create?.resultType,
    view.update?.inputType,
    view.update?.resultType,
    view.remove?.resultType,
  ];
  const { camel: c, plural: P } = model.names;
  const writes = [view.create && 'create', view.update && 'update', view.remove && 'remove'];
  const writeKinds = [view.create && 'create', view.update && 'update', view.remove && 'remove'].filter(
    (k): k is string => Boolean(k),
  );
  return {
    ...view,
    modelName: str(model.schemaName),
    /** The optimistic row of a create (as the create mutation's `draft`). */
    draftExpr: (() => {
      const k = str(key);
      const keyValue = model.keyInCreateInput
        ? `(input as Record<string, unknown> | null)?.[${k}] ?? draftKey`
        : 'draftKey';
      const row = `{ ...input, [${k}]: ${keyValue} }`;
      return excluded.length
        ? `(input, draftKey) => omitFields(${row}, ${literal(excluded)}) as unknown as ${T}`
        : `(input, draftKey) => (${row}) as unknown as ${T}`;
    })(),
    /** The tag of the query operations whose answers hold this model: its writes refresh them. */
    modelTags: literal([`model:${model.schemaName}`]),
    /** The type of `<model>Writes` (its transaction writes), when it has any. */
    writesType: writeKinds.length
      ? `Pick<ModelWrites<${T}, ${T}Id, ${view.create ? `${T}CreateInput` : 'never'}, ${view.update ? `${T}UpdateInput` : 'never'}>, ${writeKinds.map(str).join(' | ')}>`
      : undefined,
    /** The library holds functions of the spec's other operations (operations/emit-operations.ts). */
    operations: api.operations.some((op) => op.role.kind !== 'bound' && op.owner === model.schemaName),
    usesPaths: typeExpressions.some((t) => t?.includes('paths[')),
    /** What each file imports by name, a list ready to print between braces. */
    imports: {
      /** `<model>.api`'s types from `<model>.types`. */
      apiTypes: nameList(
        view.get && `${T}Id`,
        view.list && `${T}ListParams`,
        view.list && `${T}ListResponse`,
        view.get && `${T}GetResult`,
      ),
      /** The query options' types from `<model>.types` (push and cache mode). */
      queriesTypes: nameList(
        T,
        `${T}Id`,
        view.list && `${T}ListParams`,
        view.list && `${T}ListResponse`,
        view.get && `${T}GetResult`,
      ),
      /** The push query options' list and read functions from `<model>.api`. */
      apiFunctions: nameList(view.list && view.list.fn, view.get && view.get.fn),
      /** The push query options' write-input schemas from `<model>.validators`. */
      inputSchemas: nameList(view.create && `${c}CreateInputSchema`, view.update && `${c}UpdateInputSchema`),
      /** The push and cache hooks' types from `<model>.types`. */
      hooksTypes: nameList(T, view.get && `${T}Id`, view.list && `${T}ListParams`),
      /** The push hooks' query options and selectors from `<model>.queries`. */
      pushHooksQueries: nameList(
        view.list && view.list.infinite && `${c}InfiniteQueryOptions`,
        view.list && `${c}ListQueryOptions`,
        view.get && `${c}QueryOptions`,
        view.list && `select${P}`,
      ),
      /** The cache hooks' query options and selectors from `<model>.queries`. */
      cacheHooksQueries: nameList(
        view.list && `${c}ListQueryOptions`,
        view.get && `${c}QueryOptions`,
        view.list && `select${P}`,
        view.get && `select${T}`,
      ),
    },
    /** The push hooks' write mutations, by name (`create, update`): what `latestError` is given. */
    writeNames: nameList(...writes),
    /** Whether one of the push hooks' write mutations is pending, an expression (`create.isPending || …`). */
    writesPending: writes
      .filter(Boolean)
      .map((n) => `${n}.isPending`)
      .join(' || '),
  };
}

/** The names given that are not false or absent, joined with `, ` (an import list's inside). */
export function nameList(...candidates: (string | false | undefined)[]): string {
  return candidates.filter(Boolean).join(', ');
}

export type PushView = ReturnType<typeof pushView>;

function opDoc(op: BoundOperation): string {
  return docComment(`${op.method.toUpperCase()} ${op.path}${op.summary ? ` — ${op.summary}` : ''}`);
}

/** How an infinite list pages, by its `param` (a string literal); the other values are literals too. */
export type InfiniteView = InfinitePaging & {
  /** The `param` as text in a comment: the literal without its quotes. */
  paramText: string;
};

type InfinitePaging =
  /** By page number, from `initial`. */
  | { kind: 'page'; param: string; initial: string }
  /** By row offset, from `initial`; a page shorter than the `limitParam` asked for (when there is one) is the last. */
  | { kind: 'offset'; param: string; initial: string; limitParam?: string }
  /** By the cursor each answer names in its `nextField`. */
  | { kind: 'cursor'; param: string; nextField: string }
  /** By the last row's `rowKey`, while the answer's `moreField` is true. */
  | { kind: 'cursor'; param: string; nextField?: undefined; moreField: string; rowKey: string };

function infiniteView(api: SyncApi, list: BoundOperation, pagination: Pagination): InfiniteView | undefined {
  const paging = infinitePaging(api, list, pagination);
  return paging && { ...paging, paramText: paging.param.slice(1, -1) };
}

/**
 * The first value of a page or offset parameter: its schema's `default`, else its `minimum`, else
 * `fallback` (1 for pages, 0 for offsets).
 */
export function firstPageOf(api: SyncApi, params: OperationParam[], name: string): (fallback: number) => number {
  const param = params.find((p) => p.name === name);
  const schema = param
    ? deref(api.document, resolvePointer(api.document, param.pointer), param.pointer)?.schema
    : undefined;
  const paramSchema =
    schema && typeof schema['schema'] === 'object' ? (schema['schema'] as Record<string, unknown>) : {};
  return (fallback) =>
    typeof paramSchema['default'] === 'number'
      ? paramSchema['default']
      : typeof paramSchema['minimum'] === 'number'
        ? paramSchema['minimum']
        : fallback;
}

function infinitePaging(api: SyncApi, list: BoundOperation, pagination: Pagination): InfinitePaging | undefined {
  const start = firstPageOf(api, list.queryParams, pagination.param);
  switch (pagination.kind) {
    case 'page':
      return {
        kind: 'page',
        param: str(pagination.param),
        initial: String(start(1)),
      };
    case 'offset':
      return {
        kind: 'offset',
        param: str(pagination.param),
        initial: String(start(0)),
        limitParam: pagination.limitParam ? str(pagination.limitParam) : undefined,
      };
    case 'cursor':
      // pagination detection gives a cursor one of the two (else the list does not page)
      if (pagination.nextField)
        return { kind: 'cursor', param: str(pagination.param), nextField: str(pagination.nextField[0]) };
      if (pagination.fromLastRow)
        return {
          kind: 'cursor',
          param: str(pagination.param),
          moreField: str(pagination.fromLastRow.moreField),
          rowKey: str(pagination.fromLastRow.key),
        };
      return undefined;
  }
}

/** Cache-mode models that name `model` in their `invalidatedBy`, as query-key roots. */
function cacheDependents(api: SyncApi, model: SyncModel): string[][] {
  return api.models
    .filter((m) => m.sync.mode === 'cache' && m.sync.invalidatedBy?.includes(model.schemaName))
    .map((m) => [api.id, m.names.file]);
}
