/**
 * Where each `components.schemas` entry's value sits in a JSON document's text, so that the next run
 * can tell from the text alone which entries an edit touched (incremental/reused-units.ts).
 *
 * A span is [start, end) of the entry's value in UTF-16 offsets, by entry name. Undefined when the
 * text is not one JSON object or an entry cannot be told by its name (a key given twice).
 */
export type Span = [number, number];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

export function schemaSpans(text: string): Map<string, Span> | undefined {
  try {
    const top = members(text, skipSpace(text, 0));
    const components = top && only(top, 'components');
    if (!components || text.charCodeAt(components[0]) !== OPEN_OBJECT) return undefined;
    const inComponents = members(text, components[0]);
    const schemas = inComponents && only(inComponents, 'schemas');
    if (!schemas || text.charCodeAt(schemas[0]) !== OPEN_OBJECT) return undefined;
    const entries = members(text, schemas[0]);
    const spans = entries && new Map(entries.map((e) => [e.key, e.value]));
    return spans && spans.size === entries.length ? spans : undefined;
  } catch {
    return undefined;
  }
}

/** True when text[start, end) is exactly one JSON value, give or take white space around it. */
export function isOneValue(text: string, start: number, end: number): boolean {
  try {
    const from = skipSpace(text, start, end);
    if (from >= end) return false;
    return skipSpace(text, skipValue(text, from, end), end) === end;
  } catch {
    return false;
  }
}

interface Member {
  key: string;
  value: Span;
}

/** The members of the object starting at `at`: each key and its value's span. */
function members(text: string, at: number): Member[] | undefined {
  if (text.charCodeAt(at) !== OPEN_OBJECT) return undefined;
  const found: Member[] = [];
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return found;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    const start = skipSpace(text, i + 1);
    const end = skipValue(text, start, text.length);
    found.push({ key, value: [start, end] });
    i = skipSpace(text, end);
    const next = text.charCodeAt(i);
    if (next === CLOSE_OBJECT) return found;
    if (next !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** The value's span when `key` is there exactly once. */
function only(found: Member[], key: string): Span | undefined {
  const matching = found.filter((m) => m.key === key);
  return matching.length === 1 ? matching[0].value : undefined;
}

function skipSpace(text: string, i: number, limit = text.length): number {
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
  }
  return limit;
}

/** Past the string starting at `i` (its opening quote). */
function skipString(text: string, i: number): number {
  for (let at = i + 1; ; ) {
    const close = text.indexOf('"', at);
    if (close < 0) throw new Error('unterminated string');
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    at = close + 1;
  }
}

/** Past the value starting at `i`, which must end by `limit`. */
function skipValue(text: string, i: number, limit: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    // a number, true, false or null: up to the next delimiter
    let at = i;
    while (at < limit) {
      const c = text.charCodeAt(at);
      if (
        c === COMMA ||
        c === CLOSE_OBJECT ||
        c === CLOSE_ARRAY ||
        c === 0x20 ||
        c === 0x0a ||
        c === 0x0d ||
        c === 0x09
      )
        break;
      at++;
    }
    if (at === i) throw new Error('no value');
    return at;
  }
  let depth = 0;
  for (let at = i; at < limit; at++) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) at = skipString(text, at) - 1;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (--depth === 0) return at + 1;
    }
  }
  throw new Error('unbalanced value');
}
