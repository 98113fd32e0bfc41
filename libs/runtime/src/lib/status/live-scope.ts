import type { QueryClient } from '@tanstack/react-query';
import { LiveStatus } from './live-status';

/** What a live scope keeps per model: the collection (opaque here), its stream's status and a stop. */
export interface LiveModel {
  status: LiveStatus;
  /** Ends the shape stream for good. */
  stop(): void;
  /** Resolves true once the stream has delivered the Postgres transaction `txid` (a write's, answered by the API). */
  awaitTxId?(txid: number, timeoutMs: number): Promise<boolean>;
  /** Resolves once the stream is up to date again after now (a write whose answer named no txid). */
  awaitNextSync?(timeoutMs: number): Promise<boolean>;
}

interface LiveScope {
  models: Map<string, LiveModel>;
  listeners: Set<() => void>;
}

/**
 * Live collections belong to a QueryClient, as push-mode caches do: an app has one, and two
 * React trees with two QueryClients (two tabs in a test, two users in a story) are two clients,
 * each with its own collections and streams. No provider beyond QueryClientProvider is needed.
 */
const scopes = new WeakMap<QueryClient, LiveScope>();

function scopeOf(queryClient: QueryClient): LiveScope {
  let scope = scopes.get(queryClient);
  if (!scope) scopes.set(queryClient, (scope = { models: new Map(), listeners: new Set() }));
  return scope;
}

/** The model's collection in this client's scope, made on first use with a status wired to the scope. */
export function liveModelIn<M extends LiveModel>(
  queryClient: QueryClient,
  id: string,
  make: (status: LiveStatus, queryClient: QueryClient) => M,
): M {
  const scope = scopeOf(queryClient);
  let model = scope.models.get(id) as M | undefined;
  if (!model) {
    const status = new LiveStatus(id, () => {
      for (const listener of [...scope.listeners]) listener();
    });
    scope.models.set(id, (model = make(status, queryClient)));
  }
  return model;
}

/** The model's collection in this client's scope if something opened it, else undefined (nothing shows it). */
export function liveModelOpen(queryClient: QueryClient, id: string): LiveModel | undefined {
  return scopes.get(queryClient)?.models.get(id);
}

/** The statuses of the scope's collections whose streams have started, for `useSyncStatus()`. */
export function liveStatusesOf(queryClient: QueryClient): LiveStatus[] {
  return [...scopeOf(queryClient).models.values()].map((m) => m.status).filter((s) => s.started);
}

export function subscribeLiveStatusesOf(queryClient: QueryClient, listener: () => void): () => void {
  const { listeners } = scopeOf(queryClient);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Stops the shape streams of the client's live collections and forgets them (sign-out, test
 * teardown); components still mounted keep the rows they have, and the next use starts afresh.
 */
export function closeLiveCollections(queryClient: QueryClient): void {
  const scope = scopes.get(queryClient);
  if (!scope) return;
  const models = [...scope.models.values()];
  scope.models.clear();
  for (const model of models) model.stop();
  for (const listener of [...scope.listeners]) listener();
}
