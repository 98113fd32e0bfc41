/**
 * A client's subset request (TanStack DB's on-demand loads: `subset__where`, `subset__order_by`) is
 * ANDed by Electric with the shape's pinned where, so it cannot widen the rows; but a condition on
 * a column the client may not read would still leak it (`internal_notes LIKE 'a%'` tells by which
 * rows come back). So every name it uses must be an allowed column, and sub-queries are refused.
 * Electric parses the text itself: this is an allow-list of names, not a SQL guard.
 */
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'null',
  'true',
  'false',
  'like',
  'ilike',
  'between',
  'any',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
]);
const FUNCTIONS = new Set(['upper', 'lower', 'length', 'concat', 'coalesce']);

/** The first name in `text` that is neither an allowed column nor a keyword, function or type; undefined when all are. */
export function disallowedName(text: string, allowed: ReadonlySet<string>): string | undefined {
  const token =
    /\s*(?:('(?:[^']|'')*')|(\$[0-9]+)|([0-9]+(?:\.[0-9]+)?)|("(?:[^"]|"")+")|([A-Za-z_][A-Za-z0-9_$]*)|(::|<>|!=|<=|>=|\|\||[=<>(),+\-*/%[\].]))/y;
  let index = 0;
  let previous = '';
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) return undefined;
    token.lastIndex = index;
    const match = token.exec(text);
    if (!match) return text.slice(index).trim().slice(0, 20);
    index = token.lastIndex;
    const [, , , , quoted, word, operator] = match;
    const after = text.slice(index).trimStart();
    if (word !== undefined) {
      const lower = word.toLowerCase();
      const isType = previous === '::';
      const isCall = FUNCTIONS.has(lower) && after.startsWith('(');
      if (lower === 'select') return word; // a sub-query reads beyond the shape
      if (!isType && !isCall && !KEYWORDS.has(lower) && !allowed.has(lower) && !allowed.has(word)) return word;
    }
    if (quoted !== undefined) {
      const name = quoted.slice(1, -1).replace(/""/g, '"');
      if (!allowed.has(name)) return name;
    }
    previous = operator ?? word ?? '';
  }
  return undefined;
}
