import { hashKey, type QueryKey } from '@tanstack/react-query';
import {
  createLiveQueryCollection,
  type Collection,
  type InitialQueryBuilder,
  type QueryBuilder,
} from '@tanstack/react-db';
import { useMemo, useSyncExternalStore } from 'react';
import type { LiveQueryLike } from '../live/live-result';

type AnyCollection = Collection<object, string | number>;
type Change = { type: 'insert' | 'update' | 'delete'; key: string | number; value: object };

/**
 * A live query's rows as a component reads them, kept change by change.
 *
 * react-db's `useLiveQuery` copies its whole result on every change (its observer takes
 * `Array.from(collection.entries())` for each snapshot): over a result of a thousand rows that copy
 * was most of a change's cost. Here an update to rows already shown replaces them in a copy of the
 * array, found by key; anything that moves the layout (an insert, a delete, a reorder) reads the
 * result again in the collection's own order, so the rows are exactly those `useLiveQuery` shows.
 */
class LiveRows {
  private rows: object[] = [];
  private at = new Map<string | number, number>();
  private layout: number | undefined;
  private snapshot: LiveQueryLike<object[]>;
  private readonly listeners = new Set<() => void>();
  private release: (() => void) | undefined;

  constructor(private readonly collection: AnyCollection) {
    this.snapshot = this.read();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.attach();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.detach();
    };
  };

  getSnapshot = (): LiveQueryLike<object[]> => this.snapshot;

  private attach() {
    // subscribing starts the live query (and, on an on-demand source, loads its subset); a
    // subscription is told of deletes and updates only for rows it was sent, hence the initial state
    const changes = this.collection.subscribeChanges((batch) => this.apply(batch as Change[]), {
      includeInitialState: true,
    });
    const status = this.collection.on('status:change', () => this.publish(this.read()));
    this.release = () => {
      changes.unsubscribe();
      status();
    };
    this.publish(this.read());
  }

  private detach() {
    this.release?.();
    this.release = undefined;
  }

  private apply(changes: Change[]) {
    if (changes.length === 0) return;
    const inPlace =
      this.layoutRevision() === this.layout &&
      changes.every((change) => change.type === 'update' && this.at.has(change.key));
    if (!inPlace) return this.publish(this.read());
    const rows = this.rows.slice();
    for (const change of changes) rows[this.at.get(change.key)!] = change.value;
    this.rows = rows;
    this.publish(this.snapshotOf(rows));
  }

  /** The whole result again, in the collection's order. */
  private read(): LiveQueryLike<object[]> {
    const rows: object[] = [];
    const at = new Map<string | number, number>();
    for (const [key, row] of this.collection.entries()) {
      at.set(key, rows.length);
      rows.push(row);
    }
    this.rows = rows;
    this.at = at;
    this.layout = this.layoutRevision();
    return this.snapshotOf(rows);
  }

  private snapshotOf(rows: object[]): LiveQueryLike<object[]> {
    const status = this.collection.status;
    return { data: rows, isReady: status === 'ready', isError: status === 'error' };
  }

  private publish(snapshot: LiveQueryLike<object[]>) {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }

  /** TanStack DB counts layout moves (membership, order) of a collection; absent, every change re-reads. */
  private layoutRevision(): number | undefined {
    return (this.collection as { _layoutRevision?: number })._layoutRevision;
  }
}

/**
 * The rows of a live query over `source`, re-rendering as they change. `identity` names the query
 * (its parameters): a new identity starts a new live query, as a new query key does in TanStack
 * Query. The query stops a moment after its last component unmounts.
 */
export function useLiveRows<T extends object>(
  source: Collection<T, any, any, any, any>,
  identity: QueryKey,
  query: (q: InitialQueryBuilder) => QueryBuilder<any>,
): LiveQueryLike<T[]> {
  const hash = hashKey(identity);
  const store = useMemo(
    () => new LiveRows(createLiveQueryCollection({ query, startSync: false, gcTime: 1 }) as unknown as AnyCollection),
    // the query is rebuilt on every render; its identity is the source and the key
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [source, hash],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot) as LiveQueryLike<T[]>;
}

/** The one row a live query selects (a lookup by key), or undefined while it has none. */
export function useLiveRow<T extends object>(
  source: Collection<T, any, any, any, any>,
  identity: QueryKey,
  query: (q: InitialQueryBuilder) => QueryBuilder<any>,
): LiveQueryLike<T> {
  const { data, isReady, isError } = useLiveRows(source, identity, query);
  return { data: data?.[0], isReady, isError };
}
