import type { QueryClient, UseMutationOptions } from '@tanstack/react-query';
import { mapInfiniteItems, mapListItems, rowsOf, sameId, type ItemsPath } from './list-data';
import type { ModelKeys } from './model-keys';
import { retryOptions, type RetryPolicy } from '../client/retry-policy';
import { toSyncError, type SyncError } from '../client/sync-error';
import { newIdempotencyKey, type WriteRequest } from '../client/request-helpers';
import { validateInput, type StandardSchemaV1 } from '../client/validate';
import { draftKey, type KeyKind } from '../writes/draft-keys';
import { pushOutboxOf, type PushOutboxTarget } from './push-outbox';
import type { StoredRequest } from '../sqlite/outbox';
import { invalidateTouched } from '../operations/operation-touches';
import { restoreCache, snapshotCache, type CacheSnapshot } from './cache-snapshot';
import { changedFields, type Row } from '../conflicts/conflict-policy';

/** What the generator knows about a push model, handed to the shared optimistic-write logic. */
export interface PushModelBinding<TRow, TId> {
  keys: ModelKeys<TId, never>;
  rowId: (row: TRow) => TId;
  itemsPath: ItemsPath;
  /** Root keys of other models whose cached responses embed this model: invalidated after each write. */
  related: readonly (readonly unknown[])[];
  /** Tags of the query operations (of the spec's other operations) whose answers hold this model: refetched after each write. */
  tags?: readonly string[];
  retry: RetryPolicy;
  /** Durable writes: with the app's local database, writes go through the model's outbox (see PushOutbox). */
  outbox?: PushOutboxTarget;
}

export interface OptimisticContext {
  snapshot: CacheSnapshot;
  draftId?: unknown;
}

export type WriteOptions<TResult, TVariables> = UseMutationOptions<TResult, SyncError, TVariables, OptimisticContext>;

const keysByBinding = new WeakMap<object, Map<string, Map<unknown, string>>>();

/**
 * One `Idempotency-Key` per mutate call, the same on each of its retries (TanStack Query calls
 * mutationFn again with the same variables): an API that honours it answers a retry whose first
 * try landed — its answer lost — with that first answer instead of writing twice. Kept per model
 * and kind of write, not per options object: hooks make new options on every render, and a retry
 * runs with the newest.
 */
function idempotencyKeys(binding: object, kind: 'create' | 'update' | 'remove') {
  let kinds = keysByBinding.get(binding);
  if (!kinds) keysByBinding.set(binding, (kinds = new Map()));
  let keys = kinds.get(kind);
  if (!keys) kinds.set(kind, (keys = new Map()));
  const pending = keys;
  return {
    of(variables: unknown): WriteRequest {
      let key = pending.get(variables);
      if (key === undefined) pending.set(variables, (key = newIdempotencyKey()));
      return { headers: { 'idempotency-key': key } };
    },
    settled(variables: unknown) {
      pending.delete(variables);
    },
  };
}

/** Whether the model's writes go through its outbox (durable with the app's local database, else in memory). */
function usesOutbox(binding: { outbox?: PushOutboxTarget }): boolean {
  return binding.outbox !== undefined;
}

/**
 * Retries and network mode of a write. Through the outbox, the write queue retries (and waits
 * offline for as long as it takes), so TanStack Query neither retries nor pauses it: the write is
 * stored at once, even offline. The mutation is marked so `useSyncStatus` counts it once (the
 * outbox counts it).
 */
function sending(binding: { retry: RetryPolicy }, durable: boolean) {
  return durable
    ? { retry: false, networkMode: 'always' as const, meta: { outbox: true } }
    : retryOptions(binding.retry);
}

/** A row's key as the outbox stores it. */
function keyOf(id: unknown): string | number {
  if (typeof id === 'string' || typeof id === 'number') return id;
  throw new TypeError(`a push write's key must be a string or a number, not ${typeof id}`);
}

