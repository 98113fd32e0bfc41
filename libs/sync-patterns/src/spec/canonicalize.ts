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

/** Code-unit order, independent of the machine's locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
