import type { ShapeDefinition } from './shape-definition';
import type { Queryable } from './source';

/**
 * What a shape's sub-queries answer now, as one hash (empty for a shape without any). Taken with
 * the shape's snapshot and again when a table they read changes: when it differs, rows have moved
 * in or out of the shape, and the shape ends — its clients refetch it (409) and get the rows that
 * belong to it now. (Electric sends the moves alone, as move-in and move-out; a development server
 * may resync instead: the client's result is the same rows.)
 */
export async function subqueryFingerprint(db: Queryable, shape: ShapeDefinition): Promise<string> {
  if (!shape.subqueries.length) return '';
  // each sub-query takes only the parameters it names: Postgres refuses values for unused ones
  const used: number[] = [];
  const renumbered = (text: string) =>
    text.replace(/('(?:[^']|'')*')|("(?:[^"]|"")*")|\$([1-9][0-9]*)/g, (all, _literal, _quoted, n) => {
      if (n === undefined) return all;
      if (!used.includes(Number(n))) used.push(Number(n));
      return `$${used.indexOf(Number(n)) + 1}`;
    });
  const parts = shape.subqueries.map(
    (text) => `(SELECT coalesce(string_agg(v::text, ',' ORDER BY v::text), '') FROM (${renumbered(text)}) AS s(v))`,
  );
  const [row] = await db.query<{ fingerprint: string }>(
    `SELECT md5(concat_ws('|', ${parts.join(', ')})) AS fingerprint`,
    used.map((n) => shape.params[n - 1]),
  );
  return row.fingerprint;
}
