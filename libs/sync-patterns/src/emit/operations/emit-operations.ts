import type { SyncModel } from '../../model/ir';
import type { GeneratedFile } from '../file-set';
import { renderTemplate } from '../render-template';
import type { EmitContext } from '../target';
import { operationsView } from './operations-view';

/** True when the library of `owner` (undefined: the core library) holds operation functions. */
export function hasOperations(ctx: Pick<EmitContext, 'api'>, owner: SyncModel | undefined): boolean {
  return ctx.api.operations.some((op) => op.role.kind !== 'bound' && op.owner === owner?.schemaName);
}

/**
 * The operation files of a model's library (`<model>.operations.ts`, `<model>.operation-hooks.ts`)
 * or of the core library (`operations.ts`, `operation-hooks.ts`): none when it holds no operation.
 */
export function emitOperations(
  ctx: Pick<EmitContext, 'api' | 'coreImport' | 'framework'>,
  owner: SyncModel | undefined,
  header: string,
): GeneratedFile[] {
  if (!hasOperations(ctx, owner)) return [];
  const view = operationsView(ctx.api, owner, header, ctx.coreImport);
  const dir = owner ? `${owner.names.file}/src/lib/${owner.names.file}.` : 'core/src/lib/';
  return [
    { path: `${dir}operations.ts`, content: renderTemplate('operations/operations', view) },
    { path: `${dir}operation-hooks.ts`, content: ctx.framework.operationHooks(view) },
  ];
}
