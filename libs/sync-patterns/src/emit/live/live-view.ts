import type { BoundOperation, SyncApi, SyncModel } from '../../model/ir';
import { deref, objectShape } from '../../model/schema-utils';
import { nameList, type PushView } from '../rest/push-view';
import { fullBodyFields } from '../rest/conflict-view';
import { literal, literalAt, str } from '../../typescript/ts-syntax';

/** What live-mode templates need beyond the push view: the shape, the column kinds, the writes. */
export function liveView(api: SyncApi, model: SyncModel, push: PushView) {
  const synced = model.fields.filter((f) => !f.excluded && !f.writeOnly);
  const kinds: Record<string, string> = {};
  for (const field of synced) kinds[field.name] = columnKind(api, field.schemaPointer);
  const { create, update } = model.operations;
  const remove = model.operations.delete;
  // a row validator that requires a field the shape leaves out would refuse every synced row
  const validatesRows =
    push.rowValidator !== undefined && !model.fields.some((f) => (f.excluded || f.writeOnly) && f.required);
  const { type: T, camel: c } = model.names;
  return {
    table: str(model.sync.table),
    where: model.sync.where === undefined ? undefined : str(model.sync.where),
    /** x-sync.sync: on-demand — each live query loads its rows (a subset of the shape) when it runs. */
    onDemand: model.sync.sync === 'on-demand',
    /** The list's paging parameters (offset paging with a page size), which page the live query too. */
    paging: (() => {
      const pagination = model.operations.list?.pagination;
      if (pagination?.kind !== 'offset' || !pagination.limitParam) return undefined;
      return literal({ limit: pagination.limitParam, offset: pagination.param });
    })(),
    // laid out where they are printed: live-hooks.ejs's `const …Columns: readonly string[] = […];`,
    // collection.ejs's `  columns: […],` and `      kinds: {…} as const,`
    columns: literalAt(
      synced.map((f) => f.name),
      `const ${model.names.camel}Columns: readonly string[] = `.length,
      '',
    ),
    shapeColumns: literalAt(
      synced.map((f) => f.name),
      '  columns: '.length,
      '  ',
    ),
    kinds: literalAt(kinds, '      kinds: '.length + ' as const'.length, '      '),
    absentWhenNull: (() => {
      const names = synced.filter((f) => !f.required && !f.nullable && f.name !== model.sync.key).map((f) => f.name);
      return names.length ? literal(names) : undefined;
    })(),
    collectionId: str(`${api.id}/${model.names.file}`),
    validatesRows,
    createReadOnly: create ? literal(create.body!.readOnlyFields) : '[]',
    /**
     * Who makes a new row's key: the client (a UUID it generates when the input leaves it out), the
     * caller (the input carries it; a draft key when left out), or the server (a draft key stands in,
     * never sent, until the synced row arrives under the saved key).
     */
    newKey: model.clientGeneratedKey
      ? ('uuid' as const)
      : model.keyInCreateInput
        ? ('caller' as const)
        : ('server' as const),
    /** The kind of draft key a row gets until the server has saved it. */
    draftKind: str(model.keyKind),
    /** What a create's body leaves out: read-only fields, and the key when the server makes it. */
    createOmits: create
      ? literal([...new Set([...create.body!.readOnlyFields, ...(model.keyInCreateInput ? [] : [model.sync.key])])])
      : '[]',
    /** The body's fields when an update must send the whole body (PUT, or required fields): TanStack DB's changes hold only what differs. */
    fullUpdateBody: update && !push.update?.partial ? fullBodyFields(api, update) : undefined,
    /** A column whose value a test can make malformed (not free-form JSON, not the key), a string literal: only where rows are validated (else none is refused). */
    malformedField: (() => {
      const field = validatesRows
        ? synced.find((f) => f.name !== model.sync.key && kinds[f.name] !== 'json')
        : undefined;
      return field && str(field.name);
    })(),
    what: {
      create: str(`${model.names.type} create input`),
      update: str(`${model.names.type} update input`),
    },
    /** What each live file imports by name, a list ready to print between braces. */
    imports: {
      /** The collection's types from `<model>.types`. */
      collectionTypes: nameList(T, `${T}Id`, push.create && `${T}CreateInput`, push.update && `${T}UpdateInput`),
      /** The collection's schemas from `<model>.validators`. */
      collectionSchemas: nameList(
        validatesRows && `${c}Schema`,
        push.create && `${c}CreateInputSchema`,
        push.update && `${c}UpdateInputSchema`,
      ),
      /** The live hooks' collection and helpers from `<model>.collection`. */
      hooksCollection: nameList(
        `${c}Collection`,
        `${c}LiveStatus`,
        push.create && `${c}RowFromInput`,
        push.update && `validate${T}Patch`,
      ),
      /** The live hooks' types from `<model>.types`. */
      hooksTypes: nameList(
        T,
        (push.get || push.update || push.remove) && `${T}Id`,
        push.list && `${T}ListParams`,
        push.create && `${T}CreateInput`,
        push.update && `${T}UpdateInput`,
      ),
    },
  };
}

export type LiveView = ReturnType<typeof liveView>;

/** The kind of value the OpenAPI type of a column promises (see the runtime's ColumnKind). */
function columnKind(api: SyncApi, pointer: string): string {
  const schema = deref(api.document, { $ref: pointer }, pointer)?.schema ?? {};
  const types = (Array.isArray(schema['type']) ? schema['type'] : [schema['type']]).filter(
    (t) => typeof t === 'string' && t !== 'null',
  );
  const type = types[0];
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'object' || type === 'array') return 'json';
  if (type === 'string' && schema['format'] === 'date-time') return 'date-time';
  return 'string';
}

/** The writable fields of an update body that replaces the row (PUT) or insists on fields (required): all of them go every time. */