/**
 * What each pending write's onMutate found, for its mutationFn (TanStack Query hands the second no
 * context): the draft key a create showed, the row an update or delete was based on. Kept per model,
 * not per options object: hooks make new options on every render, and a mutation runs with the
 * newest. Several calls with one input queue up.
 */
interface Handoff {
  draftId?: unknown;
  base?: Record<string, unknown> | null;
}
const handoffsByBinding = new WeakMap<object, Map<unknown, Handoff[]>>();

function handOff(binding: object, variables: unknown, handoff: Handoff): void {
  let byInput = handoffsByBinding.get(binding);
  if (!byInput) handoffsByBinding.set(binding, (byInput = new Map()));
  byInput.set(variables, [...(byInput.get(variables) ?? []), handoff]);
}

function takeHandoff(binding: object, variables: unknown): Handoff {
  const byInput = handoffsByBinding.get(binding);
  const queued = byInput?.get(variables);
  const handoff = queued?.shift();
  if (queued && !queued.length) byInput!.delete(variables);
  return handoff ?? {};
}

/** The row as the cache holds it (the item, else any list holding it): the base of a write to it. */
export function cachedRow<TRow, TId>(
  qc: QueryClient,
  binding: PushModelBinding<TRow, TId>,
  id: TId,
): Record<string, unknown> | null {
  const isRow = (value: unknown): value is TRow =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && sameId(binding.rowId(value as TRow), id);
  const detail = qc.getQueryData(binding.keys.detail(id));
  if (isRow(detail)) return detail as Record<string, unknown>;
  for (const [, data] of qc.getQueriesData({ queryKey: binding.keys.all })) {
    const pages = typeof data === 'object' && data !== null && Array.isArray((data as { pages?: unknown }).pages);
    for (const page of pages ? (data as { pages: unknown[] }).pages : [data]) {
      const found = rowsOf<TRow>(page, binding.itemsPath).find(isRow);
      if (found) return found as Record<string, unknown>;
    }
  }
  return null;
}

/** After a conflict, the server's row shows where the write's change was (the rollback restored the older one). */
function showServerRow<TRow, TId>(qc: QueryClient, binding: PushModelBinding<TRow, TId>, error: unknown): void {
  const server = (error as SyncError | undefined)?.conflict?.server as TRow | null | undefined;
  if (!server) return;
  const id = binding.rowId(server);
  editLists(qc, binding, (rows) => rows.map((r) => (sameId(binding.rowId(r), id) ? server : r)));
  qc.setQueryData(binding.keys.detail(id), (row: TRow | undefined) => (row === undefined ? row : server));
}

/** Cancels in-flight reads of the model (so they cannot overwrite the optimistic state) and snapshots its cache. */
function begin(qc: QueryClient, binding: { keys: { all: readonly unknown[] } }) {
  return snapshotCache(qc, binding.keys.all);
}

function editLists<TRow, TId>(
  qc: QueryClient,
  binding: PushModelBinding<TRow, TId>,
  fn: (rows: TRow[], isLast: boolean) => TRow[],
) {
  qc.setQueriesData({ queryKey: binding.keys.lists() }, (data: unknown) =>
    mapListItems<TRow>(data, binding.itemsPath, (rows) => fn(rows, true)),
  );
  qc.setQueriesData({ queryKey: binding.keys.infinites() }, (data: unknown) =>
    mapInfiniteItems<TRow>(data, binding.itemsPath, fn),
  );
}

function rollback(qc: QueryClient, context: OptimisticContext | undefined) {
  restoreCache(qc, context?.snapshot);
}

/** Runs after success and failure alike, outside render: the server is the judge (backend wins). */
function settle(
  qc: QueryClient,
  binding: { keys: { all: readonly unknown[] }; related: readonly (readonly unknown[])[]; tags?: readonly string[] },
) {
  return invalidateTouched(qc, { roots: [binding.keys.all, ...binding.related], live: [], tags: binding.tags ?? [] });
}

