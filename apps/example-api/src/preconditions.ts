import type { IncomingHttpHeaders } from 'node:http';
import { HttpProblem } from './problems';

/**
 * A write's precondition (RFC 9110 §13.1.1): `If-Match: "3"` (or a list, or `*`) applies the write
 * only while the row's version is one of those named. The version is answered as the entity-tag
 * `"<version>"` (ETag), the form clients send back.
 */
export type Precondition = { any: true } | { tags: string[] } | undefined;

export function preconditionOf(headers: IncomingHttpHeaders): Precondition {
  const value = headers['if-match'];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (text.trim() === '*') return { any: true };
  const tags = text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  // a weak tag never matches If-Match (strong comparison); a malformed one is the client's error
  if (!tags.length || tags.some((tag) => !/^(W\/)?"[\x21\x23-\x7e]*"$/.test(tag)))
    throw new HttpProblem(400, 'bad_request', 'If-Match must be * or a list of entity-tags ("3")');
  return { tags };
}

export function entityTagOf(version: unknown): string {
  return `"${String(version)}"`;
}

/** Whether a write with this precondition may change a row whose version is `version`. */
export function preconditionHolds(precondition: Precondition, version: unknown): boolean {
  if (!precondition || 'any' in precondition) return true;
  return precondition.tags.includes(entityTagOf(version));
}
