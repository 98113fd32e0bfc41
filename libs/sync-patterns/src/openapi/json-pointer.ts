import { noteRead } from './read-tracking';
/** RFC 6901 JSON pointers, written as URI fragments (`#/components/schemas/Todo`) as OpenAPI does. */
export function pointer(...segments: (string | number)[]): string {
  return child('#', ...segments);
}

export function child(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (const segment of segments) out += '/' + escapeSegment(String(segment));
  return out;
}

// most segments need no escaping: test before building new strings (binding makes pointers by the thousand)
const escapeSegment = (s: string) =>
  s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;

/** Parsed pointers, by text: the model builder and emitters resolve the same few thousand refs over and over. */
const parsed = new Map<string, readonly string[] | undefined>();

export function parsePointer(ref: string): string[] | undefined {
  let segments = parsed.get(ref);
  if (segments === undefined && !parsed.has(ref)) {
    segments = parse(ref);
    if (parsed.size >= 200_000) parsed.clear();
    parsed.set(ref, segments);
  }
  return segments && [...segments];
}

function parse(ref: string): string[] | undefined {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((s) => (s.includes('%') ? decodeURIComponent(s) : s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

const hasOwn = Object.prototype.hasOwnProperty;

export function resolvePointer(document: unknown, ref: string): unknown {
  let segments = parsed.get(ref);
  if (segments === undefined) {
    parsePointer(ref);
    segments = parsed.get(ref);
    if (!segments) return undefined;
  }
  noteRead(document, segments);
  let current: unknown = document;
  for (const segment of segments) {
    // own properties only: `#/components/schemas/__proto__` must not reach Object.prototype
    if (current === null || typeof current !== 'object' || !hasOwn.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
