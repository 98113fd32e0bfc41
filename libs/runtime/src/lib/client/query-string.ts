import { SyncError } from './sync-error';

/**
 * Serialises query parameters the way OpenAPI's defaults describe them: `form` + `explode` for
 * arrays (`tag=a&tag=b`) and `deepObject` for objects (`filter[status]=open`), which is also what
 * Stripe-style APIs expect. Keys are emitted in sorted order so equal queries give equal URLs.
 */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) appendValue(parts, key, query[key]);
  return parts.length ? `?${parts.join('&')}` : '';
}

function appendValue(parts: string[], name: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null) {
    parts.push(`${encodeURIComponent(name)}=`);
  } else if (Array.isArray(value)) {
    for (const item of value) appendValue(parts, name, item);
  } else if (value instanceof Date) {
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value.toISOString())}`);
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) appendValue(parts, `${name}[${key}]`, record[key]);
  } else {
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
}

/** Fills `{name}` placeholders of an OpenAPI path template, encoding each value. */
/**
 * Fills a path template. Every value is percent-encoded, and one that would change the route is
 * refused: an empty value (`/todos/` is the list), `.` and `..` (URL parsers drop or climb such a
 * segment, `%2e%2e` included: `/todos/..` is `/`).
 */
export function fillPath(template: string, params: Record<string, string | number | boolean> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter "${name}" for ${template}`);
    const text = String(value);
    if (text === '' || text === '.' || text === '..') {
      throw new SyncError({
        kind: 'validation',
        message: `path parameter "${name}" of ${template} is ${JSON.stringify(text)}, which would change the route: refused`,
      });
    }
    return encodeURIComponent(text);
  });
}
