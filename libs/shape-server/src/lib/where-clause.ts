/**
 * Electric's `where` parameter is SQL. The development server runs it inside its own queries, so it
 * accepts only the expression subset shapes need — column names of the table, literals, `$n`
 * parameters, comparisons, AND / OR / NOT, IN, IS [NOT] NULL, LIKE / ILIKE, BETWEEN, parentheses and
 * casts to plain type names, the pure functions Electric's client writes for TanStack DB's queries
 * (upper, lower, length, concat, coalesce), and sub-queries of one column of one table
 * (`project_id IN (SELECT id FROM projects WHERE owner_id = $1)`, nested too) — and refuses anything
 * else (statements, other functions, other sub-queries) with a 400 that names the offending token.
 */
const FUNCTIONS = new Set(['upper', 'lower', 'length', 'concat', 'coalesce']);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'like', 'ilike', 'between', 'any']);
const OPERATORS = new Set([
  '=',
  '<>',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '(',
  ')',
  ',',
  '::',
  '+',
  '-',
  '*',
  '/',
  '%',
  '||',
  '[',
  ']',
]);

export class WhereClauseError extends Error {
  constructor(
    message: string,
    /** The request parameter it is about (`where`, `subset__where`). */
    readonly parameter = 'where',
  ) {
    super(message);
  }
}

interface Token {
  /** Where it starts (0-based) and ends. */
  at: number;
  end: number;
  quoted?: string;
  word?: string;
  operator?: string;
}

