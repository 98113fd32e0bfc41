import type { ApiOperation, OperationParam, RequestValue, SyncApi, SyncModel } from '../../model/ir';
import { pascalCase } from '../../model/naming';
import { isRowOf, itemsPathOf } from '../../model/schema-utils';
import { resolvePointer } from '../../openapi/json-pointer';
import { docComment, literal, propertyKey, str } from '../../typescript/ts-syntax';
import { apiNames } from '../core/api-names';
import { firstPageOf } from '../rest/push-view';
import { operationExports } from './operation-exports';

/**
 * What the operation files of one library print (a model's, or the core library's): per operation
 * of the spec that is not one of a model's own, its input and result types, how it is called, what
 * a write touches and how a query pages. Every spec-derived string is a safe literal here.
 */
export function operationsView(api: SyncApi, owner: SyncModel | undefined, header: string, coreImport: string) {
  const names = apiNames(api);
  const library = owner?.names.file ?? 'core';
  const ops = api.operations.filter((op) => op.role.kind !== 'bound' && op.owner === owner?.schemaName);
  const operations = ops.map((op) => operationView(api, op, library, owner));
  return {
    header,
    /** Where `paths` and the client come from: the core library, or (in it) its own files. */
    inCore: owner === undefined,
    coreImport: str(coreImport),
    client: names.client,
    file: owner ? `${owner.names.file}.operations` : 'operations',
    operations,
    queries: operations.filter((o) => o.query),
    mutations: operations.filter((o) => !o.query),
    paged: operations.some((o) => o.query && o.query.infinite),
    /** What the operations file imports from TanStack Query, a list ready to print between braces. */
    reactQueryOptions: [
      operations.some((o) => o.query && o.query.infinite) && 'infiniteQueryOptions',
      operations.some((o) => !o.query) && 'mutationOptions',
      operations.some((o) => o.query) && 'queryOptions',
      operations.some((o) => !o.query) && 'type QueryClient',
    ]
      .filter(Boolean)
      .join(', '),
    /** What the hooks file imports from TanStack Query, a list ready to print between braces. */
    reactQueryHooks: [
      operations.some((o) => o.query && o.query.infinite) && 'useInfiniteQuery',
      operations.some((o) => !o.query) && 'useMutation',
      operations.some((o) => o.query) && 'useQuery',
      operations.some((o) => !o.query) && 'useQueryClient',
      operations.some((o) => o.query) && 'useSuspenseQuery',
    ]
      .filter(Boolean)
      .join(', '),
    usesPaths: operations.some((o) => o.usesPaths),
    usesRaw: operations.some((o) => o.usesRaw),
    usesRequestContent: operations.some((o) => o.inputLines.some((line) => line.includes('RequestContent<'))),
    usesResponseContent: operations.some((o) => o.resultType.includes('ResponseContent<')),
    /** A mutation is also a write of a transaction (`…Write`). */
    writes: operations.some((o) => o.touches),
    /** The owner's row type, when an answer or an optimistic change is typed with it. */
    rowType:
      owner && operations.some((o) => o.usesRowType || o.optimistic)
        ? { name: owner.names.type, file: owner.names.file }
        : undefined,
    /** How the library's actions show their optimistic changes: on its push cache, or its live collection. */
    optimistic: operations.some((o) => o.optimistic) ? optimisticTarget(owner!) : undefined,
    declaresOptimistic: operations.some((o) => o.optimistic?.declared),
    readsBody: operations.some((o) => o.optimistic?.declared?.includes('bodyValue(')),
    matchesRows: operations.some((o) => o.optimistic?.declared?.includes('sameId(')),
    listsKeys: operations.some((o) => o.optimistic?.declared?.includes('keyList(')),
  };
}

export type OperationsView = ReturnType<typeof operationsView>;
export type OperationView = OperationsView['operations'][number];

