import type { IR } from '@tanstack/react-db';
import type { SqliteTableInfo, SqliteKind } from './migrate';
import type { SqliteValue } from './sqlite-driver';

/** A `WHERE` clause and its parameters; every name in it is a column of the table, quoted. */
export interface SubsetFilter {
  sql: string;
  params: SqliteValue[];
}

/** SQLite's default limit on parameters is 999 on older builds: larger `in` lists load more rows instead. */
const MAX_IN_VALUES = 500;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A live query's `where` (TanStack DB's expression, as a collection's `loadSubset` receives it) as
 * SQL over the model's local table — or `undefined` for "every row". The SQL selects a superset
 * of the matching rows, never fewer: what SQL and JavaScript may compare differently (ranges over
 * text, values of another type than the column's, JSON, functions, `not`) is left out of the
 * filter, and the live query, which filters the loaded rows itself, does the rest.
 */
export function subsetFilter(
  where: IR.BasicExpression<boolean> | undefined,
  table: SqliteTableInfo,
): SubsetFilter | undefined {
  if (!where) return undefined;
  const kinds = new Map(table.columns.map((c) => [c.name, c.kind]));
  return compile(where, kinds);
}

function compile(expression: IR.BasicExpression, kinds: Map<string, SqliteKind>): SubsetFilter | undefined {
  if (expression.type !== 'func') return undefined;
  const { name, args } = expression;
  switch (name) {
    case 'and': {
      // a part left out only widens the selection
      const parts = args.map((arg) => compile(arg, kinds)).filter((p): p is SubsetFilter => p !== undefined);
      return parts.length ? join(parts, 'AND') : undefined;
    }
    case 'or': {
      const parts = args.map((arg) => compile(arg, kinds));
      return parts.every((p): p is SubsetFilter => p !== undefined) ? join(parts, 'OR') : undefined;
    }
    case 'eq': {
      const [column, value] = columnAndValue(args, kinds);
      if (column === undefined) return undefined;
      const encoded = encode(value, kinds.get(column)!);
      return encoded === undefined ? undefined : { sql: `${q(column)} = ?`, params: [encoded] };
    }
    case 'in': {
      const [ref, list] = args;
      const column = columnOf(ref, kinds);
      if (
        column === undefined ||
        list?.type !== 'val' ||
        !Array.isArray(list.value) ||
        list.value.length > MAX_IN_VALUES
      )
        return undefined;
      const encoded = (list.value as unknown[]).map((v) => encode(v, kinds.get(column)!));
      if (encoded.some((v) => v === undefined)) return undefined;
      return encoded.length
        ? { sql: `${q(column)} IN (${encoded.map(() => '?').join(', ')})`, params: encoded as SqliteValue[] }
        : { sql: '0', params: [] };
    }
    case 'isNull': {
      const column = columnOf(args[0], kinds);
      return column === undefined ? undefined : { sql: `${q(column)} IS NULL`, params: [] };
    }
    default:
      return undefined;
  }
}

function join(parts: SubsetFilter[], operator: 'AND' | 'OR'): SubsetFilter {
  if (parts.length === 1) return parts[0];
  return { sql: parts.map((p) => `(${p.sql})`).join(` ${operator} `), params: parts.flatMap((p) => p.params) };
}

/** A column of the table named by a one-segment reference. */
function columnOf(expression: IR.BasicExpression | undefined, kinds: Map<string, SqliteKind>): string | undefined {
  if (expression?.type !== 'ref' || expression.path.length !== 1) return undefined;
  return kinds.has(expression.path[0]) ? expression.path[0] : undefined;
}

/** `eq(column, value)` either way round. */
function columnAndValue(args: IR.BasicExpression[], kinds: Map<string, SqliteKind>): [string | undefined, unknown] {
  const [a, b] = args;
  const [column, value] = a?.type === 'val' ? [columnOf(b, kinds), a] : [columnOf(a, kinds), b];
  return column !== undefined && value?.type === 'val' ? [column, value.value] : [undefined, undefined];
}

/**
 * A value as the column stores it, when SQL's `=` on it means JavaScript's `===` on the row's
 * value; undefined when it may not (another type than the column's, null, JSON).
 */
function encode(value: unknown, kind: SqliteKind): SqliteValue | undefined {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'integer':
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
    default:
      return undefined;
  }
}
