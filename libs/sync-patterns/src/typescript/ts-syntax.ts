/**
 * The only way spec text enters generated code. Every name, description and value from a spec
 * goes through one of these, so nothing in a spec can close a string, a comment or a statement.
 */

/** A TypeScript string literal. JSON escaping plus the two line separators JS source must not hold raw. */
export function str(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Any JSON value as a TypeScript expression. A `"__proto__":` key would set the object's prototype
 * in a literal, so it is written as a computed key, which defines an own property as JSON does.
 */
export function literal(value: unknown): string {
  if (value === undefined) return 'undefined';
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
  const flat = literal(value);
  if (flat.length <= width) return flat;
  // JSON escapes newlines inside strings, so every raw newline here is layout.
  return safeJson(JSON.stringify(value, null, 2)).replace(/\n/g, `\n${indent}`);
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
