/**
 * A live model's `x-sync.where`, read at generation: the condition the server pins on the model's
 * shape (Electric's `where`). It is parsed against the grammar shapes support — columns, literals,
 * named parameters bound on the server from the signed-in principal (`$user`, `$org`), comparisons,
 * AND / OR / NOT, IN lists and sub-queries (`project_id IN (SELECT id FROM projects WHERE owner_id =
 * $user)`), IS [NOT] NULL, LIKE / ILIKE, BETWEEN, casts and a few pure functions — so a typo or a
 * clause that would break out of its parentheses is a pointer error here, not a 400 in production.
 */

const FUNCTIONS = new Set(['upper', 'lower', 'length', 'concat', 'coalesce']);
const RESERVED = new Set([
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
  'select',
  'from',
  'where',
]);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||']);

type Token =
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'param'; name: string; at: number }
  | { kind: 'word'; text: string; quoted: boolean; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'end'; at: number };

/** A column the clause reads: of the model's table (`table` undefined), or of a sub-query's table. */
export interface WhereColumn {
  name: string;
  table?: string;
}

export interface ParsedWhere {
  /** The clause with each named parameter replaced by its position (`$user` → `$1`), as Electric takes it. */
  positional: string;
  /** The named parameters in position order: `params[0]` is `$1`. */
  params: string[];
  columns: WhereColumn[];
  /** The tables sub-queries read (their changes move rows in and out of the shape). */
  tables: string[];
}

export class WhereSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Parses a where clause; throws a WhereSyntaxError naming the character it stopped at. */
export function parseShapeWhere(where: string): ParsedWhere {
  const tokens = tokenize(where);
  const columns: WhereColumn[] = [];
  const tables: string[] = [];
  let index = 0;
  const peek = (offset = 0) => tokens[Math.min(index + offset, tokens.length - 1)];
  const next = () => tokens[index++];
  const isWord = (token: Token, ...words: string[]) =>
    token.kind === 'word' && !token.quoted && words.includes(token.text.toLowerCase());
  const isOp = (token: Token, ...ops: string[]) => token.kind === 'op' && ops.includes(token.text);
  const fail = (token: Token, expected: string): never => {
    const found = token.kind === 'end' ? 'the end' : `"${where.slice(token.at, token.at + 20).split(/\s/)[0]}"`;
    throw new WhereSyntaxError(`expected ${expected} at character ${token.at + 1}, found ${found}`, token.at);
  };
  const expectOp = (op: string) => (isOp(peek(), op) ? next() : fail(peek(), `"${op}"`));
  const identifier = (what: string): string => {
    const token = peek();
    if (token.kind !== 'word' || (!token.quoted && RESERVED.has(token.text.toLowerCase()))) return fail(token, what);
    next();
    return token.quoted ? token.text : token.text.toLowerCase();
  };

  // scope: the table whose columns bare names refer to (undefined: the model's)
  const expression = (scope?: string): void => {
    conjunction(scope);
    while (isWord(peek(), 'or')) {
      next();
      conjunction(scope);
    }
  };
  const conjunction = (scope?: string): void => {
    negation(scope);
    while (isWord(peek(), 'and')) {
      next();
      negation(scope);
    }
  };
  const negation = (scope?: string): void => {
    if (isWord(peek(), 'not')) {
      next();
      return negation(scope);
    }
    predicate(scope);
  };
  const predicate = (scope?: string): void => {
    operand(scope);
    const token = peek();
    if (token.kind === 'op' && COMPARISONS.has(token.text)) {
      next();
      if (isWord(peek(), 'any')) {
        next();
        expectOp('(');
        operand(scope);
        expectOp(')');
      } else operand(scope);
      return;
    }
    if (isWord(token, 'is')) {
      next();
      if (isWord(peek(), 'not')) next();
      if (!isWord(peek(), 'null', 'true', 'false')) fail(peek(), 'NULL, TRUE or FALSE');
      next();
      return;
    }
    if (isWord(token, 'not') && isWord(peek(1), 'in', 'like', 'ilike', 'between')) next();
    const after = peek();
    if (isWord(after, 'in')) {
      next();
      expectOp('(');
      if (isWord(peek(), 'select')) subquery();
      else {
        operand(scope);
        while (isOp(peek(), ',')) {
          next();
          operand(scope);
        }
      }
      expectOp(')');
    } else if (isWord(after, 'like', 'ilike')) {
      next();
      operand(scope);
    } else if (isWord(after, 'between')) {
      next();
      operand(scope);
      if (!isWord(peek(), 'and')) fail(peek(), 'AND');
      next();
      operand(scope);
    }
  };
  const subquery = (): void => {
    next(); // SELECT
    const column = identifier('the column a sub-query selects');
    if (!isWord(peek(), 'from')) fail(peek(), 'FROM');
    next();
    const table = identifier('a table name');
    if (isOp(peek(), '.')) fail(peek(), 'a table of the shape\'s schema (no "schema." prefix)');
    tables.push(table);
    columns.push({ name: column, table });
    if (isWord(peek(), 'where')) {
      next();
      expression(table);
    }
  };
  const operand = (scope?: string): void => {
    term(scope);
    while (peek().kind === 'op' && ARITHMETIC.has((peek() as { text: string }).text)) {
      next();
      term(scope);
    }
  };
  const term = (scope?: string): void => {
    if (isOp(peek(), '-', '+')) next();
    primary(scope);
    while (isOp(peek(), '::')) {
      next();
      const type = peek();
      if (type.kind !== 'word' || type.quoted) fail(type, 'a type name');
      next();
      if (isOp(peek(), '[') && isOp(peek(1), ']')) (next(), next());
    }
  };
  const primary = (scope?: string): void => {
    const token = peek();
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'param') return void next();
    if (isWord(token, 'null', 'true', 'false')) return void next();
    if (isOp(token, '(')) {
      next();
      expression(scope);
      expectOp(')');
      return;
    }
    if (token.kind === 'word') {
      const name = token.quoted ? token.text : token.text.toLowerCase();
      if (!token.quoted && isOp(peek(1), '(')) {
        if (!FUNCTIONS.has(name))
          throw new WhereSyntaxError(
            `function "${token.text}" is not supported at character ${token.at + 1} (supported: ${[...FUNCTIONS].join(', ')})`,
            token.at,
          );
        next();
        next();
        if (!isOp(peek(), ')')) {
          expression(scope);
          while (isOp(peek(), ',')) {
            next();
            expression(scope);
          }
        }
        expectOp(')');
        return;
      }
      if (!token.quoted && RESERVED.has(name)) fail(token, 'a column, a literal or a parameter');
      next();
      columns.push(scope === undefined ? { name } : { name, table: scope });
      return;
    }
    fail(token, 'a column, a literal or a parameter');
  };

  expression();
  if (peek().kind !== 'end') fail(peek(), 'AND, OR or the end of the clause');

  const params: string[] = [];
  for (const token of tokens) if (token.kind === 'param' && !params.includes(token.name)) params.push(token.name);
  // the text is kept as written; only parameters change, outside literals and quoted names
  const positional = where.replace(
    /('(?:[^']|'')*')|("(?:[^"]|"")*")|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, s, q, name) => (name === undefined ? all : `$${params.indexOf(name) + 1}`),
  );
  return { positional: positional.trim(), params, columns, tables: [...new Set(tables)] };
}

