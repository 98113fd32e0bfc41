import { createTransaction } from '@tanstack/react-db';
import { isDraftKey, rememberSavedKey, savedKeyOf } from '../writes/draft-keys';
import { newIdempotencyKey, readField } from '../client/request-helpers';
import { withSavedKey, type Outbox, type OutboxEntry, type StoredRequest } from '../sqlite/outbox';
import type { SyncRequest, SyncResponse } from '../client/sync-client';
import { SyncError } from '../client/sync-error';
import { collectionReady, type StartableCollection } from './collection-ready';
import type { LiveStatus } from '../status/live-status';
import { RefusalListing, refusalOf } from '../writes/refused-writes';
import { txidOf } from './txid';
import { WriteQueueStopped, type WriteQueue } from '../writes/write-queue';
import { alreadyHeld, ifMatchOf, type ConflictPolicy, type Row } from '../conflicts/conflict-policy';
import { classifyFailure, conflictError, resolveStale } from '../conflicts/write-conflict';
import { AnsweredRows } from '../conflicts/answered-rows';

/** How many times a stale update is made anew and sent again before it is listed as a conflict. */
const MAX_RESOLVE_ROUNDS = 5;

/**
 * How long TanStack DB keeps an accepted write's optimistic state waiting for its txid. The API has
 * accepted it, so rolling it back only makes the row blink out until the stream brings it; the
 * wait covers a stream that is reconnecting (Electric's client backs off while a server restarts).
 * The outbox entry waits longer: until the txid is seen, however long that takes.
 */
export const TXID_WAIT_MS = 30_000;

/** The handlers' result: wait for the txids that are known. */
export function matchTxids(txids: (number | undefined)[]): { txid: number[]; timeout: number } {
  return { txid: txids.filter((t): t is number => t !== undefined), timeout: TXID_WAIT_MS };
}

/** The requests a model's writes make (generated: method, path, body from the row or the changes). */
export interface WriteRequests<TKey> {
  insert?: (row: Record<string, unknown>) => StoredRequest;
  update?: (key: TKey, changes: Record<string, unknown>, row: Record<string, unknown>) => StoredRequest;
  remove?: (key: TKey) => StoredRequest;
}

/** The collection calls the writer makes (TanStack DB's, narrowed). */
export interface WriterCollection<TKey> extends StartableCollection {
  has(key: TKey): boolean;
  get(key: TKey): Record<string, unknown> | undefined;
  insert(row: Record<string, unknown>): unknown;
  update(key: TKey, change: (draft: Record<string, unknown>) => void): unknown;
  delete(key: TKey): unknown;
  utils: {
    awaitTxId(txid: number, timeout?: number): Promise<boolean>;
    awaitMatch?(match: (message: unknown) => boolean, timeout?: number): Promise<boolean>;
  };
}

export interface OutboxWriterOptions<TKey> {
  open: () => Promise<Outbox>;
  queue: WriteQueue;
  status: LiveStatus;
  /** Sends one request (the app's client: base URL, auth headers, fetch). */
  send: (request: SyncRequest) => Promise<SyncResponse<unknown>>;
  requests: WriteRequests<TKey>;
  /** A key the server chooses: the field of the create's answer that holds it (draft keys stand in until then). */
  savedKeyField?: string;
  /** Resolves once every synced batch received so far is saved (local-first); an entry is confirmed only after. */
  flushed?: () => Promise<void>;
  /** `x-sync.version` / `x-sync.conflict`: the precondition writes send, and what a 412 leads to. */
  conflict?: ConflictPolicy<Row>;
  /** A row's key (to find a synced change of the row a write ended on). */
  keyOf?: (row: Row) => string | number;
}

