import type { SyncApi, SyncField, SyncModel } from '../../model/ir';
import { deref, isNullable, isObject } from '../../model/schema-utils';

/**
 * How a column's values are stored in SQLite (STRICT tables), and so how the runtime encodes them:
 * text (strings, date-times as ISO text), integer, real, boolean (0/1), json (objects, arrays and
 * values of no single type, as JSON text).
 */
export type SqliteKind = 'text' | 'integer' | 'real' | 'boolean' | 'json';

export interface SqliteColumn {
  name: string;
  kind: SqliteKind;
  notNull: boolean;
  primaryKey: boolean;
  /** Allowed values (an OpenAPI enum or const), as a CHECK constraint. */
  values?: (string | number)[];
}

/** The local table of a live model: what `0001_<model>.sql` creates and later migrations change. */
export interface SqliteTable {
  name: string;
  /** Key first, then by name, so a spec with its keys reordered gives the same table. */
  columns: SqliteColumn[];
}

/** The table a live model's rows are kept in: every synced field (excluded and writeOnly ones are not). */
export function sqliteTableOf(api: SyncApi, model: SyncModel): SqliteTable {
  const synced = model.fields.filter((f) => !f.excluded && !f.writeOnly);
  const columns = synced.map((field) => sqliteColumnOf(api, field, field.name === model.sync.key));
  columns.sort(
    (a, b) => Number(b.primaryKey) - Number(a.primaryKey) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { name: model.sync.table, columns };
}

function sqliteColumnOf(api: SyncApi, field: SyncField, primaryKey: boolean): SqliteColumn {
  const schema = unwrap(api, field.schemaPointer);
  const column: SqliteColumn = {
    name: field.name,
    kind: kindOf(schema),
    notNull: primaryKey || (field.required && !field.nullable && !(schema && isNullable(schema))),
    primaryKey,
  };
  const values = schema && allowedValues(schema, column.kind);
  if (values) column.values = values;
  return column;
}

/** The field's schema with `$ref`s followed and a lone `allOf` member (a common way to annotate a ref) unwrapped. */
function unwrap(api: SyncApi, pointer: string): Record<string, unknown> | undefined {
  let located = deref(api.document, { $ref: pointer }, pointer);
  for (let depth = 0; located && depth < 8; depth++) {
    const allOf = located.schema['allOf'];
    if (!Array.isArray(allOf) || allOf.length !== 1) break;
    located = deref(api.document, allOf[0], `${located.pointer}/allOf/0`);
  }
  return located?.schema;
}

function kindOf(schema: Record<string, unknown> | undefined): SqliteKind {
  if (!schema) return 'json';
  const declared = Array.isArray(schema['type'])
    ? schema['type']
    : schema['type'] === undefined
      ? []
      : [schema['type']];
  const types = declared.filter((t) => t !== 'null');
  if (types.length === 0 && Array.isArray(schema['enum'])) return enumKind(schema['enum']);
  if (types.length !== 1) return 'json';
  switch (types[0]) {
    case 'string':
      return 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'real';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

function enumKind(values: unknown[]): SqliteKind {
  const present = values.filter((v) => v !== null);
  if (present.length && present.every((v) => typeof v === 'string')) return 'text';
  if (present.length && present.every((v) => Number.isInteger(v))) return 'integer';
  return 'json';
}

/** Enum or const values a CHECK can list: strings for text columns, integers for integer ones. */
function allowedValues(schema: Record<string, unknown>, kind: SqliteKind): (string | number)[] | undefined {
  const raw = Array.isArray(schema['enum']) ? schema['enum'] : 'const' in schema ? [schema['const']] : undefined;
  if (!raw) return undefined;
  const present = raw.filter((v) => v !== null);
  if (kind === 'text' && present.length && present.every((v): v is string => typeof v === 'string'))
    return [...new Set(present)].sort();
  if (kind === 'integer' && present.length && present.every((v): v is number => Number.isInteger(v)))
    return [...new Set(present)].sort((a, b) => a - b);
  return undefined;
}

/** Whether two table descriptions are the same table. */
export function sameTable(a: SqliteTable, b: SqliteTable): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function isSqliteTable(value: unknown): value is SqliteTable {
  return isObject(value) && typeof value['name'] === 'string' && Array.isArray(value['columns']);
}
