/** A table as Postgres names it, schema included. */
export interface TableName {
  schema: string;
  table: string;
}

/** `"schema"."table"`: identifiers are always quoted, so no name can break out of them. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(name: TableName): string {
  return `${quoteIdent(name.schema)}.${quoteIdent(name.table)}`;
}

/** Electric's `table` parameter: `todos` (schema public) or `app.todos`; quoted parts may hold dots. */
export function parseTableName(value: string): TableName | undefined;
export function parseTableName(value: string, defaultSchema: null): { schema?: string; table: string } | undefined;
export function parseTableName(
  value: string,
  defaultSchema: string | null = 'public',
): { schema?: string; table: string } | undefined {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(\.|$)/y;
  let index = 0;
  while (index < value.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(value);
    if (!match) return undefined;
    parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].toLowerCase());
    index = pattern.lastIndex;
    if (match[3] === '') break;
  }
  if (parts.length === 1)
    return defaultSchema === null ? { table: parts[0] } : { schema: defaultSchema, table: parts[0] };
  if (parts.length === 2) return { schema: parts[0], table: parts[1] };
  return undefined;
}
