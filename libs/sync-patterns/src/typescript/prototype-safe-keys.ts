/**
 * openapi-typescript validates its input with Redocly, whose walker looks every key of a map (a
 * schema's `properties`, `components.schemas`, …) up in a plain object: a property named
 * `hasOwnProperty` or `valueOf` finds `Object.prototype`'s method there and crashes it. Such keys
 * are swapped for placeholders on the way in and restored in the printed types on the way out.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

export function withPrototypeSafeKeys<T>(document: T): { document: T; restore(text: string): string } {
  const tokens = new Map<string, string>();
  const token = (name: string) => {
    let found = tokens.get(name);
    if (found === undefined) tokens.set(name, (found = `__sync_patterns_key_${tokens.size}__`));
    return found;
  };
  const safe = (key: string) => (RESERVED.has(key) ? token(key) : key);
  const ref = (value: string) =>
    value
      .split('/')
      .map((segment) => {
        const decoded = segment.replace(/~1/g, '/').replace(/~0/g, '~');
        return RESERVED.has(decoded) ? token(decoded) : segment;
      })
      .join('/');
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      Object.defineProperty(out, safe(key), {
        value: key === '$ref' && typeof inner === 'string' ? ref(inner) : walk(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const hasReserved = (value: unknown): boolean =>
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray(value)
      ? value.some(hasReserved)
      : Object.entries(value).some(
          ([key, inner]) =>
            RESERVED.has(key) ||
            (key === '$ref' && typeof inner === 'string' && inner.split('/').some((s) => RESERVED.has(s))) ||
            hasReserved(inner),
        ));
  // the common case (no such key anywhere) passes through untouched
  if (!hasReserved(document)) return { document, restore: (text) => text };
  const names = new Map<string, string>();
  const swapped = walk(document) as T;
  for (const [name, placeholder] of tokens) names.set(placeholder, name);
  return {
    document: swapped,
    restore: (text) =>
      text.replace(/"?(__sync_patterns_key_\d+__)"?/g, (_, placeholder: string) =>
        JSON.stringify(names.get(placeholder)),
      ),
  };
}
