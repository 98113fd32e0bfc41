/**
 * A deep copy with every object's keys sorted. Generation reads only the canonical copy, so a spec
 * whose keys come in another order yields byte-identical output. Arrays keep their order: it can
 * carry meaning (enum order, `allOf` order).
 */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonicalize) as T;
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort(compareKeys)) out[key] = canonicalize(source[key]);
  return out as T;
}

/**
 * canonicalize's result, made by reordering `value` where needed instead of copying all of it: for
 * a document just parsed, which nothing else holds. Objects whose keys are already in order stay
 * as they are (most of a large document's, and copying them was most of loading it).
 */
export function canonicalizeOwned<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = canonicalizeOwned(value[i]);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  // an own "__proto__" key takes canonicalize's path, whatever that makes of it
  if (!sorted || keys.includes('__proto__')) {
    const out: Record<string, unknown> = {};
    for (const key of keys.sort()) out[key] = canonicalizeOwned(source[key]);
    return out as T;
  }
  for (const key of keys) source[key] = canonicalizeOwned(source[key]);
  return value;
}

/** Code-unit order, independent of the machine's locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
