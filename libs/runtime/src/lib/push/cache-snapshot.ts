import type { QueryClient, QueryKey } from '@tanstack/react-query';

/** A model's cached answers as they were before an optimistic change, to put back if it is refused. */
export type CacheSnapshot = ReadonlyArray<readonly [QueryKey, unknown]>;

/** Cancels in-flight reads under `root` (so they cannot overwrite the optimistic state) and snapshots its cache. */
export async function snapshotCache(qc: QueryClient, root: readonly unknown[]): Promise<CacheSnapshot> {
  await qc.cancelQueries({ queryKey: root });
  return qc.getQueriesData({ queryKey: root });
}

export function restoreCache(qc: QueryClient, snapshot: CacheSnapshot | undefined): void {
  for (const [key, data] of snapshot ?? []) qc.setQueryData(key, data);
}
