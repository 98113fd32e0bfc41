import type { ApiOperation, SyncApi } from '../../model/ir';
import { pascalCase } from '../../model/naming';

/** What one operation of the spec became, as `validate` and `generate --json` report it. */
export interface OperationOutcome {
  /** `list` … `delete` (a model's own operation), `query` or `mutation`. */
  as: string;
  /** The library that exports it: a model's folder, or `core`. */
  library: string;
  /** The model it belongs to (schema name), if any. */
  model?: string;
  function: string;
  /** Query or mutation options, for TanStack Query outside a component. */
  options: string[];
  hooks: string[];
}

/** The names an operation function's file exports, from the operation's name. */
export function operationExports(op: ApiOperation) {
  const Name = pascalCase(op.name) === op.name ? op.name : op.name.charAt(0).toUpperCase() + op.name.slice(1);
  const paged = op.role.kind === 'query' && op.role.pagination !== undefined;
  return {
    fn: op.name,
    variables: `${Name}Variables`,
    result: `${Name}Result`,
    queryOptions: `${op.name}QueryOptions`,
    infiniteOptions: `${op.name}InfiniteQueryOptions`,
    mutationOptions: `${op.name}MutationOptions`,
    touchesConst: `${op.name}Touches`,
    write: `${op.name}Write`,
    hook: `use${Name}`,
    suspenseHook: `use${Name}Suspense`,
    infiniteHook: `use${Name}Infinite`,
    /** A paged query: it has the infinite options and hook. */
    paged,
  };
}

export function operationOutcome(api: SyncApi, op: ApiOperation): OperationOutcome {
  const owner = op.owner === undefined ? undefined : api.models.find((m) => m.schemaName === op.owner);
  const library = owner?.names.file ?? 'core';
  if (op.role.kind === 'bound') {
    // made by the model's mode, under the model's names (see the push, live and cache targets)
    const model = owner!;
    const { type: T, plural } = model.names;
    const hook = op.role.as === 'list' ? `use${plural}` : op.role.as === 'get' ? `use${T}` : `use${T}Mutations`;
    return { as: op.role.as, library, model: model.schemaName, function: op.name, options: [], hooks: [hook] };
  }
  const names = operationExports(op);
  return {
    as: op.role.kind,
    library,
    ...(owner ? { model: owner.schemaName } : {}),
    function: names.fn,
    options:
      op.role.kind === 'query'
        ? [names.queryOptions, ...(names.paged ? [names.infiniteOptions] : [])]
        : [names.mutationOptions],
    hooks:
      op.role.kind === 'query'
        ? [names.hook, names.suspenseHook, ...(names.paged ? [names.infiniteHook] : [])]
        : [names.hook],
  };
}
