import type { SyncApi } from '../../model/ir';
import { literalBlock } from '../../typescript/ts-syntax';

/**
 * The api's shape policy: per table a live model syncs, what the server lets a client read — the
 * columns (every property x-sync does not exclude) and the rows (the model's where with positional
 * parameters, and the principal's values that fill them). The shape proxy enforces it.
 */
export function shapePolicy(api: SyncApi): Record<string, object> | undefined {
  const live = api.models.filter((m) => m.sync.mode === 'live');
  if (!live.length) return undefined;
  const policy: Record<string, object> = {};
  for (const model of live)
    policy[model.sync.table] = {
      model: model.schemaName,
      columns: model.fields.filter((f) => !f.excluded && !f.writeOnly).map((f) => f.name),
      ...(model.shape ? { where: model.shape.where } : {}),
      ...(model.shape?.params.length ? { params: model.shape.params } : {}),
    };
  return policy;
}

/** The policy as core/shape-policy.ejs prints it: an object literal, one entry per table. */
export function shapePolicyLiteral(policy: Record<string, object>): string {
  return literalBlock(policy, 100);
}
