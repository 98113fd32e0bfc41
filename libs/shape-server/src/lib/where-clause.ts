/**
 * Electric's `where` parameter is SQL. The development server runs it inside its own queries, so it
 * accepts only the expression subset shapes need — column names of the table, literals, `$n`
 * parameters, comparisons, AND / OR / NOT, IN, IS [NOT] NULL, LIKE / ILIKE, BETWEEN, parentheses and
 * casts to plain type names, and the pure functions Electric's client writes for TanStack DB's
 * queries (upper, lower, length, concat, coalesce) — and refuses anything else (statements, other
 * functions, sub-queries) with a 400 that names the offending token.
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

export function checkWhereClause(where: string, columns: Set<string>, parameter = 'where'): void {
  if (/--|\/\*/.test(where.replace(/'(?:[^']|'')*'/g, "''")))
    throw new WhereClauseError(`${parameter}: comments are not supported`, parameter);
  const token =
    /\s*(?:('(?:[^']|'')*')|(\$[1-9][0-9]*)|([0-9]+(?:\.[0-9]+)?)|("(?:[^"]|"")+")|([A-Za-z_][A-Za-z0-9_]*)|(::|<>|!=|<=|>=|\|\||[=<>(),+\-*/%[\]]))/y;
  let index = 0;
  let previous = '';
  // the clause is put inside parentheses of the server's own queries: it must not close them
  let depth = 0;
  while (index < where.length) {
    if (/^\s*$/.test(where.slice(index))) break;
    token.lastIndex = index;
    const match = token.exec(where);
    if (!match)
      throw new WhereClauseError(
        `${parameter}: unexpected text at character ${index + 1}: "${where.slice(index, index + 20)}"`,
        parameter,
      );
    index = token.lastIndex;
    const [, , , , quoted, word, operator] = match;
    if (operator && !OPERATORS.has(operator))
      throw new WhereClauseError(`${parameter}: operator "${operator}" is not supported`, parameter);
    if (word !== undefined) {
      const lower = word.toLowerCase();
      // after `::` a word is a type name (text, int4, …), checked by Postgres itself
      const call = FUNCTIONS.has(lower) && where.slice(index).trimStart().startsWith('(');
      if (previous !== '::' && !call && !KEYWORDS.has(lower) && !columns.has(lower) && !columns.has(word)) {
        throw new WhereClauseError(
          `${parameter}: "${word}" is neither a column of the table nor a supported keyword`,
          parameter,
        );
      }
    }
    if (quoted !== undefined && !columns.has(quoted.slice(1, -1).replace(/""/g, '"'))) {
      throw new WhereClauseError(`${parameter}: ${quoted} is not a column of the table`, parameter);
    }
    if (
      word !== undefined &&
      previous !== '::' &&
      /^[A-Za-z_]/.test(word) &&
      where.slice(index).trimStart().startsWith('(') &&
      !KEYWORDS.has(word.toLowerCase()) &&
      !FUNCTIONS.has(word.toLowerCase())
    ) {
      throw new WhereClauseError(`${parameter}: function calls are not supported ("${word}(")`, parameter);
    }
    if (operator === '(') depth++;
    if (operator === ')' && --depth < 0)
      throw new WhereClauseError(
        `${parameter}: ")" at character ${index} closes a parenthesis that was not opened`,
        parameter,
      );
    previous = operator ?? word ?? '';
  }
  if (depth > 0) throw new WhereClauseError(`${parameter}: a parenthesis is not closed`, parameter);
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
