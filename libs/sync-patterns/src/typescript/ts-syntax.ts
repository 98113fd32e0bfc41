/**
 * The only way spec text enters generated code. Every name, description and value from a spec
 * goes through one of these, so nothing in a spec can close a string, a comment or a statement.
 */

import { formatted, PRINT_WIDTH } from './output-style';

/**
 * A TypeScript string literal: JSON's escaping plus the two line separators JS source must not hold
 * raw. Formatted, in single quotes unless the text holds more single quotes than double (as Prettier
 * chooses), so a string needs the fewest escapes.
 */
export function str(value: string): string {
  const json = JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return formatted ? (singleQuoted(json.slice(1, -1)) ?? json) : json;
}

/**
 * A double-quoted string's body (JSON's escapes) in single quotes, or undefined when it holds more
 * single quotes than double ones (as Prettier chooses). A double quote then needs no escape, a
 * single one does; every other escape stays.
 */
export function singleQuoted(body: string): string | undefined {
  if (body.indexOf("'") < 0 && body.indexOf('\\') < 0) return `'${body}'`;
  const singles = body.split("'").length - 1;
  const doubles = body.split('\\"').length - 1;
  if (singles > doubles) return undefined;
  return `'${body.replace(/\\"|\\.|'/g, (escape) => (escape === '\\"' ? '"' : escape === "'" ? "\\'" : escape))}'`;
}

/** An object literal's key: bare when it is an identifier, else a string; `__proto__` computed (a literal key would set the prototype). */
export function propertyKey(name: string): string {
  if (!formatted) return str(name);
  if (name === '__proto__') return `[${str(name)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}

/** An object literal key for any name: as propertyKey writes it, or in compact output always computed (`["id"]`). */
export function objectKey(name: string): string {
  return formatted ? propertyKey(name) : `[${str(name)}]`;
}

/**
 * Any JSON value as a TypeScript expression. A `"__proto__":` key would set the object's prototype
 * in a literal, so it is written as a computed key, which defines an own property as JSON does.
 */
export function literal(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (formatted) return flatLiteral(value);
  return safeJson(JSON.stringify(value, null, 0));
}

/** Line separators escaped, `__proto__` keys computed (a `{` or `,` then `"` cannot occur inside a JSON string). */
export function safeJson(json: string): string {
  return json
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/([{,]\s*)"__proto__":/g, '$1["__proto__"]:');
}

/**
 * Like `literal`, laid out over several lines (2-space indent) when it does not fit on one; `indent`
 * prefixes the lines after the first, for a literal that starts inside an indented block.
 */
export function literalBlock(value: unknown, width = 80, indent = ''): string {
  if (formatted) return value === undefined ? 'undefined' : laidOut(value, indent, width);
  const flat = literal(value);
  if (flat.length <= width) return flat;
  // JSON escapes newlines inside strings, so every raw newline here is layout.
  return safeJson(JSON.stringify(value, null, 2)).replace(/\n/g, `\n${indent}`);
}

/**
 * `literal` where the literal starts `column` characters into a line indented by `indent`: laid out
 * to fit the width in formatted output, on one line in compact output (as it always was there).
 */
export function literalAt(value: unknown, column: number, indent: string): string {
  return formatted && value !== undefined ? laidOut(value, indent, PRINT_WIDTH - column - 2) : literal(value);
}

/** Text safe inside a `/* … *\/` or `//` comment: no comment terminator, no line breaks it did not ask for. */
export function commentText(text: string): string {
  return text
    .replace(/\*\//g, '*\\/')
    .replace(/[\u2028\u2029]/g, ' ')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** A JSDoc block (indented by `indent`), or nothing when there is no text. */
export function docComment(text: string | undefined, indent = ''): string {
  if (!text || !text.trim()) return '';
  const lines = commentText(text.trim()).split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}

/** Property access that works for any property name: `row["created-at"]`. */
export function prop(target: string, name: string): string {
  return `${target}[${str(name)}]`;
}

/** A union of string literal types, or `never` when empty. */
export function stringUnion(values: string[]): string {
  return values.length ? values.map(str).join(' | ') : 'never';
}

/** A JSON value as one line of TypeScript: `{ id: 1, 'created-at': 'x' }`, `['a', 'b']`. */
function flatLiteral(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? str(value) : (JSON.stringify(value) ?? 'null');
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : flatLiteral(item))).join(', ')}]`;
  const entries = jsonEntries(value);
  return entries.length
    ? `{ ${entries.map(([key, inner]) => `${propertyKey(key)}: ${flatLiteral(inner)}`).join(', ')} }`
    : '{}';
}

/**
 * A JSON value on one line when it fits in `room` columns, else one element or entry a line (each
 * laid out the same way, at the width), closed on a line of its own at `indent`, with trailing commas.
 */
function laidOut(value: unknown, indent: string, room: number): string {
  const flat = flatLiteral(value);
  if (flat.length <= room || value === null || typeof value !== 'object') return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return flat;
    return `[\n${value.map((item) => `${inner}${laidOut(item === undefined ? null : item, inner, PRINT_WIDTH - inner.length - 1)},`).join('\n')}\n${indent}]`;
  }
  const entries = jsonEntries(value);
  if (!entries.length) return flat;
  return `{\n${entries.map(([key, inner_]) => `${objectEntry(key, inner_, inner)},`).join('\n')}\n${indent}}`;
}

/** One entry of a laid-out object at `indent`, without its comma: incremental runs find an entry of the fakes by it. */
export function objectEntry(key: string, value: unknown, indent: string): string {
  const name = propertyKey(key);
  return `${indent}${name}: ${laidOut(value, indent, PRINT_WIDTH - indent.length - name.length - 3)}`;
}

/** An object's entries as JSON.stringify keeps them (undefined, functions and symbols left out). */
function jsonEntries(value: object): [string, unknown][] {
  return Object.entries(value).filter(
    ([, inner]) => inner !== undefined && typeof inner !== 'function' && typeof inner !== 'symbol',
  );
}