export interface CreateConfig<TRow, TInput, TResult> {
  send: (input: TInput, request: WriteRequest) => Promise<TResult>;
  /** Completes the input before it is validated, shown and sent (e.g. a client-generated key). */
  prepare?: (input: TInput) => TInput;
  validator?: StandardSchemaV1;
  /** The saved row, when the endpoint answers with it. */
  rowOf?: (result: TResult) => TRow | undefined;
  /** The kind of the model's key: a draft key of that kind stands in until the server answers. */
  keyKind: KeyKind;
  /** The row shown until the server answers; its key is the input's own (client-chosen or client-generated) or `draftKey`. */
  draft: (input: TInput, draftKey: string | number) => TRow;
  /** The request the create makes, stored by the outbox (with a local database). */
  request?: (input: TInput) => StoredRequest;
}

export function createMutationOptions<TRow, TId, TInput, TResult>(
  qc: QueryClient,
  binding: PushModelBinding<TRow, TId>,
  config: CreateConfig<TRow, TInput, TResult>,
): WriteOptions<TResult, TInput> {
  const keys = idempotencyKeys(binding, 'create');
  const durable = config.request !== undefined && usesOutbox(binding);
  return {
    mutationKey: [...binding.keys.all, 'create'],
    mutationFn: (raw) => {
      // all of it before the first await: the draft this call showed, and its place in the outbox's order
      const draftId = durable ? keyOf(takeHandoff(binding, raw).draftId) : undefined;
      const outbox = durable ? pushOutboxOf(qc, binding) : undefined;
      const input = async () => {
        const prepared = config.prepare ? config.prepare(raw) : raw;
        return config.validator ? await validateInput(config.validator, prepared, 'create input') : prepared;
      };
      if (!outbox) return input().then((ready) => config.send(ready, keys.of(raw)));
      return outbox.write('insert', async () => {
        const ready = await input();
        return { key: draftId!, body: ready as Record<string, unknown>, request: config.request!(ready) };
      }) as Promise<TResult>;
    },
    ...sending(binding, durable),
    onMutate: async (raw) => {
      const snapshot = await begin(qc, binding);
      const draft = config.draft(config.prepare ? config.prepare(raw) : raw, draftKey(config.keyKind));
      editLists(qc, binding, (rows, isLast) => (isLast ? [...rows, draft] : rows));
      const draftId = binding.rowId(draft);
      if (durable) handOff(binding, raw, { draftId });
      return { snapshot, draftId };
    },
    onSuccess: (result, _input, context) => {
      const row = config.rowOf?.(result);
      if (row === undefined) return;
      editLists(qc, binding, (rows) => rows.map((r) => (sameId(binding.rowId(r), context?.draftId) ? row : r)));
      qc.setQueryData(binding.keys.detail(binding.rowId(row)), row);
    },
    onError: (_error, _input, context) => rollback(qc, context),
    onSettled: (_result, _error, variables) => {
      keys.settled(variables);
      return settle(qc, binding);
    },
  };
}

export interface UpdateVariables<TId, TPatch> {
  id: TId;
  patch: TPatch;
}

export interface UpdateConfig<TRow, TId, TPatch, TResult> {
  send: (id: TId, patch: TPatch, request: WriteRequest) => Promise<TResult>;
  validator?: StandardSchemaV1;
  rowOf?: (result: TResult) => TRow | undefined;
  /** The request the update makes, stored by the outbox (with a local database). */
  request?: (id: TId, patch: TPatch) => StoredRequest;
}