function tokenize(where: string, parameter: string): Token[] {
  if (/--|\/\*/.test(where.replace(/'(?:[^']|'')*'/g, "''")))
    throw new WhereClauseError(`${parameter}: comments are not supported`, parameter);
  const pattern =
    /\s*(?:('(?:[^']|'')*')|(\$[1-9][0-9]*)|([0-9]+(?:\.[0-9]+)?)|("(?:[^"]|"")+")|([A-Za-z_][A-Za-z0-9_]*)|(::|<>|!=|<=|>=|\|\||[=<>(),+\-*/%[\]]))/y;
  const tokens: Token[] = [];
  let index = 0;
  while (index < where.length) {
    if (/^\s*$/.test(where.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(where);
    if (!match)
      throw new WhereClauseError(
        `${parameter}: unexpected text at character ${index + 1}: "${where.slice(index, index + 20)}"`,
        parameter,
      );
    const [all, , , , quoted, word, operator] = match;
    const at = index + all.length - all.trimStart().length;
    index = pattern.lastIndex;
    tokens.push({ at, end: index, quoted, word, operator });
  }
  return tokens;
}

/** The tables the clause's sub-queries read (`(SELECT x FROM <table>`), as written: their columns are needed to check it. */
export function subqueryTables(where: string, parameter = 'where'): string[] {
  const tokens = tokenize(where, parameter);
  const tables = new Set<string>();
  tokens.forEach((token, i) => {
    const table = tokens[i + 3];
    if (token.word?.toLowerCase() === 'select' && tokens[i + 2]?.word?.toLowerCase() === 'from' && table)
      tables.add(table.word ? table.word.toLowerCase() : (table.quoted ?? '').slice(1, -1).replace(/""/g, '"'));
  });
  return [...tables];
}

/** A table a sub-query may read: its columns, and its name as the SQL run names it (schema-qualified). */
export interface SubqueryTable {
  columns: Set<string>;
  sql: string;
}

/** A checked clause: as the server runs it (sub-queries' tables schema-qualified), and each sub-query's text. */
export interface CheckedWhere {
  sql: string;
  subqueries: string[];
}

/**
 * Checks a clause against the table's columns and, for sub-queries, their tables' columns
 * (`tables`, by name as written; a sub-query of a table not there is refused).
 */
export function checkWhereClause(
  where: string,
  columns: Set<string>,
  parameter = 'where',
  tables: ReadonlyMap<string, SubqueryTable> = new Map(),
): CheckedWhere {
  const tokens = tokenize(where, parameter);
  const fail = (message: string): never => {
    throw new WhereClauseError(`${parameter}: ${message}`, parameter);
  };
  // the clause is put inside parentheses of the server's own queries: it must not close them
  let depth = 0;
  // the columns names refer to: the table's, then each open sub-query's table's
  const scopes: { columns: Set<string>; depth: number; start: number }[] = [{ columns, depth: 0, start: 0 }];
  const subqueries: { start: number; end: number }[] = [];
  /** Sub-queries' table names, replaced by their qualified names in the SQL run. */
  const renamed: { at: number; end: number; sql: string }[] = [];
  const nameOf = (token: Token) =>
    token.word !== undefined ? token.word.toLowerCase() : token.quoted!.slice(1, -1).replace(/""/g, '"');
  let previous = '';
  for (let i = 0; i < tokens.length; i++) {
    const { word, quoted, operator } = tokens[i];
    const scope = scopes[scopes.length - 1];
    const lower = word?.toLowerCase();
    if (lower === 'select') {
      // `( SELECT <column> FROM <table>` [WHERE …] `)`
      const [column, from, table] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
      if (previous !== '(') fail(`SELECT is only supported as a sub-query: "x IN (SELECT column FROM table …)"`);
      if (!column || (column.word === undefined && column.quoted === undefined) || from?.word?.toLowerCase() !== 'from')
        fail('a sub-query selects one column: "(SELECT column FROM table …)"');
      if (!table || (table.word === undefined && table.quoted === undefined) || tokens[i + 4]?.operator === '.')
        fail("a sub-query reads one table of the shape's schema, named without a schema");
      const read = tables.get(nameOf(table));
      if (!read)
        fail(
          `sub-query table "${nameOf(table)}" does not exist or is not served (set it up with installChangeCapture)`,
        );
      if (!read!.columns.has(nameOf(column))) fail(`"${nameOf(column)}" is not a column of ${nameOf(table)}`);
      renamed.push({ at: table.at, end: table.end, sql: read!.sql });
      const next = tokens[i + 4];
      if (next && next.word?.toLowerCase() !== 'where' && next.operator !== ')')
        fail(`a sub-query of ${nameOf(table)} goes on with WHERE or ends with ")"`);
      scopes.push({ columns: read!.columns, depth, start: tokens[i].at });
      i += next?.word?.toLowerCase() === 'where' ? 4 : 3;
      previous = next?.word?.toLowerCase() === 'where' ? 'where' : nameOf(table);
      continue;
    }
    if (operator && !OPERATORS.has(operator)) fail(`operator "${operator}" is not supported`);
    if (word !== undefined) {
      // after `::` a word is a type name (text, int4, …), checked by Postgres itself
      const call = FUNCTIONS.has(lower!) && tokens[i + 1]?.operator === '(';
      if (previous !== '::' && !call && !KEYWORDS.has(lower!) && !scope.columns.has(lower!) && !scope.columns.has(word))
        fail(`"${word}" is neither a column of the table nor a supported keyword`);
      if (previous !== '::' && tokens[i + 1]?.operator === '(' && !KEYWORDS.has(lower!) && !FUNCTIONS.has(lower!))
        fail(`function calls are not supported ("${word}(")`);
    }
    if (quoted !== undefined && !scope.columns.has(nameOf(tokens[i]))) fail(`${quoted} is not a column of the table`);
    if (operator === '(') depth++;
    if (operator === ')') {
      if (--depth < 0) fail(`")" at character ${tokens[i].end} closes a parenthesis that was not opened`);
      if (scopes.length > 1 && depth === scope.depth - 1) {
        subqueries.push({ start: scope.start, end: tokens[i].at });
        scopes.pop();
      }
    }
    previous = operator ?? lower ?? '';
  }
  if (depth > 0) fail('a parenthesis is not closed');
  let sql = where;
  for (const name of [...renamed].reverse()) sql = sql.slice(0, name.at) + name.sql + sql.slice(name.end);
  const shift = (position: number) =>
    position + renamed.filter((r) => r.at < position).reduce((sum, r) => sum + r.sql.length - (r.end - r.at), 0);
  return {
    sql,
    subqueries: subqueries
      .sort((a, b) => a.start - b.start)
      .map((part) => sql.slice(shift(part.start), shift(part.end)).trim()),
  };
}

/** `$1` → `$(1 + by)` outside literals and quoted names: a subset's parameters follow the shape's. */
export function renumberParams(where: string, by: number): string {
  if (by === 0) return where;
  return where.replace(/('(?:[^']|'')*')|("(?:[^"]|"")*")|\$([1-9][0-9]*)/g, (all, literal, quoted, n) =>
    n === undefined ? all : `$${Number(n) + by}`,
  );
}

/**
 * A subset's `order_by` (`"title" DESC NULLS LAST, id`), checked and written again from its parts:
 * columns of the table, each with an optional direction and nulls placement, nothing else.
 */
export function checkOrderBy(orderBy: string, columns: Set<string>, alias: string, parameter: string): string {
  const item = /^\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*))(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;
  const parts = orderBy.match(/(?:"(?:[^"]|"")*"|[^,])+/g) ?? [];
  if (parts.length === 0) throw new WhereClauseError(`${parameter}: empty`, parameter);
  return parts
    .map((part) => {
      const match = item.exec(part);
      if (!match)
        throw new WhereClauseError(
          `${parameter}: cannot read "${part.trim()}" (a column, then ASC or DESC, then NULLS FIRST or LAST)`,
          parameter,
        );
      const column = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].toLowerCase();
      if (!columns.has(column))
        throw new WhereClauseError(`${parameter}: "${column}" is not a column of the table`, parameter);
      const direction = match[3] ? ` ${match[3].toUpperCase()}` : '';
      const nulls = match[4] ? ` NULLS ${match[4].toUpperCase()}` : '';
      return `${alias}."${column.replace(/"/g, '""')}"${direction}${nulls}`;
    })
    .join(', ');
}
