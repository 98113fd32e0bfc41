import type { SyncApi } from '../../model/ir';
import { camelCase, typeName, uniqueNames } from '../../model/naming';
import { directRefs, isObject } from '../../model/schema-utils';
import { resolvePointer } from '../../openapi/json-pointer';
import { untracked } from '../../openapi/read-tracking';

/** Names shared by the core library and every model library of one api; computed once per api. */
export interface ApiNames {
  client: string;
  configure: string;
  /** The core library's fake-data definitions (its testing entry). */
  fakeDefinitions: string;
  /** Validator const of each component schema that some model needs. */
  validators: Map<string, string>;
}

const memo = new WeakMap<SyncApi, ApiNames>();

export function apiNames(api: SyncApi): ApiNames {
  let names = memo.get(api);
  if (!names) {
    const needed = [...untracked(api.document, () => neededComponents(api))];
    const unique = uniqueNames(
      needed,
      (n) => n,
      (n) => `${typeName(n)}Schema`,
    );
    names = withBaseNames(api, new Map(needed.sort().map((n) => [n, unique.get(n)!])));
    memo.set(api, names);
  }
  return names;
}

/**
 * Where the walk for the validators starts: each model's row and its write bodies. With these and
 * the `$ref`s between schemas unchanged, the validators' names are what they were
 * (incremental/incremental-emit.ts carries them over instead of walking again).
 */
export function validatorSeeds(api: SyncApi): string {
  return JSON.stringify(
    api.models.map((m) => [
      m.schemaPointer,
      m.operations.create?.body?.schemaPointer ?? null,
      m.operations.update?.body?.schemaPointer ?? null,
    ]),
  );
}

/** An earlier run's validator names, for an api whose seeds and `$ref`s are as they were then. */
export function declareValidatorNames(api: SyncApi, validators: [string, string][]): void {
  memo.set(api, withBaseNames(api, new Map(validators)));
}

function withBaseNames(api: SyncApi, validators: Map<string, string>): ApiNames {
  const base = camelCase(api.id);
  return {
    client: `${base}Client`,
    configure: `configure${base.charAt(0).toUpperCase()}${base.slice(1)}`,
    fakeDefinitions: `${base}FakeDefinitions`,
    validators,
  };
}

/** The component schemas reachable from any model's row or write bodies: what needs a validator. */
function neededComponents(api: SyncApi): Set<string> {
  const components = isObject(api.document['components'])
    ? (api.document['components'] as Record<string, unknown>)['schemas']
    : undefined;
  const schemas = isObject(components) ? components : {};
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (value: unknown) =>
    directRefs(value).forEach((n) => {
      if (!seen.has(n) && n in schemas) {
        seen.add(n);
        queue.push(n);
      }
    });
  for (const model of api.models) {
    visit({ $ref: model.schemaPointer });
    for (const op of [model.operations.create, model.operations.update]) {
      if (op?.body) visit(resolvePointer(api.document, op.body.schemaPointer));
    }
  }
  while (queue.length) visit(schemas[queue.pop()!]);
  return seen;
}