export function updateMutationOptions<TRow, TId, TPatch, TResult>(
  qc: QueryClient,
  binding: PushModelBinding<TRow, TId>,
  config: UpdateConfig<TRow, TId, TPatch, TResult>,
): WriteOptions<TResult, UpdateVariables<TId, TPatch>> {
  const keys = idempotencyKeys(binding, 'update');
  const durable = config.request !== undefined && usesOutbox(binding);
  return {
    mutationKey: [...binding.keys.all, 'update'],
    mutationFn: (variables) => {
      const outbox = durable ? pushOutboxOf(qc, binding) : undefined; // before any await: the outbox's order is the calls'
      const { base = null } = durable ? takeHandoff(binding, variables) : {};
      const patch = async () =>
        config.validator ? await validateInput(config.validator, variables.patch, 'update input') : variables.patch;
      if (!outbox) return patch().then((ready) => config.send(variables.id, ready, keys.of(variables)));
      return outbox.write('update', async () => {
        const ready = await patch();
        const target = binding.outbox;
        // field-merge sends only what the write changed (a field it set to its value as seen stays the
        // server's), unless the update takes the whole body; what it changed is what a merge weighs
        const body = target?.conflict?.strategy === 'field-merge' ? changedFields(base, ready as Row) : (ready as Row);
        return {
          key: keyOf(variables.id),
          body,
          base,
          request: config.request!(variables.id, (target?.wholeUpdate ? ready : body) as TPatch),
        };
      }) as Promise<TResult>;
    },
    ...sending(binding, durable),
    onMutate: async (variables) => {
      const { id, patch } = variables;
      const snapshot = await begin(qc, binding);
      if (durable) handOff(binding, variables, { base: cachedRow(qc, binding, id) });
      const merge = (row: TRow) => ({ ...row, ...(patch as object) }) as TRow;
      editLists(qc, binding, (rows) => rows.map((r) => (sameId(binding.rowId(r), id) ? merge(r) : r)));
      qc.setQueryData(binding.keys.detail(id), (row: TRow | undefined) => (row === undefined ? row : merge(row)));
      return { snapshot };
    },
    onSuccess: (result, { id }) => {
      const row = config.rowOf?.(result);
      if (row !== undefined) qc.setQueryData(binding.keys.detail(id), row);
    },
    onError: (error, _variables, context) => {
      rollback(qc, context);
      showServerRow(qc, binding, error);
    },
    onSettled: (_result, _error, variables) => {
      keys.settled(variables);
      return settle(qc, binding);
    },
  };
}

export interface RemoveConfig<TId, TResult> {
  send: (id: TId, request: WriteRequest) => Promise<TResult>;
  /** The request the delete makes, stored by the outbox (with a local database). */
  request?: (id: TId) => StoredRequest;
}

export function removeMutationOptions<TRow, TId, TResult>(
  qc: QueryClient,
  binding: PushModelBinding<TRow, TId>,
  config: RemoveConfig<TId, TResult>,
): WriteOptions<TResult, TId> {
  const keys = idempotencyKeys(binding, 'remove');
  const durable = config.request !== undefined && usesOutbox(binding);
  return {
    mutationKey: [...binding.keys.all, 'remove'],
    mutationFn: (id) => {
      const outbox = durable ? pushOutboxOf(qc, binding) : undefined;
      if (!outbox) return config.send(id, keys.of(id));
      const { base = null } = takeHandoff(binding, id);
      return outbox.write('delete', () => ({
        key: keyOf(id),
        body: null,
        base,
        request: config.request!(id),
      })) as Promise<TResult>;
    },
    ...sending(binding, durable),
    onMutate: async (id) => {
      const snapshot = await begin(qc, binding);
      if (durable) handOff(binding, id, { base: cachedRow(qc, binding, id) });
      editLists(qc, binding, (rows) => rows.filter((r) => !sameId(binding.rowId(r), id)));
      return { snapshot };
    },
    onSuccess: (_result, id) => qc.removeQueries({ queryKey: binding.keys.detail(id), exact: true }),
    onError: (error, _id, context) => {
      rollback(qc, context);
      showServerRow(qc, binding, error);
    },
    onSettled: (_result, _error, variables) => {
      keys.settled(variables);
      return settle(qc, binding);
    },
  };
}

/** The newest error of a set of mutations, as the unified `error` field. */
export function latestError(...states: { error: unknown; submittedAt: number }[]): SyncError | null {
  const failed = states.filter((s) => s.error).sort((a, b) => b.submittedAt - a.submittedAt);
  return failed.length ? toSyncError(failed[0].error) : null;
}
