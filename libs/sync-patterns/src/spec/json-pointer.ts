/** RFC 6901 JSON pointers, written as URI fragments (`#/components/schemas/Todo`) as OpenAPI does. */
export function pointer(...segments: (string | number)[]): string {
  return '#' + segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function child(base: string, ...segments: (string | number)[]): string {
  return base + pointer(...segments).slice(1);
}

export function parsePointer(ref: string): string[] | undefined {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function resolvePointer(document: unknown, ref: string): unknown {
  const segments = parsePointer(ref);
  if (!segments) return undefined;
  let current: unknown = document;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