function operationView(api: SyncApi, op: ApiOperation, library: string, owner: SyncModel | undefined) {
  const exported = operationExports(op);
  const ref = `paths[${str(op.path)}][${str(op.method)}]`;
  const parts: { line: string; required: boolean }[] = [];
  const paramsType = (where: 'path' | 'query', params: OperationParam[]) =>
    // a path parameter the spec does not declare (warned about) is not in openapi-typescript's types
    params.some((p) => p.pointer === op.pointer)
      ? `{ ${params.map((p) => `${JSON.stringify(p.name)}: string | number`).join('; ')} }`
      : where === 'query'
        ? `NonNullable<${ref}[${str('parameters')}][${str('query')}]>`
        : `${ref}[${str('parameters')}][${str('path')}]`;
  if (op.pathParams.length) parts.push({ line: `path: ${paramsType('path', op.pathParams)};`, required: true });
  if (op.queryParams.length) {
    const required = op.queryParams.some((p) => p.required);
    parts.push({ line: `query${required ? '' : '?'}: ${paramsType('query', op.queryParams)};`, required });
  }
  let usesRaw = false;
  if (op.body) {
    const type = op.body.schemaless
      ? 'unknown'
      : op.body.encoding === 'raw'
        ? ((usesRaw = true), 'RawBody')
        : `RequestContent<${ref}[${str('requestBody')}], ${str(op.body.mediaType)}>`;
    parts.push({ line: `body${op.body.required ? '' : '?'}: ${type};`, required: op.body.required });
  }
  const response = op.response;
  const strip = stripOf(api, op).strip;
  // an answer that is the owner's row (or a list of them) is typed as the row, excluded fields gone
  const ownRows = owner && rowsOfModel(api, op, owner);
  const resultType = ownRows
    ? ownRows.itemsPath === null
      ? owner.names.type
      : ownRows.itemsPath.length === 0
        ? `${owner.names.type}[]`
        : undefined
    : undefined;
  const rawResultType = !response?.mediaType
    ? 'undefined'
    : /json/i.test(response.mediaType)
      ? `ResponseContent<${ref}[${str('responses')}][${str(response.status)}], ${str(response.mediaType)}>`
      : 'string';
  const result = resultType ?? rawResultType;
  const inputRequired = parts.some((p) => p.required);
  const tags = [...op.touches.map((m) => `model:${m}`), `path:${op.path}`];
  const pagination = op.role.kind === 'query' ? op.role.pagination : undefined;
  const infinite = pagination && pagingView(api, op, pagination);
  const spec = {
    method: op.method.toUpperCase(),
    path: op.path,
    ...(op.body ? { bodyEncoding: op.body.encoding } : {}),
    ...(op.body?.encoding === 'raw' ? { contentType: op.body.mediaType } : {}),
    ...(strip ? { strip } : {}),
  };
  return {
    ...exported,
    doc: docComment(
      `${op.method.toUpperCase()} ${op.path}${op.summary ? ` — ${op.summary}` : ''}${
        op.operationId ? ` (operationId \`${op.operationId}\`)` : ''
      }`,
    ),
    specConst: `${op.name}Spec`,
    spec: literal(spec),
    /** The input's members, one per line; none: the operation takes no input. */
    inputLines: parts.map((p) => p.line),
    inputRequired,
    /** `input` as a parameter: optional when no part is required. */
    inputParam: parts.length === 0 ? '' : `input${inputRequired ? '' : '?'}: ${exported.variables}`,
    /** The mutation's variables type: `void` allowed when nothing is required (`mutate()`). */
    mutationInput: parts.length === 0 ? 'void' : inputRequired ? exported.variables : `${exported.variables} | void`,
    resultType: result,
    /** The answer is typed as the owner's row type (imported from its types file). */
    usesRowType: resultType !== undefined,
    usesPaths: parts.some((p) => p.line.includes('paths[')) || result.includes('paths['),
    usesRaw,
    query: op.role.kind === 'query' && {
      /** The query key's parts before the input: `[api, library, 'op', name]` without its brackets. */
      keyParts: literal([api.id, library, 'op', op.name]).slice(1, -1),
      tags: literal(tags),
      infinite,
    },
    optimistic:
      op.role.kind === 'mutation' && owner
        ? optimisticView(
            op,
            owner,
            parts.length === 0 ? 'void' : inputRequired ? exported.variables : `${exported.variables} | void`,
            inputRequired,
          )
        : undefined,
    /** The hooks file names the input type (a hook's parameter, or its optimistic option's type). */
    hooksNameInput: parts.length > 0,
    touches:
      op.role.kind === 'mutation'
        ? {
            doc: docComment(
              `What ${op.method.toUpperCase()} ${op.path} may change${
                op.invalidates.length ? `: ${op.invalidates.join(', ')} (from its path, request and response)` : ''
              }; refreshed or awaited after it.`,
            ),
            value: literal(touchesOf(api, op)),
          }
        : undefined,
  };
}

/** Push and live models show an action's change (cache models are read-only results). */
function optimisticTarget(owner: SyncModel) {
  const { camel, file } = owner.names;
  return owner.sync.mode === 'live'
    ? {
        live: true,
        import: `${camel}Collection`,
        from: `./${file}.collection`,
        around: `optimisticInCollection(${camel}Collection(queryClient), (row) => row[${str(owner.sync.key)}], optimistic)`,
        show: `(queryClient) => liveShowOf(${camel}Collection(queryClient), (row) => row[${str(owner.sync.key)}], optimistic(input))`,
      }
    : {
        live: false,
        import: `${camel}Binding`,
        from: `./${file}.queries`,
        around: `optimisticInCache(queryClient, ${camel}Binding, optimistic)`,
        show: `() => onPushCache(${camel}Binding, optimistic(input))`,
      };
}

/** A mutation of a push or live model: it may show a change at once — the spec's (x-sync-optimistic), or the app's. */
function optimisticView(op: ApiOperation, owner: SyncModel, variables: string, inputRequired: boolean) {
  if (owner.sync.mode === 'cache') return undefined;
  const T = owner.names.type;
  const effect = op.optimistic;
  const read = (value: RequestValue, field?: string): string => {
    if ('value' in value) return literal(value.value);
    const given = inputRequired ? 'input' : 'input?';
    const expression =
      value.from === 'body'
        ? `bodyValue(${given}.body, ${literal(value.path)})`
        : value.from === 'path'
          ? `${given}.path[${str(value.name)}]`
          : `${given}.query?.[${str(value.name)}]`;
    return field === undefined ? expression : `${expression} as ${T}[${str(field)}]`;
  };
  let declared: string | undefined;
  if (effect) {
    const rows =
      'keys' in effect.rows
        ? `keys: keyList(${read(effect.rows.keys)})`
        : `where: (row) => ${Object.entries(effect.rows.where)
            .map(([field, value]) => `sameId(row[${str(field)}], ${read(value)})`)
            .join(' && ')}`;
    const change =
      'remove' in effect.change
        ? 'remove: true'
        : `set: () => ({ ${Object.entries(effect.change.set)
            .map(([field, value]) => `${propertyKey(field)}: ${read(value, field)}`)
            .join(', ')} })`;
    declared = `{ ${rows}, ${change} }`;
  }
  return {
    ...optimisticTarget(owner),
    type: `OptimisticFor<${T}, ${variables}>`,
    declared,
    /** The declared change's const, or `undefined`. */
    fallback: declared ? `${op.name}Optimistic` : 'undefined',
    usesInput: declared?.includes('input') ?? false,
  };
}

/** The push and cache roots, live collections and tags a write refreshes. */
function touchesOf(api: SyncApi, op: ApiOperation) {
  const models = op.invalidates.map((name) => api.models.find((m) => m.schemaName === name)!);
  const roots = new Set<string>();
  const live: string[] = [];
  for (const model of models) {
    if (model.sync.mode === 'live') live.push(`${api.id}/${model.names.file}`);
    else roots.add(JSON.stringify([api.id, model.names.file]));
    // cache results computed from it
    for (const cache of api.models)
      if (cache.sync.mode === 'cache' && cache.sync.invalidatedBy?.includes(model.schemaName))
        roots.add(JSON.stringify([api.id, cache.names.file]));
  }
  const segments = op.path.split('/');
  const pathTags = segments.map((_, i) => segments.slice(0, segments.length - i).join('/')).filter(Boolean);
  return {
    roots: [...roots].sort().map((root) => JSON.parse(root) as string[]),
    live: live.sort(),
    tags: [...op.invalidates.map((m) => `model:${m}`), ...pathTags.map((p) => `path:${p}`)],
  };
}

/** Where the owner's rows sit in the answer: null for one row, a path for a list; undefined when it is neither. */
function rowsOfModel(api: SyncApi, op: ApiOperation, model: SyncModel): { itemsPath: string[] | null } | undefined {
  const pointer = op.response?.schemaPointer;
  if (!pointer) return undefined;
  const schema = resolvePointer(api.document, pointer);
  if (isRowOf(schema, model.schemaName)) return { itemsPath: null };
  const itemsPath = itemsPathOf(api.document, schema, pointer, model.schemaName);
  return itemsPath ? { itemsPath } : undefined;
}

/** The x-sync `exclude` of the model whose row (or list of rows) the answer is: taken off on the client too. */
function stripOf(api: SyncApi, op: ApiOperation): { strip?: { fields: string[]; itemsPath: string[] | null } } {
  const pointer = op.response?.schemaPointer;
  if (!pointer) return {};
  const schema = resolvePointer(api.document, pointer);
  for (const model of api.models) {
    const fields = model.fields.filter((f) => f.excluded || f.writeOnly).map((f) => f.name);
    if (!fields.length) continue;
    if (isRowOf(schema, model.schemaName)) return { strip: { fields, itemsPath: null } };
    const itemsPath = itemsPathOf(api.document, schema, pointer, model.schemaName);
    if (itemsPath) return { strip: { fields, itemsPath } };
  }
  return {};
}

/** The runtime's OperationPaging of a paged query, and its first page parameter. */
function pagingView(
  api: SyncApi,
  op: ApiOperation,
  pagination: NonNullable<Extract<ApiOperation['role'], { kind: 'query' }>['pagination']>,
) {
  const start = firstPageOf(api, op.queryParams, pagination.param);
  const itemsPath = pagination.itemsPath;
  const paging =
    pagination.kind === 'page'
      ? { kind: 'page', param: pagination.param, itemsPath }
      : pagination.kind === 'offset'
        ? {
            kind: 'offset',
            param: pagination.param,
            ...(pagination.limitParam ? { limitParam: pagination.limitParam } : {}),
            itemsPath,
          }
        : pagination.nextField
          ? { kind: 'cursor', param: pagination.param, nextField: pagination.nextField[0], itemsPath }
          : {
              kind: 'cursor',
              param: pagination.param,
              moreField: pagination.fromLastRow!.moreField,
              rowKey: pagination.fromLastRow!.key,
              itemsPath,
            };
  return {
    paging: literal(paging),
    param: str(pagination.param),
    initial:
      pagination.kind === 'page' ? String(start(1)) : pagination.kind === 'offset' ? String(start(0)) : 'undefined',
    pageType: pagination.kind === 'cursor' ? 'unknown' : 'number',
    Name: pascalCase(op.name),
  };
}
