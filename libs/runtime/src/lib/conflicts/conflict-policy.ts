/**
 * How a model's writes meet a row that moved on (generated from `x-sync.version` and
 * `x-sync.conflict`): which writes send the version they were based on as `If-Match`, and what a
 * 412 answer (the row moved on) leads to.
 */
export type ConflictStrategy = 'backend-wins' | 'client-wins' | 'field-merge' | 'custom';

/** field-merge: who wins when both sides changed one field (`union`: the items of both lists). */
export type MergeRule = 'server' | 'client' | 'union';

/**
 * The app's resolver of a custom-strategy model, called when an update was based on a stale row:
 * `base` (what the write was based on), `local` (base with the write's changes), `server` (the row
 * now). A row is sent (as the changes from `server`), `'server'` keeps the server's row and drops
 * the write, `'reject'` lists the write as a conflict.
 */
export type ConflictResolver<TRow> = (base: TRow, local: TRow, server: TRow) => TRow | 'server' | 'reject';

export interface ConflictPolicy<TRow = Record<string, unknown>> {
  strategy: ConflictStrategy;
  /** The property whose value a write sends as `If-Match`; absent: writes are unconditional. */
  version?: string;
  /**
   * The version is the API's `ETag` header instead (push mode): a write sends the ETag of its row's
   * last item read or write; after a 412 the row is read again for its row and ETag.
   */
  etag?: boolean;
  /** field-merge: the same-field rule per property (the others: server). */
  rules?: Readonly<Record<string, MergeRule>>;
  /** The writes whose operations take `If-Match` (the spec declares it and a 412 answer). */
  preconditions: readonly ('update' | 'delete')[];
  /** custom: the resolver the app registered, if any. */
  resolver?: () => ConflictResolver<TRow> | undefined;
}

/** A row as the outbox keeps it. */
export type Row = Record<string, unknown>;

/**
 * Why a write could not be applied as made, with the rows to decide on. `stale`: it was based on a
 * version the row has moved on from (412); `gone`: its row is no more (404, 410); `exists`: the
 * API refused it as a conflict (409: a create met a row with its key, or a rule of the API's own).
 */
export interface WriteConflict<TRow = Row> {
  reason: 'stale' | 'gone' | 'exists';
  /** The row the write was based on (as the client last saw it from the server). */
  base?: TRow | null;
  /** The row as the write meant to leave it (null: a delete). */
  local?: TRow | null;
  /** The row as the server holds it now (a 412's answer). */
  server?: TRow | null;
}

/**
 * A model's policy as the outboxes take it: rows are plain records there. The one place a typed
 * resolver meets untyped rows: the outbox hands it rows of the model (the API's answers).
 */
export function conflictPolicy<TRow>(policy: ConflictPolicy<TRow>): ConflictPolicy<Row> {
  return policy as unknown as ConflictPolicy<Row>;
}

/** Whether the model's writes of this kind send a precondition at all. */
export function guards(policy: ConflictPolicy<Row>, op: 'insert' | 'update' | 'delete'): op is 'update' | 'delete' {
  return policy.strategy !== 'client-wins' && op !== 'insert' && policy.preconditions.includes(op);
}

/**
 * The `If-Match` value of a write based on `base`: the version quoted as an entity-tag. Characters
 * an entity-tag cannot hold (a quote, a control, a space) are percent-encoded, so a version never
 * breaks out of the header; a server compares against the same form.
 */
export function ifMatchOf(
  policy: ConflictPolicy<Row> | undefined,
  op: 'insert' | 'update' | 'delete',
  base: Row | null | undefined,
): string | undefined {
  if (policy === undefined || !guards(policy, op)) return undefined;
  const field = policy.version;
  if (field === undefined) return undefined;
  const version = base?.[field];
  if (typeof version !== 'string' && typeof version !== 'number') return undefined;
  return entityTag(String(version));
}

/** An ETag as the API sent it, if it is one (`"…"` or `W/"…"`): anything else is never sent back. */
export function entityTagIn(value: string | null | undefined): string | undefined {
  return value && /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(value) ? value : undefined;
}

/** `"<value>"`, with every character outside an entity-tag's (`etagc`) percent-encoded. */
export function entityTag(value: string): string {
  const safe = [...new TextEncoder().encode(value)]
    .map((byte) =>
      byte === 0x21 || (byte >= 0x23 && byte <= 0x7e && byte !== 0x25)
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `"${safe}"`;
}

/**
 * field-merge: an update whose every field its base (the server's row, after an earlier write of
 * the row was answered) already holds. Nothing is sent: the row is as the write wants it.
 */
export function alreadyHeld(
  policy: ConflictPolicy<Row> | undefined,
  entry: { op: string; base: Row | null; body: Row | null },
): boolean {
  if (policy?.strategy !== 'field-merge' || entry.op !== 'update' || !entry.base || !entry.body) return false;
  return Object.keys(changedFields(entry.base, entry.body)).length === 0;
}

/** The fields of `changes` that differ from `base`: what field-merge sends. */
export function changedFields(base: Row | null | undefined, changes: Row): Row {
  if (!base) return changes;
  return Object.fromEntries(Object.entries(changes).filter(([name, value]) => !sameValue(base[name], value)));
}

/** JSON equality: what the API would store the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameValue(item, other[i]));
  }
  const left = Object.entries(a as Row).filter(([, v]) => v !== undefined);
  const right = Object.entries(b as Row).filter(([, v]) => v !== undefined);
  return left.length === right.length && left.every(([name, value]) => sameValue(value, (b as Row)[name]));
}
