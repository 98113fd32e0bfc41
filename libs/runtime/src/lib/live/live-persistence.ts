import type { IR } from '@tanstack/react-db';
import type { LocalStore, StoredChange, StreamPosition } from '../sqlite/local-store';
import { subsetFilter } from '../sqlite/subset-filter';
import type { LiveStatus } from '../status/live-status';

type Key = string | number;
type Row = Record<string, unknown>;

/** A synced change; a delete may name its row by key alone (Electric's collection does so for a row that moves out). */
type SyncMessage =
  | { type: 'insert' | 'update'; value: Row; metadata?: Record<string, unknown> }
  | { type: 'delete'; value: Row; metadata?: Record<string, unknown> }
  | { type: 'delete'; key: Key };
/** The parts of a collection's sync config and its parameters that persistence wraps. */
interface SyncParams {
  begin: (...args: never[]) => void;
  write: (message: SyncMessage) => void;
  commit: (...args: never[]) => unknown;
  truncate: () => void;
  markReady: () => void;
}
type SyncResult = void | (() => void) | { cleanup?: () => void; loadSubset?: (request: SubsetRequest) => unknown };
interface SyncConfig {
  sync: (params: never) => SyncResult;
}
/** What a live query asks of an on-demand collection (TanStack DB's `LoadSubsetOptions`, narrowed). */
interface SubsetRequest {
  where?: IR.BasicExpression<boolean>;
}
/** What the stream's own sync answers a subset with, once it runs (on-demand: a subset snapshot from the server). */
type InnerLoad = ((request: SubsetRequest) => unknown) | undefined;

/** Rows per background hydration step: each is one short task, so the UI keeps responding between them. */
export const HYDRATION_PAGE = 5_000;

/**
 * Puts a local store under a collection's sync. At start, the stored rows are the app's data
 * before the network answers, and the stream resumes from the stored position; afterwards every
 * batch the stream commits is saved with the position it reached.
 *
 * The collection runs in TanStack DB's on-demand mode: each live query's `where` is answered from
 * the local table first (`loadSubset`), so the rows a screen shows are there as soon as SQLite has
 * read them — a cold start does not wait for every stored row to enter the collection (100k rows
 * take TanStack DB about two seconds). The rest follow in the background, a page at a time, and
 * the collection is ready (`preload`, `toArrayWhenReady`) when all have.
 *
 * Which rows are in the collection is tracked here (`shown`): a stream update or delete of a row not
 * in it yet is only saved, and the row read back from SQLite once it is. The stream is asked for
 * whole rows in updates (`replica=full`, see live-collection), but an update is only ever applied
 * on top of a row the collection holds: from a server that sent just the changed columns, it would
 * otherwise be half a row.
 * `shapeOptions` is the object the Electric sync was created with (it reads offset/handle from it
 * when it starts); `position()` is the newest position the stream's responses reported.
 */
