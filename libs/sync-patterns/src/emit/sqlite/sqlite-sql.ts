import type { SqliteColumn, SqliteKind, SqliteTable } from './sqlite-table';

/**
 * SQLite statements from table descriptions. Every identifier is quoted and every value a
 * literal with its quotes doubled, so no name or enum value from a spec can end a statement.
 */

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  // NUL cannot appear in SQL text; enum values holding it are not representable
  return `'${value.replace(/\u0000/g, '').replace(/'/g, "''")}'`;
}

const SQL_TYPE: Record<SqliteKind, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  boolean: 'INTEGER',
  json: 'TEXT',
};

function columnSql(column: SqliteColumn, withDefault = false): string {
  const name = quoteIdent(column.name);
  const parts = [name, SQL_TYPE[column.kind]];
  // SQLite lets a non-integer PRIMARY KEY hold NULL unless told otherwise
  if (column.notNull) parts.push('NOT NULL');
  if (column.primaryKey) parts.push('PRIMARY KEY');
  if (withDefault && column.notNull) parts.push(`DEFAULT ${placeholder(column)}`);
  const check = checkSql(column);
  if (check) parts.push(`CHECK (${check})`);
  return parts.join(' ');
}

function checkSql(column: SqliteColumn): string | undefined {
  const name = quoteIdent(column.name);
  if (column.values) return `${name} IN (${column.values.map(quoteLiteral).join(', ')})`;
  if (column.kind === 'boolean') return `${name} IN (0, 1)`;
  if (column.kind === 'json') return `json_valid(${name})`;
  return undefined;
}

/** A value that satisfies the column, for rows that existed before the column did. */
function placeholder(column: SqliteColumn): string {
  if (column.values) return quoteLiteral(column.values[0]);
  switch (column.kind) {
    case 'text':
      return "''";
    case 'json':
      return "'null'";
    case 'real':
      return '0.0';
    default:
      return '0';
  }
}

export function createTableSql(table: SqliteTable, name = table.name): string {
  return `CREATE TABLE ${quoteIdent(name)} (\n${table.columns.map((c) => `  ${columnSql(c)}`).join(',\n')}\n) STRICT;\n`;
}

/**
 * The statements that turn table `from` into table `to` with the rows kept: ADD COLUMN when only
 * columns were added, otherwise SQLite's table-rebuild recipe (new table, copy, drop, rename).
 * Columns that did not exist, or changed type, get a placeholder in old rows (NULL where allowed);
 * rows that break a new constraint are dropped. Either way the shape's columns changed, so the
 * stream starts over and the server's values replace the placeholders.
 */
export function migrationSql(from: SqliteTable, to: SqliteTable): string {
  const before = new Map(from.columns.map((c) => [c.name, c]));
  const after = new Map(to.columns.map((c) => [c.name, c]));
  const added = to.columns.filter((c) => !before.has(c.name));
  const removed = from.columns.filter((c) => !after.has(c.name));
  const changed = to.columns.filter(
    (c) => before.has(c.name) && JSON.stringify(before.get(c.name)) !== JSON.stringify(c),
  );
  if (from.name === to.name && !removed.length && !changed.length && added.every((c) => !c.primaryKey)) {
    return added.map((c) => `ALTER TABLE ${quoteIdent(to.name)} ADD COLUMN ${columnSql(c, true)};\n`).join('');
  }
  const scratch = `${to.name}__sync_patterns_new`;
  /** How an old row's value becomes the new column's: as it is, widened (integer → real), or not at all. */
  const carried = (column: SqliteColumn): string | undefined => {
    const old = before.get(column.name);
    if (old?.kind === column.kind) return quoteIdent(column.name);
    if (old?.kind === 'integer' && column.kind === 'real') return `CAST(${quoteIdent(column.name)} AS REAL)`;
    return undefined;
  };
  const kept = (column: SqliteColumn) => carried(column) !== undefined;
  const targets = to.columns.map((c) => quoteIdent(c.name)).join(', ');
  const sources = to.columns.map((c) => carried(c) ?? (c.notNull ? placeholder(c) : 'NULL')).join(', ');
  // rows keyed differently cannot be carried over; the stream brings them back
  const copy = to.columns.filter((c) => c.primaryKey).every(kept);
  return [
    `DROP TABLE IF EXISTS ${quoteIdent(scratch)};`,
    createTableSql(to, scratch).trimEnd(),
    ...(copy
      ? [
          `INSERT OR IGNORE INTO ${quoteIdent(scratch)} (${targets})\n  SELECT ${sources} FROM ${quoteIdent(from.name)};`,
        ]
      : []),
    `DROP TABLE ${quoteIdent(from.name)};`,
    `ALTER TABLE ${quoteIdent(scratch)} RENAME TO ${quoteIdent(to.name)};`,
    '',
  ].join('\n');
}
