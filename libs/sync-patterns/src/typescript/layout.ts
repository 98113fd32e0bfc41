import { formatted } from './output-style';
import { propertyKey } from './ts-syntax';

/**
 * Expressions built from their parts, laid out as Prettier would at the output's width: on one line
 * when short, else one part a line with trailing commas — a sole object or array argument hugging
 * its call's parentheses. Parts are laid out first (bottom up), so a part that spans lines keeps
 * its own layout, indented under its parent. Compact output (output-style.ts) keeps the old one-line
 * forms byte for byte.
 */

/** The longest expression kept on one line; a longer one spans several. */
const FLAT_LIMIT = 80;

const fits = (text: string) => text.length <= FLAT_LIMIT && !text.includes('\n');

/** Every line after the first moved right by two spaces: the text becomes one level deeper. */
const deeper = (text: string) => text.replace(/\n/g, '\n  ');

/** `callee(arg, …)`. */
export function call(callee: string, args: readonly string[]): string {
  const flat = `${callee}(${args.join(', ')})`;
  if (!formatted || fits(flat) || args.length === 0) return flat;
  if (args.length === 1 && /^[[{]/.test(args[0])) return flat;
  return `${callee}(\n${args.map((arg) => `  ${deeper(arg)},`).join('\n')}\n)`;
}

/** `{ key: value, … }`, the keys written as object literal keys must be (ts-syntax.ts: propertyKey). */
export function objectExpression(entries: readonly (readonly [key: string, value: string])[]): string {
  const parts = entries.map(([key, value]) => `${propertyKey(key)}: ${value}`);
  if (!formatted) return `{ ${parts.join(', ')} }`;
  if (!parts.length) return '{}';
  const flat = `{ ${parts.join(', ')} }`;
  return fits(flat) ? flat : `{\n${parts.map((part) => `  ${deeper(part)},`).join('\n')}\n}`;
}

/** `[item, …]`. */
export function arrayExpression(items: readonly string[]): string {
  const flat = `[${items.join(', ')}]`;
  if (!formatted || fits(flat)) return flat;
  return `[\n${items.map((item) => `  ${deeper(item)},`).join('\n')}\n]`;
}