function tokenize(where: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:('(?:[^']|'')*')|(\$[A-Za-z_][A-Za-z0-9_]*)|(\$[0-9]+)|([0-9]+(?:\.[0-9]+)?)|("(?:[^"]|"")+")|([A-Za-z_][A-Za-z0-9_]*)|(::|<>|!=|<=|>=|\|\||[=<>(),+\-*/%.[\]]))/y;
  let index = 0;
  while (index < where.length) {
    if (/^\s*$/.test(where.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(where);
    const at = index + (match ? match[0].length - match[0].trimStart().length : 0);
    if (!match) {
      const rest = where.slice(index).trimStart();
      const start = where.length - rest.length;
      throw new WhereSyntaxError(`unexpected "${rest.slice(0, 12)}" at character ${start + 1}`, start);
    }
    index = pattern.lastIndex;
    const [, string, named, numbered, number, quoted, word, op] = match;
    if (string !== undefined) tokens.push({ kind: 'string', text: string, at });
    else if (named !== undefined) tokens.push({ kind: 'param', name: named.slice(1), at });
    else if (numbered !== undefined)
      throw new WhereSyntaxError(
        `${numbered} at character ${at + 1}: parameters are named ($user, $org), bound on the server from the signed-in principal`,
        at,
      );
    else if (number !== undefined) tokens.push({ kind: 'number', text: number, at });
    else if (quoted !== undefined)
      tokens.push({ kind: 'word', text: quoted.slice(1, -1).replace(/""/g, '"'), quoted: true, at });
    else if (word !== undefined) tokens.push({ kind: 'word', text: word, quoted: false, at });
    else if ((op === '/' && where[index] === '*') || (op === '-' && where[index] === '-'))
      throw new WhereSyntaxError(`a comment at character ${at + 1}: comments are not allowed`, at);
    else tokens.push({ kind: 'op', text: op!, at });
  }
  tokens.push({ kind: 'end', at: where.length });
  return tokens;
}
