import { SyncError, toSyncError } from '../client/sync-error';
import { changedFields, type ConflictPolicy, type Row, type WriteConflict } from './conflict-policy';

export type { WriteConflict } from './conflict-policy';
import { mergeRows } from './three-way-merge';

/** A write as the conflict logic sees it. */
export interface WriteUnderTest {
  op: 'insert' | 'update' | 'delete';
  key: string | number;
  /** The row the write was based on; null when unknown (a create, or a row not loaded). */
  base: Row | null;
  /** An update's changes; a create's row. */
  body: Row | null;
}

/** What the write becomes after a failure: done after all, a conflict, or another failure. */
export function classifyFailure(
  write: WriteUnderTest,
  error: unknown,
): { done: true } | { conflict: WriteConflict } | { failure: SyncError } {
  const failure = toSyncError(error);
  const status = failure.kind === 'http' || failure.kind === 'conflict' ? failure.status : undefined;
  // DELETE is idempotent: the row is gone, as the write wanted (its first try's answer may have been lost)
  if (write.op === 'delete' && (status === 404 || status === 410)) return { done: true };
  const local = localRow(write);
  if (status === 412) return { conflict: { reason: 'stale', base: write.base, local, server: rowIn(failure.body) } };
  if (write.op === 'update' && (status === 404 || status === 410))
    return { conflict: { reason: 'gone', base: write.base, local, server: null } };
  if (status === 409) return { conflict: { reason: 'exists', base: write.base, local } };
  return { failure };
}

/** The SyncError a conflict surfaces as (`kind: 'conflict'`, listed with the write until retried or discarded). */
export function conflictError(
  model: string,
  write: WriteUnderTest,
  conflict: WriteConflict,
  cause?: unknown,
): SyncError {
  const failure = cause === undefined ? undefined : toSyncError(cause);
  const what = `${model}: ${write.op} of ${String(write.key)}`;
  const message =
    conflict.reason === 'stale'
      ? `${what} was based on a row the server has changed since`
      : conflict.reason === 'gone'
        ? `${what}: the row is no longer on the server`
        : `${what} was refused as a conflict${failure ? `: ${failure.message}` : ''}`;
  return new SyncError({
    kind: 'conflict',
    message,
    status: failure?.status,
    body: failure?.body,
    conflict,
    cause,
  });
}

/**
 * What a stale update becomes under the model's strategy: sent again as new changes on top of
 * the server's row (field-merge, custom), dropped for the server's row (custom: `'server'`; or a
 * merge that leaves nothing to send), or refused as a conflict (backend-wins, a delete, `'reject'`).
 */
export function resolveStale(
  policy: ConflictPolicy<Row> | undefined,
  write: WriteUnderTest,
  conflict: WriteConflict,
): { resend: Row; base: Row } | { keepServer: Row } | { refuse: WriteConflict } {
  const server = conflict.server;
  if (!policy || write.op !== 'update' || !server || !write.base || !write.body) return { refuse: conflict };
  const base = write.base;
  const local = { ...base, ...write.body };
  let wanted: Row;
  if (policy.strategy === 'field-merge') wanted = mergeRows(base, local, server, policy.rules);
  else if (policy.strategy === 'custom') {
    const resolver = policy.resolver?.();
    if (!resolver) return { refuse: conflict };
    const resolved = resolver(base, local, server);
    if (resolved === 'server') return { keepServer: server };
    if (resolved === 'reject' || typeof resolved !== 'object' || resolved === null) return { refuse: conflict };
    wanted = resolved;
  } else return { refuse: conflict };
  // only what differs from the server's row is sent; never the key or the version (the server's)
  const changes = changedFields(server, wanted);
  for (const name of Object.keys(changes))
    if (name === policy.version || (!(name in write.body) && policy.strategy === 'field-merge')) delete changes[name];
  return Object.keys(changes).length ? { resend: changes, base: server } : { keepServer: server };
}

function localRow(write: WriteUnderTest): Row | null {
  if (write.op === 'delete') return null;
  if (write.op === 'insert') return write.body;
  return write.base ? { ...write.base, ...(write.body ?? {}) } : write.body;
}

/** A 412 answer's row: an object body (the API's current row), else unknown. */
function rowIn(body: unknown): Row | null {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Row) : null;
}
