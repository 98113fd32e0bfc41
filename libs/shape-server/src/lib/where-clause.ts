/**
 * Electric's `where` parameter is SQL. The development server runs it inside its own queries, so it
 * accepts only the expression subset shapes need — column names of the table, literals, `$n`
 * parameters, comparisons, AND / OR / NOT, IN, IS [NOT] NULL, LIKE / ILIKE, BETWEEN, parentheses and
 * casts to plain type names — and refuses anything else (statements, functions, sub-queries) with a
 * 400 that names the offending token.
 */
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

export class WhereClauseError extends Error {}

export function checkWhereClause(where: string, columns: Set<string>): void {
  if (/--|\/\*/.test(where.replace(/'(?:[^']|'')*'/g, "''")))
    throw new WhereClauseError('where: comments are not supported');
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
        `where: unexpected text at character ${index + 1}: "${where.slice(index, index + 20)}"`,
      );
    index = token.lastIndex;
    const [, , , , quoted, word, operator] = match;
    if (operator && !OPERATORS.has(operator))
      throw new WhereClauseError(`where: operator "${operator}" is not supported`);
    if (word !== undefined) {
      const lower = word.toLowerCase();
      // after `::` a word is a type name (text, int4, …), checked by Postgres itself
      if (previous !== '::' && !KEYWORDS.has(lower) && !columns.has(lower) && !columns.has(word)) {
        throw new WhereClauseError(`where: "${word}" is neither a column of the table nor a supported keyword`);
      }
    }
    if (quoted !== undefined && !columns.has(quoted.slice(1, -1).replace(/""/g, '"'))) {
      throw new WhereClauseError(`where: ${quoted} is not a column of the table`);
    }
    if (
      word !== undefined &&
      previous !== '::' &&
      /^[A-Za-z_]/.test(word) &&
      where.slice(index).trimStart().startsWith('(') &&
      !KEYWORDS.has(word.toLowerCase())
    ) {
      throw new WhereClauseError(`where: function calls are not supported ("${word}(")`);
    }
    if (operator === '(') depth++;
    if (operator === ')' && --depth < 0)
      throw new WhereClauseError(`where: ")" at character ${index} closes a parenthesis that was not opened`);
    previous = operator ?? word ?? '';
  }
  if (depth > 0) throw new WhereClauseError('where: a parenthesis is not closed');
}