interface Tracked {
  entry: OutboxEntry;
  settled: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A live collection's writes on their way to the API. Each is stored in the outbox with its exact
 * request and Idempotency-Key before it is sent (durable when the app has a local database), sent
 * through the write queue (in order, waiting out offline spells), marked `sent` with the txid the
 * API answered, and taken out only once that txid is in the synced data — or, refused, kept and
 * listed (`status.refusedWrites`) until the app retries or discards it.
 *
 * A restart replays what a previous run left: queued writes are sent again exactly as stored,
 * whether or not their rows are visible locally (the server decides); sent ones wait for their
 * txid. Writes made meanwhile are sent after them, so an old entry never overwrites a newer edit.
 */
export class OutboxWriter<TKey extends string | number> {
  private outbox: Promise<Outbox> | undefined;
  private readonly tracked = new Map<number, Tracked>();
  private stopped = false;
  private collection: WriterCollection<TKey> | undefined;
  /** Resolves once a previous run's writes are in the queue: new writes go after them. */
  private replayed: Promise<void> = Promise.resolve();

  private readonly refusals: RefusalListing;
  /** This run's applied writes, by what each was based on: a write made before the answer showed follows it. */
  private readonly answeredRows = new AnsweredRows(() => this.options.conflict);
  /** Bases that are rows the API answered (not a screen's optimistic row): field-merge may skip a write they already hold. */
  private readonly serverBases = new WeakSet<object>();
  /** Writes that ended without a request, until the stream shows their row at the server's version. */
  private readonly syncing = new Map<number, Promise<void>>();

  constructor(private readonly options: OutboxWriterOptions<TKey>) {
    this.refusals = new RefusalListing(options.status.name, {
      retry: (seq) => this.retry(seq),
      discard: (seq) => this.discard(seq),
    });
  }

  private store(): Promise<Outbox> {
    return (this.outbox ??= this.options.open());
  }

  /** A write the app just made (TanStack DB's mutation handler): its txid once the API accepted it. */
  async write(
    op: OutboxEntry['op'],
    key: TKey,
    body: Record<string, unknown> | null,
    request: StoredRequest,
    /** The row the write was based on: its version goes out as If-Match. */
    base: Row | null = null,
  ): Promise<number | undefined> {
    await this.replayed;
    // a row still shown under its draft key whose create the server has saved: the write names the saved key
    const saved = isDraftKey(key) ? (savedKeyOf(key) as TKey) : key;
    if (saved !== key) request = withSavedKey(request, key, saved);
    const entry: Omit<OutboxEntry, 'seq'> = {
      op,
      key: saved,
      body,
      base,
      request,
      idempotencyKey: newIdempotencyKey(),
      state: 'queued',
    };
    const seq = await (await this.store()).enqueue(entry);
    const tracked = this.track({ ...entry, seq });
    tracked.settled.catch(() => undefined); // the handler's own rejection reports it
    return this.deliver(tracked);
  }