export function withLocalStore<C extends SyncConfig>(
  sync: C,
  options: {
    open: () => Promise<LocalStore>;
    shapeOptions: object;
    position: () => StreamPosition | undefined;
    keyOf: (row: Row) => Key;
    status: LiveStatus;
    /** The outbox writes a saved batch confirmed (their txids were in it). */
    onConfirmed?: (seqs: number[]) => void;
    /** Filled in: resolves once every batch committed so far is saved. */
    saves?: { flushed?: () => Promise<void> };
  },
): C {
  const inner = sync.sync as unknown as (params: SyncParams) => SyncResult;
  const wrapped = (params: SyncParams) => {
    let stopped = false;
    let cleanup: (() => void) | undefined;
    const reportError = (error: unknown) => options.status.set('error', error);
    /** Keys of the rows in the collection as synced rows. */
    const shown = new Set<Key>();
    /** Rows the stream changed or deleted while they were not shown: read back once saved. */
    let changedUnseen = new Set<Key>();
    /**
     * Keys with a read-back still to come, and how many: a row shown from an older read gets the
     * stream's next changes directly, and is read back again after them (else the earlier
     * read-back would put an older row over them).
     */
    const readBacks = new Map<Key, number>();
    /** Bumped by a truncate: reads from before it must not add their rows after it. */
    let epoch = 0;
    // SQLite work runs in order — saves, subset loads, hydration pages — so a read sees every
    // batch saved before it
    let queue: Promise<unknown> = Promise.resolve();
    const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work);
      queue = next.catch(() => undefined);
      return next;
    };
    if (options.saves) options.saves.flushed = () => inOrder(async () => undefined);
    // the stream's transaction stays open across responses until it is up to date: rows from
    // SQLite wait for its commit rather than land in it
    let streamOpen = false;
    let streamCommitted: (() => void)[] = [];
    const streamIdle = () =>
      streamOpen ? new Promise<void>((resolve) => streamCommitted.push(resolve)) : Promise.resolve();

    /**
     * Rows read from SQLite into the collection. Loaded rows (`replace` false) only add what is not
     * shown yet — a shown row is as new as the stream. Read-backs (`replace` true) replace shown
     * rows, and remove the `deleted` keys SQLite no longer has.
     */
    const show = async (
      local: LocalStore,
      rows: Row[],
      readAt: number,
      replace: boolean,
      deleted: readonly Key[] = [],
    ) => {
      await streamIdle();
      if (stopped || readAt !== epoch) return;
      const found = new Set(rows.map(options.keyOf));
      const writes = replace ? rows : rows.filter((row) => !shown.has(options.keyOf(row)));
      const gone = deleted.filter((key) => !found.has(key) && shown.has(key));
      if (!writes.length && !gone.length) return;
      params.begin();
      for (const value of writes) {
        const key = options.keyOf(value);
        params.write({ type: shown.has(key) ? 'update' : 'insert', value });
        shown.add(key);
      }
      for (const key of gone) {
        params.write({ type: 'delete', value: { [local.table.key]: key } });
        shown.delete(key);
      }
      await params.commit();
    };

    const store = options.open();
    // the stream's own loadSubset (on-demand: the server's rows of the subset), once it has started
    let innerLoad!: (load: InnerLoad) => void;
    const innerLoaded = new Promise<InnerLoad>((resolve) => (innerLoad = resolve));
    /** Whether the device had synced this shape before (a stored position): its rows answer first. */
    const resumed = store
      .then((local) => local.position())
      .then(
        (position) => position !== undefined,
        () => false,
      );
    const loadSubset = async (request: SubsetRequest) => {
      await inOrder(async () => {
        const local = await store;
        const readAt = epoch;
        await show(local, await local.select(subsetFilter(request.where, local.table)), readAt, false);
      });
      // the stored rows are shown first; then the server's, which the stream's commit saves too.
      // A device that has synced before answers from what it stored and refreshes in the
      // background (offline, the server's part waits for the network); a first start waits for
      // the server. A failure is the stream's status, not the query's
      const fromServer = (async () => {
        const server = await innerLoaded;
        if (!server || stopped) return;
        try {
          await server(request);
        } catch (error) {
          if (!stopped) reportError(error);
        }
      })();
      if (!(await resumed)) await fromServer;
    };

    void (async () => {
      try {
        const local = await store;
        const position = await local.position();
        if (stopped) return;
        if (position) Object.assign(options.shapeOptions, { offset: position.offset, handle: position.handle });
        // ready once every stored row is in (the stored rows are the app's data until the stream
        // says more), and never before, whatever the stream says
        const hydrated = hydrate(local).catch((error: unknown) => (reportError(error), true));
        const markReady = () => void hydrated.then(() => !stopped && params.markReady());
        void hydrated.then((any) => (any || position) && !stopped && params.markReady());
        const pending: StoredChange[] = [];
        /** The txids of the batch's changes: writes of this client they confirm are confirmed with its save. */
        let batchTxids = new Set<number>();
        const result = inner({
          ...params,
          begin: (...args) => {
            streamOpen = true;
            params.begin(...args);
          },
          markReady,
          write: (received) => {
            const key = 'value' in received ? options.keyOf(received.value) : received.key;
            // a row the collection shows already (read from SQLite, or loaded by an earlier subset)
            // that the server sends again: an update of it, not a second insert
            const message: SyncMessage =
              received.type === 'insert' && shown.has(key) ? { ...received, type: 'update' } : received;
            const txids = 'metadata' in message ? message.metadata?.['txids'] : undefined;
            if (Array.isArray(txids)) for (const txid of txids) batchTxids.add(Number(txid));
            pending.push(
              message.type === 'delete' ? { type: 'delete', key } : { type: message.type, value: message.value },
            );
            if (message.type === 'insert' || shown.has(key)) {
              if (message.type === 'delete') shown.delete(key);
              else shown.add(key);
              params.write(message);
              if (readBacks.has(key)) changedUnseen.add(key);
            } else changedUnseen.add(key);
          },
          truncate: () => {
            pending.push({ type: 'truncate' });
            shown.clear();
            changedUnseen.clear();
            readBacks.clear();
            epoch++;
            params.truncate();
          },
          commit: (...args: never[]) => {
            const applied = params.commit(...args);
            streamOpen = false;
            const waiting = streamCommitted;
            streamCommitted = [];
            waiting.forEach((resolve) => resolve());
            const batch = pending.splice(0);
            const txids = [...batchTxids];
            batchTxids = new Set();
            const unseen = [...changedUnseen];
            changedUnseen = new Set();
            for (const key of unseen) readBacks.set(key, (readBacks.get(key) ?? 0) + 1);
            const reached = options.position();
            // saves run in commit order; a failure is reported, the in-memory collection goes on
            void inOrder(async () => {
              const confirmed = await local.save(batch, reached, txids);
              if (confirmed.length) options.onConfirmed?.(confirmed);
              // reads begun between the truncate and its save saw the old rows
              if (batch.some((change) => change.type === 'truncate')) epoch++;
              if (!unseen.length) return;
              const readAt = epoch;
              try {
                await show(local, await local.withKeys(unseen), readAt, true, unseen);
              } finally {
                for (const key of unseen) {
                  const left = (readBacks.get(key) ?? 1) - 1;
                  if (left > 0) readBacks.set(key, left);
                  else readBacks.delete(key);
                }
              }
            }).catch(reportError);
            return applied;
          },
        });
        cleanup = typeof result === 'function' ? result : result?.cleanup;
        innerLoad(typeof result === 'object' && result ? result.loadSubset : undefined);
        if (stopped) cleanup?.();
      } catch (error) {
        innerLoad(undefined);
        reportError(error);
      }
    })();

    /** Every stored row into the collection, a page per task, after whatever live queries asked for. Resolves to whether there was any. */
    async function hydrate(local: LocalStore): Promise<boolean> {
      let after: string | number | undefined;
      let any = false;
      for (;;) {
        // a macrotask between pages: subset loads and renders go first
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (stopped) return any;
        const page = await inOrder(async () => {
          const readAt = epoch;
          const rows = await local.select(undefined, { after, limit: HYDRATION_PAGE });
          await show(local, rows, readAt, false);
          return rows;
        });
        if (!page.length) return any;
        any = true;
        after = options.keyOf(page[page.length - 1]);
        if (page.length < HYDRATION_PAGE) return any;
      }
    }

    return {
      loadSubset: (request: SubsetRequest) => (stopped ? true : loadSubset(request)),
      cleanup: () => {
        stopped = true;
        cleanup?.();
      },
    };
  };
  return { ...sync, sync: wrapped as unknown as C['sync'] };
}
