/** Per-call options of every generated API function. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Extra request headers (generated mutations send an `Idempotency-Key`). */
  headers?: Record<string, string>;
  /** Called with a 2xx answer before its body is returned: its headers (a row's ETag, kept for its writes). */
  onResponse?: (response: Response) => void;
}

/** What a write's request carries besides its body: the `Idempotency-Key` header, the same on every try. */
export interface WriteRequest {
  headers: Record<string, string>;
}

/** A fresh `Idempotency-Key` for one write. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

type Params = Record<string, unknown>;

/**
 * Splits a generated function's single params object into path and query parameters, so hooks
 * take one object (`useTodos({ projectId, status })`) whatever the operation's path looks like.
 */
export function splitParams(params: object | undefined, pathNames: readonly string[]) {
  const pathParams: Record<string, string> = {};
  const query: Params = {};
  for (const [name, value] of Object.entries((params ?? {}) as Params)) {
    if (pathNames.includes(name)) pathParams[name] = String(value);
    else query[name] = value;
  }
  return { pathParams, query };
}

/** Sets one page parameter on a copy of the list params (infinite queries never mutate their key). */
export function withPageParam<P>(params: object | undefined, name: string, value: unknown): P {
  return { ...(params ?? {}), [name]: value } as P;
}

/** A copy of `row` without the fields `x-sync.exclude` keeps off the client. */
export function omitFields<T>(row: T, fields: readonly string[]): T {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return row;
  const copy = { ...(row as Params) };
  for (const field of fields) delete copy[field];
  return copy as T;
}

/** The fields of `row` a request body holds (a full `PUT` body made from the row as the write left it). */
export function pickFields(row: object, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields)
    if (Object.prototype.hasOwnProperty.call(row, field)) picked[field] = (row as Params)[field];
  return picked;
}

const generatedKeys = new WeakMap<object, object>();

/**
 * The input with its key filled by a fresh UUID when the caller left it out. Memoised per input
 * object, so the optimistic row and the request carry the same key and the server's answer replaces
 * the optimistic row in place.
 */
export function clientKey<T extends object>(input: T, field: string): T {
  if ((input as Params)[field] !== undefined && (input as Params)[field] !== null) return input;
  let filled = generatedKeys.get(input);
  if (!filled) {
    filled = { ...input, [field]: globalThis.crypto.randomUUID() };
    generatedKeys.set(input, filled);
  }
  return filled as T;
}

/** A field of a response whose exact type is not known here (pagination cursors, `has_more` flags). */
export function readField(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Params)[name] : undefined;
}
