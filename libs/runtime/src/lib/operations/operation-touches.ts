import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';
import { liveModelOpen } from '../status/live-scope';
import { TXID_HEADER } from '../live/txid';

/**
 * What a write operation of the spec may change, as the generator read it off the spec: the
 * models its path, request and response name, the models embedding those, and the paths it is on.
 */
export interface OperationTouches {
  /** Query-key roots (`[api, model]`) of the push and cache models it changes: refetched after it. */
  roots: readonly (readonly unknown[])[];
  /** Live models it changes (collection ids): they settle by the answer's txid. */
  live: readonly string[];
  /** Tags of the query operations whose answers it may change (`model:<Name>`, `path:<template>`). */
  tags: readonly string[];
}

/** The query meta of a query operation: the tags a write matches it by (see OperationTouches.tags). */
export interface OperationQueryMeta extends Record<string, unknown> {
  syncTags: readonly string[];
}

/** How long a write waits for its txid in a live model's stream before it resolves anyway (the API accepted it). */
export const OPERATION_TXID_WAIT_MS = 30_000;

/**
 * After a write operation the API accepted: every live model it touched that this app has open
 * waits until the answer's `X-Sync-Txid` is in its stream (so the change shows before the call
 * resolves), then the push and cache results it touched, and the query operations tagged with
 * one of its models or paths, are refetched. An answer without a txid waits for each such stream
 * to be up to date again after the answer instead (the stream's form of a refetch).
 */
export async function settleOperation(
  queryClient: QueryClient,
  touches: OperationTouches,
  response: Response | undefined,
): Promise<void> {
  const txid = txidIn(response);
  await Promise.all(
    touches.live.map((id) => {
      const live = liveModelOpen(queryClient, id);
      // no txid to match: the stream's next up-to-date after the answer (Electric has no refetch)
      const seen =
        txid !== undefined
          ? live?.awaitTxId?.(txid, OPERATION_TXID_WAIT_MS)
          : live?.awaitNextSync?.(OPERATION_TXID_WAIT_MS);
      return seen?.catch(() => false);
    }),
  );
  await invalidateTouched(queryClient, touches);
}

/** Refetches (active) or marks stale every query the write touched. */
export function invalidateTouched(queryClient: QueryClient, touches: OperationTouches): Promise<void> {
  if (!touches.roots.length && !touches.tags.length) return Promise.resolve();
  const tags = new Set(touches.tags);
  return queryClient.invalidateQueries({
    predicate: (query: Query) =>
      touches.roots.some((root) => startsWith(query.queryKey, root)) || syncTagsOf(query).some((tag) => tags.has(tag)),
  });
}

function syncTagsOf(query: Query): readonly string[] {
  const tags = (query.meta as Partial<OperationQueryMeta> | undefined)?.syncTags;
  return Array.isArray(tags) ? tags : [];
}

function startsWith(key: QueryKey, root: readonly unknown[]): boolean {
  return root.length <= key.length && root.every((part, i) => key[i] === part);
}

function txidIn(response: Response | undefined): number | undefined {
  const value = response?.headers.get(TXID_HEADER);
  if (value === null || value === undefined) return undefined;
  const txid = Number(value);
  return Number.isSafeInteger(txid) ? txid : undefined;
}
