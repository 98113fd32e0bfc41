/** The two calls of a TanStack DB collection that `collectionReady` needs. */
export interface StartableCollection {
  startSyncImmediate(): void;
  onFirstReady(callback: () => void): () => void;
}

/**
 * Resolves once the collection is ready — for a local-first one, once every stored row is in —
 * starting its sync if nothing has yet. What `collection.preload()` does, without its development
 * warning that preloading an on-demand collection is a no-op: a local-first collection is
 * on-demand, and for it being ready does mean every stored row is in (see live-persistence).
 */
export function collectionReady(collection: StartableCollection): Promise<void> {
  collection.startSyncImmediate();
  return new Promise<void>((resolve) => collection.onFirstReady(resolve));
}
