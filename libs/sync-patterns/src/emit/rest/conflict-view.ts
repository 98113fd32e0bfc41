import type { BoundOperation, SyncApi, SyncModel } from '../../model/ir';
import { objectShape } from '../../model/schema-utils';
import { literal, objectKey, str } from '../../typescript/ts-syntax';

/**
 * A model's conflict policy as the runtime takes it, a TypeScript literal ready to print; none when
 * the model declares no version (no precondition can be sent: its writes are unconditional).
 * `custom` reads the resolver the app registers with `resolve<T>Conflicts`.
 */
export function conflictView(model: SyncModel) {
  const { strategy, version, rules, preconditions } = model.conflict;
  if (version === undefined) return undefined;
  const T = model.names.type;
  const ruleEntries = Object.entries(rules).map(([name, rule]) => `${objectKey(name)}: ${str(rule)}`);
  const custom = strategy === 'custom';
  const resolverVar = `${model.names.camel}ConflictResolver`;
  const etag = version === 'etag';
  const parts = [
    `strategy: ${str(strategy)}`,
    etag ? 'etag: true' : `version: ${str(version)}`,
    ...(ruleEntries.length ? [`rules: { ${ruleEntries.join(', ')} }`] : []),
    `preconditions: ${literal(preconditions)}`,
    ...(custom ? [`resolver: () => ${resolverVar}`] : []),
  ];
  return {
    /** The policy literal, e.g. `{ strategy: 'field-merge', version: 'version', preconditions: ['update'] }`. */
    policy: `{ ${parts.join(', ')} }`,
    strategy,
    /** The version is the API's ETag header (push mode): item reads remember it, a 412 reads the row again. */
    etag,
    custom: custom ? { resolverVar, register: `resolve${T}Conflicts` } : undefined,
  };
}

/** The fields of a whole-body update (PUT, or a body with required fields) as a literal list; none for a patch. */
export function fullBodyFields(api: SyncApi, op: BoundOperation): string | undefined {
  const body = op.body!;
  const shape = objectShape(api.document, { $ref: body.schemaPointer }, body.schemaPointer);
  const writable = [...shape.properties.keys()].filter((name) => !body.readOnlyFields.includes(name));
  const whole = op.method === 'put' || writable.some((name) => shape.required.has(name));
  return whole && writable.length ? literal(writable) : undefined;
}