  /** Starts the writer on `collection`: replays what a previous run left in the outbox. */
  start(collection: WriterCollection<TKey>): Promise<void> {
    this.collection = collection;
    const run = this.replay(collection);
    this.replayed = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Confirmed by the save of a synced batch (local-first): those writes are done. */
  confirmed(seqs: readonly number[]): void {
    for (const seq of seqs) this.settle(seq);
  }

  /** Sends a refused write again, with a new Idempotency-Key; it shows again until settled. */
  async retry(seq: number): Promise<void> {
    const tracked = this.tracked.get(seq);
    if (!tracked || tracked.entry.state !== 'refused') return;
    const request = tracked.entry.request ?? this.legacyRequest(tracked.entry);
    // taken at once: a second call (a double click) finds it queued and sends nothing
    tracked.entry.state = 'queued';
    const idempotencyKey = newIdempotencyKey();
    // a stale write sent again is based on the row the server answered: the client's version wins
    const base = tracked.entry.refusal?.conflict?.server ?? tracked.entry.base;
    try {
      const outbox = await this.store();
      if (base !== tracked.entry.base) await outbox.rewrite(seq, { ...tracked.entry, request, base, idempotencyKey });
      await outbox.requeue(seq, idempotencyKey, request);
    } catch (error) {
      tracked.entry.state = 'refused';
      throw error;
    }
    const next = this.track({
      ...tracked.entry,
      base,
      request,
      idempotencyKey,
      state: 'queued',
      txid: undefined,
      refusal: undefined,
    });
    this.show(next);
    await this.deliver(next).catch(() => undefined); // a new refusal is listed again
  }

  /** Drops a refused write: the server's state stands. */
  async discard(seq: number): Promise<void> {
    const tracked = this.tracked.get(seq);
    if (!tracked || tracked.entry.state !== 'refused') return;
    await (await this.store()).remove(seq);
    this.tracked.delete(seq);
    this.publish();
  }

  private track(entry: OutboxEntry): Tracked {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const settled = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    const tracked = { entry, settled, resolve, reject };
    this.tracked.set(entry.seq, tracked);
    this.publish();
    return tracked;
  }

  private settle(seq: number): void {
    const tracked = this.tracked.get(seq);
    if (!tracked || tracked.entry.state === 'refused') return;
    this.tracked.delete(seq);
    tracked.resolve();
    this.publish();
  }

  /** `pendingWrites` is what the outbox holds in flight; refusals are listed apart. */
  private publish(): void {
    const all = [...this.tracked.values()].map((t) => t.entry);
    this.options.status.setPendingWrites(all.filter((e) => e.state !== 'refused').length);
    this.options.status.setRefusedWrites(this.refusals.of(all));
  }

  /** Sends the stored request through the queue; resolves to its txid, or rejects with the refusal. */
  private deliver(tracked: Tracked): Promise<number | undefined> {
    const { entry } = tracked;
    return this.options.queue
      .run(() => this.attempt(entry))
      .then(
        // a write that ended without a request waits, outside the queue, for its row to show
        async (txid) => (await this.syncing.get(entry.seq), txid),
        async (error: unknown) => {
          if (error instanceof WriteQueueStopped) throw error; // not sent: it stays queued for the next start
          // applied, but its answer had no txid: attempt took it out already (nothing to wait for)
          if (!this.tracked.has(entry.seq)) throw error;
          const outbox = await this.store();
          const refusal = refusalOf(error);
          await outbox.refused(entry.seq, refusal);
          entry.state = 'refused';
          entry.refusal = refusal;
          tracked.reject(error);
          this.publish();
          throw error;
        },
      );
  }

  /**
   * One try. A stale update (412) is decided by the model's strategy: made anew on the server's row
   * and sent again, dropped for the server's row, or refused as a conflict; a delete of a row
   * already gone is done. Resolves to the txid to wait for (none when nothing was written).
   */
  private async attempt(entry: OutboxEntry): Promise<number | undefined> {
    const outbox = await this.store();
    // made before this client's previous write of the row reached the screen: based on its answer
    if (this.answeredRows.advance(entry)) {
      this.serverBases.add(entry.base!);
      await outbox.rebase([entry.seq], entry.base!, entry.ifMatch);
    }
    if (entry.base && this.serverBases.has(entry.base) && alreadyHeld(this.options.conflict, entry))
      return this.done(entry, entry.base);
    for (let round = 1; ; round++) {
      const stored = entry.request ?? this.legacyRequest(entry);
      const ifMatch = ifMatchOf(this.options.conflict, entry.op, entry.base);
      let answer: SyncResponse<unknown>;
      try {
        answer = await this.options.send({
          ...stored,
          headers: { 'idempotency-key': entry.idempotencyKey, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        });
      } catch (error) {
        const outcome = classifyFailure(entry, error);
        if ('failure' in outcome) throw error;
        if ('done' in outcome) return this.done(entry);
        const resolved =
          outcome.conflict.reason === 'stale' && round < MAX_RESOLVE_ROUNDS
            ? resolveStale(this.options.conflict, entry, outcome.conflict)
            : { refuse: outcome.conflict };
        const update = this.options.requests.update;
        if ('resend' in resolved && update) {
          this.serverBases.add(resolved.base);
          const row = { ...resolved.base, ...resolved.resend };
          const rewritten = {
            body: resolved.resend,
            base: resolved.base,
            request: update(entry.key as TKey, resolved.resend, row),
            idempotencyKey: newIdempotencyKey(),
          };
          await outbox.rewrite(entry.seq, rewritten);
          Object.assign(entry, rewritten);
          continue;
        }
        if ('keepServer' in resolved) return this.done(entry, resolved.keepServer);
        throw conflictError(
          this.options.status.name,
          entry,
          'refuse' in resolved ? resolved.refuse : outcome.conflict,
          error,
        );
      }
      return this.accepted(entry, stored, answer);
    }
  }

  /**
   * Nothing to write after all (the row is already gone; the server's row stands, or already holds
   * the changes): the entry is done, and the row's later writes are based on `server` when known.
   */
  private async done(entry: OutboxEntry, server?: Row): Promise<undefined> {
    await (await this.store()).remove(entry.seq);
    // settled once the stream shows the row at the server's version, outside the write queue: the
    // model's next writes go on meanwhile
    const shown = server ? this.syncedUpTo(entry.key, server) : Promise.resolve();
    this.syncing.set(
      entry.seq,
      shown.then(() => {
        this.syncing.delete(entry.seq);
        this.settle(entry.seq);
      }),
    );
    return undefined;
  }

  /**
   * Waits (up to TXID_WAIT_MS) until the stream has brought row `key` at `server`'s version: a write
   * that ends without a request has no txid to wait for, and its optimistic change must not give
   * way to an older synced row.
   */
  private async syncedUpTo(key: string | number, server: Row): Promise<void> {
    const version = this.options.conflict?.version;
    const awaitMatch = this.collection?.utils.awaitMatch;
    const keyOf = this.options.keyOf;
    if (!version || !awaitMatch || !keyOf || server[version] === undefined) return;
    const wanted = server[version];
    const reached = (value: unknown) =>
      typeof wanted === 'number' ? Number(value) >= wanted : String(value) === String(wanted);
    const match = (message: unknown) => {
      const value = (message as { value?: Row } | null)?.value;
      return value !== undefined && value[version] !== undefined && keyOf(value) === key && reached(value[version]);
    };
    await awaitMatch.call(this.collection!.utils, match, TXID_WAIT_MS).catch(() => undefined);
  }

  /**
   * `entry` was applied and answered with `row`: the row's waiting writes based on what it was
   * based on are based on the answer (a version `this.answeredRows` follows for writes not queued yet).
   */
  private async rebaseLater(entry: OutboxEntry, key: string | number, row: unknown): Promise<void> {
    if (entry.op === 'delete' || typeof row !== 'object' || row === null) return;
    const from = this.answeredRows.record(entry, key, row as Row);
    if (from === undefined) return;
    const later = [...this.tracked.values()]
      .map((t) => t.entry)
      .filter((e) => e.seq > entry.seq && e.key === key && e.state === 'queued' && this.answeredRows.basedOn(e, from));
    if (!later.length) return;
    this.serverBases.add(row);
    await (
      await this.store()
    ).rebase(
      later.map((e) => e.seq),
      row as Row,
    );
    for (const e of later) e.base = row as Row;
  }

  private async accepted(
    entry: OutboxEntry,
    stored: StoredRequest,
    { response, data }: SyncResponse<unknown>,
  ): Promise<number> {
    let txid: number;
    try {
      txid = txidOf(response, `${stored.method} ${stored.path}`);
    } catch (error) {
      // the API did the write but its answer cannot be matched in the stream: nothing to wait for
      await (await this.store()).remove(entry.seq);
      this.settle(entry.seq);
      throw error;
    }
    // a key the server chose (the entry's is a draft, perhaps of an earlier run: not known as one now)
    const saved =
      entry.op === 'insert' && this.options.savedKeyField ? readField(data, this.options.savedKeyField) : undefined;
    const key = typeof saved === 'string' || typeof saved === 'number' ? saved : entry.key;
    if (key !== entry.key) {
      if (isDraftKey(entry.key)) rememberSavedKey(entry.key, key);
      // later writes of the row (stored, or waiting in the queue) name the saved key, across restarts too
      await (await this.store()).rekey(entry.key, key);
      for (const { entry: later } of this.tracked.values())
        if (later.seq !== entry.seq && later.key === entry.key)
          Object.assign(later, { key, request: withSavedKey(later.request, entry.key, key) });
    }
    await this.rebaseLater(entry, key, data);
    const alreadySynced = await (await this.store()).sent(entry.seq, txid);
    if (alreadySynced) this.settle(entry.seq);
    else {
      entry.state = 'sent';
      entry.txid = txid;
      void this.watch(entry.seq, txid);
    }
    return txid;
  }

  /** Waits for the txid in the synced data (as long as it takes), then confirms the entry once its batch is saved. */
  private async watch(seq: number, txid: number): Promise<void> {
    const collection = this.collection;
    if (!collection) return;
    for (;;) {
      if (this.stopped || !this.tracked.has(seq)) return;
      const tried = Date.now();
      try {
        if (await collection.utils.awaitTxId(txid, TXID_WAIT_MS)) break;
      } catch {
        // not yet (a stream that reconnects, or lags): keep waiting — never in a tight loop
        if (Date.now() - tried < 1_000) await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    await this.options.flushed?.();
    if (this.stopped || !this.tracked.has(seq)) return;
    await (await this.store()).remove(seq);
    this.settle(seq);
  }

  private async replay(collection: WriterCollection<TKey>): Promise<void> {
    const entries = await (await this.store()).entries();
    if (!entries.length) return;
    const waiting: Tracked[] = [];
    for (const entry of entries) {
      const tracked = this.track(entry);
      tracked.settled.catch(() => undefined); // listed as refused instead
      if (entry.state === 'refused') continue;
      waiting.push(tracked);
      // in the order they were made, before any write of this run
      if (entry.state === 'queued') void this.deliver(tracked).catch(() => undefined);
      else if (entry.txid !== undefined) void this.watch(entry.seq, entry.txid);
    }
    // shown again over the stored rows until settled (sending does not wait for this)
    void collectionReady(collection).then(() => {
      for (const tracked of waiting) if (this.tracked.get(tracked.entry.seq) === tracked) this.show(tracked);
    });
  }

  /** A write's optimistic state, held until it settles (rolled back if refused). Best effort: a row not there is not shown. */
  private show(tracked: Tracked): void {
    const collection = this.collection;
    const { entry } = tracked;
    if (!collection) return;
    const key = entry.key as TKey;
    try {
      const transaction = createTransaction({ autoCommit: true, mutationFn: () => tracked.settled });
      transaction.mutate(() => {
        if (entry.op === 'insert' && !collection.has(key)) collection.insert(entry.body ?? {});
        else if (entry.op === 'update' && collection.has(key))
          collection.update(key, (draft) => void Object.assign(draft, entry.body));
        else if (entry.op === 'delete' && collection.has(key)) collection.delete(key);
      });
      transaction.isPersisted.promise.catch(() => undefined);
    } catch {
      // nothing to show (the change is already there): the write is still sent and confirmed
    }
  }

  /** An entry an earlier version stored without its request: made from the write as stored. */
  private legacyRequest(entry: OutboxEntry): StoredRequest {
    const { requests } = this.options;
    const key = entry.key as TKey;
    const body = entry.body ?? {};
    const made =
      entry.op === 'insert'
        ? requests.insert?.(body)
        : entry.op === 'update'
          ? requests.update?.(key, body, { ...(this.collection?.get(key) ?? {}), ...body })
          : requests.remove?.(key);
    if (!made)
      throw new SyncError({
        kind: 'validation',
        message: `${this.options.status.name}: an outbox entry (${entry.op} ${String(entry.key)}) has no request, and the model has no ${entry.op} operation to make one`,
      });
    entry.request = made;
    return made;
  }
}
