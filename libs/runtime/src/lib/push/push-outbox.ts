import type { QueryClient } from '@tanstack/react-query';
import { invalidateTouched } from '../operations/operation-touches';
import { isDraftKey, rememberSavedKey, savedKeyOf } from '../writes/draft-keys';
import { liveModelIn } from '../status/live-scope';
import type { LiveStatus } from '../status/live-status';
import { RefusalListing, refusalOf } from '../writes/refused-writes';
import { unreachable, WriteQueue, WriteQueueStopped } from '../writes/write-queue';
import { newIdempotencyKey, readField } from '../client/request-helpers';
import type { RetryPolicy } from '../client/retry-policy';
import {
  memoryOutbox,
  openSqliteOutbox,
  withSavedKey,
  type Outbox,
  type OutboxEntry,
  type StoredRequest,
} from '../sqlite/outbox';
import type { SqliteDriver } from '../sqlite/sqlite-driver';
import type { SyncRequest, SyncResponse } from '../client/sync-client';
import { toSyncError } from '../client/sync-error';
import {
  alreadyHeld,
  entityTagIn,
  guards,
  ifMatchOf,
  type ConflictPolicy,
  type Row,
} from '../conflicts/conflict-policy';
import { classifyFailure, conflictError, resolveStale } from '../conflicts/write-conflict';
import { AnsweredRows } from '../conflicts/answered-rows';
import { overlayPendingWrites, type CachedRows } from './pending-overlay';

/** How a push model's writes reach the API through the outbox (generated per model). */
export interface PushOutboxTarget {
  /** `<api>/<model>`: the outbox's scope, and the model named in refused writes. */
  scope: string;
  /** Sends one stored request; the answer's data as the model's write functions give it. */
  send: (request: SyncRequest) => Promise<SyncResponse<unknown>>;
  /** The app's local database, read when the model is first used (the app configures it at start-up). */
  local: () => SqliteDriver | undefined;
  /** A key the server chooses: the field of a create's answer that holds it. */
  savedKeyField?: string;
  /** How long one try waits for its answer (default WRITE_ANSWER_TIMEOUT_MS). */
  answerTimeoutMs?: number;
  /** `x-sync.version` / `x-sync.conflict`: the precondition its writes send, and what a 412 leads to. */
  conflict?: ConflictPolicy<Row>;
  /** The request of an update made anew (a merge's changes on the server's row); `row` is the row it leaves. */
  updateRequest?: (key: string | number, changes: Row, row: Row) => StoredRequest;
  /** The update sends the whole body (PUT, or required fields): field-merge cannot leave unchanged fields out. */
  wholeUpdate?: boolean;
  /** The model's item read: with ETag versions, a 412 reads the row again for its row and ETag. */
  read?: (key: string | number) => StoredRequest;
}

/** A write as the outbox stores it: its row's key, what it changed, and its request. */
export interface PreparedWrite {
  key: string | number;
  body: Record<string, unknown> | null;
  /** The row as last seen from the server, the write's base (its version is sent as If-Match). */
  base?: Row | null;
  request: StoredRequest;
}

/**
 * How long one try of a write waits for the API's answer. Past it, the try counts as the API out
 * of reach and the write is sent again with its Idempotency-Key: a request that never answers must
 * not hold every later write of the model (and, after a restart, its reads) forever.
 */
export const WRITE_ANSWER_TIMEOUT_MS = 30_000;
/** A create's answer: the key the server saved the row under. */
function savedKeyIn(data: unknown, target: PushOutboxTarget): string | number | undefined {
  const saved = target.savedKeyField ? readField(data, target.savedKeyField) : undefined;
  return typeof saved === 'string' || typeof saved === 'number' ? saved : undefined;
}

/** How many times a stale update is made anew and sent again before it is listed as a conflict. */
export const MAX_RESOLVE_ROUNDS = 5;
/** How long a read waits, at most, for a previous run's writes to be tried: then it reads anyway. */
export const READ_WAIT_MS = 5_000;

interface Tracked {
  entry: OutboxEntry;
  settled: Promise<unknown>;
  resolve(data: unknown): void;
  reject(error: unknown): void;
}

/**
 * A push model's writes on their way to the API: each is stored in the outbox (durable on the
 * app's local database, else in memory for the page's life) with its exact request and Idempotency-Key before it is sent, sent in order through
 * the write queue (waiting out offline spells as long as it takes, server errors retried per
 * `x-sync.retry`), and taken out when the API answers 2xx. A refusal is kept and listed
 * (`useSyncStatus().refusedWrites`) until the app retries or discards it.
 *
 * Push mode has no stream to confirm a write by: the API's answer is the confirmation. A write
 * whose answer was lost (a crash, a dropped connection) is sent again with the same
 * Idempotency-Key, so an API that honours it answers with the first answer instead of writing twice.
 * At the model's first use after a restart, the writes a previous run left are sent again before
 * anything of this run, and the model's reads wait until each has been tried once.
 */
export class PushOutbox {
  private readonly tracked = new Map<number, Tracked>();
  private readonly queue: WriteQueue;
  private stopped = false;
  private readonly unsubscribe?: () => void;
  /** With ETag versions: each row's ETag as the API last answered it (item reads and writes). */
  private readonly etags = new Map<string, string>();
  /** This run's applied writes, by what each was based on: a write made before the answer showed follows it. */
  private readonly answeredRows = new AnsweredRows(() => this.target.conflict);
  /** Bases that are rows the API answered (not a screen's optimistic row): field-merge may skip a write they already hold. */
  private readonly serverBases = new WeakSet<object>();
  /** Writes are stored in the order the app made them, however long each one's validation takes. */
  private order: Promise<unknown> = Promise.resolve();
  private readonly refusals: RefusalListing;
  private readonly outbox: Promise<Outbox>;
  /** Resolves once a previous run's writes are in the queue: this run's go after them. */
  private readonly replayed: Promise<void>;
  /** Resolves once each of a previous run's writes has been tried (answered, refused, or found unreachable). */
  readonly replayTried: Promise<void>;

  constructor(
    private readonly target: PushOutboxTarget & { retry: RetryPolicy },
    database: SqliteDriver | undefined,
    readonly status: LiveStatus,
    /** A write of a previous run settled: the model's cached reads are stale. */
    private readonly onReplayed: () => void,
    /** The app's cache: fresh reads show the waiting writes over them (see overlayPendingWrites). */
    cache?: { queryClient: QueryClient; rows: CachedRows },
  ) {
    if (cache)
      this.unsubscribe = overlayPendingWrites(cache.queryClient, cache.rows, () =>
        [...this.tracked.values()].map((t) => t.entry),
      );
    this.queue = new WriteQueue(status, target.retry);
    this.refusals = new RefusalListing(status.name, {
      retry: (seq) => this.retry(seq),
      discard: (seq) => this.discard(seq),
    });
    status.set('live');
    this.outbox = database ? openSqliteOutbox(database, target.scope) : Promise.resolve(memoryOutbox());
    // reads wait for the replay until every stored write was tried, or one found the API out of
    // reach: the queue is in order, so the writes behind it wait as long as it does
    let outOfReach!: () => void;
    const apiOutOfReach = new Promise<void>((resolve) => (outOfReach = resolve));
    const replay = this.replay(outOfReach);
    this.replayed = replay.then(
      () => undefined,
      () => undefined,
    );
    this.replayTried = replay.then(
      (tries) => Promise.race([Promise.all(tries).then(() => undefined), apiOutOfReach]),
      (error: unknown) => void status.set('error', error),
    );
  }

  /**
   * A write the app just made: resolves to the API's answer, or rejects with its refusal (then
   * listed). `prepare` validates it and makes its request; it runs once the writes made before it
   * are stored, so the outbox keeps the order of the calls.
   */
  write(op: OutboxEntry['op'], prepare: () => PreparedWrite | Promise<PreparedWrite>): Promise<unknown> {
    if (this.stopped)
      return Promise.reject(
        new WriteQueueStopped(`${this.status.name}: the outbox was stopped (sign-out or teardown) before this write`),
      );
    const turn = this.order.then(async () => {
      await this.replayed;
      const { key, body, base = null, request } = await prepare();
      // a row still shown under its draft key whose create the server has saved: the write names the saved key
      const saved = savedKeyOf(key);
      const entry: Omit<OutboxEntry, 'seq'> = {
        op,
        key: saved,
        body,
        base,
        ...(op !== 'insert' && this.etagOf(saved) ? { ifMatch: this.etagOf(saved) } : {}),
        request: saved === key ? request : withSavedKey(request, key, saved),
        idempotencyKey: newIdempotencyKey(),
        state: 'queued',
      };
      const seq = await (await this.outbox).enqueue(entry);
      const tracked = this.track({ ...entry, seq });
      tracked.settled.catch(() => undefined); // the caller's own rejection reports it
      // into the queue within the turn: sent in the order stored (wrapped: the delivery is not awaited here)
      return { delivery: this.deliver(tracked) };
    });
    this.order = turn.catch(() => undefined);
    return turn.then(({ delivery }) => delivery);
  }

  /**
   * A 2xx answer about the row `key` (an item read, a write): its ETag, when versions are ETags. An
   * answer without one leaves the row's ETag unknown (its next write goes without If-Match) rather
   * than stale (its next write would conflict with this client's own).
   */
  rememberETag(key: string | number, response: Response): void {
    if (!this.target.conflict?.etag) return;
    const etag = entityTagIn(response.headers.get('etag'));
    if (etag) this.etags.set(String(key), etag);
    else this.etags.delete(String(key));
  }

  /** The ETag of row `key` as last answered (with ETag versions): a write made now sends it as If-Match. */
  etagOf(key: string | number): string | undefined {
    return this.target.conflict?.etag ? this.etags.get(String(key)) : undefined;
  }

  /** Sends a refused write again, with a new Idempotency-Key. */
  async retry(seq: number): Promise<void> {
    const tracked = this.tracked.get(seq);
    if (!tracked || tracked.entry.state !== 'refused' || !tracked.entry.request) return;
    // taken at once: a second call (a double click) finds it queued and sends nothing
    tracked.entry.state = 'queued';
    const idempotencyKey = newIdempotencyKey();
    // a stale write sent again is based on the row the server answered: the client's version wins
    const base = tracked.entry.refusal?.conflict?.server ?? tracked.entry.base;
    const ifMatch = this.etagOf(tracked.entry.key) ?? tracked.entry.ifMatch;
    try {
      const outbox = await this.outbox;
      if (base !== tracked.entry.base || ifMatch !== tracked.entry.ifMatch)
        await outbox.rewrite(seq, { ...tracked.entry, base, ifMatch, idempotencyKey });
      await outbox.requeue(seq, idempotencyKey, tracked.entry.request);
    } catch (error) {
      tracked.entry.state = 'refused';
      throw error;
    }
    const next = this.track({ ...tracked.entry, base, ifMatch, idempotencyKey, state: 'queued', refusal: undefined });
    next.settled.catch(() => undefined);
    // either way the cache is refreshed: the overlay showed the write while it waited
    await this.deliver(next).then(this.onReplayed, this.onReplayed); // a new refusal is listed again
  }

  /** Drops a refused write: the server's state stands. */
  async discard(seq: number): Promise<void> {
    const tracked = this.tracked.get(seq);
    if (!tracked || tracked.entry.state !== 'refused') return;
    await (await this.outbox).remove(seq);
    this.tracked.delete(seq);
    this.publish();
  }

  /** Stops sending (sign-out, test teardown): waiting writes stay in the outbox for the next start. */
  stop(): void {
    this.stopped = true;
    this.queue.stop();
    this.unsubscribe?.();
  }

  /** The previous run's entries: refused ones listed, the others sent again in order. Resolves to each one's first try. */
  private async replay(outOfReach: () => void): Promise<Promise<unknown>[]> {
    const entries = await (await this.outbox).entries();
    const tries: Promise<unknown>[] = [];
    for (const entry of entries) {
      const tracked = this.track(entry);
      tracked.settled.catch(() => undefined); // listed as refused instead
      if (entry.state === 'refused') continue;
      if (!entry.request) {
        // only a live outbox of an earlier version stored entries without their request
        this.refuse(
          tracked,
          new Error(`${this.status.name}: an outbox entry (${entry.op} ${String(entry.key)}) has no stored request`),
        );
        continue;
      }
      let tried!: () => void;
      tries.push(new Promise<void>((resolve) => (tried = resolve)));
      // refreshed whatever the outcome: a fresh read showed the waiting write over the server's rows
      void this.deliver(tracked, (reached) => (reached ? tried() : outOfReach())).then(
        this.onReplayed,
        this.onReplayed,
      );
    }
    return tries;
  }

  private track(entry: OutboxEntry): Tracked {
    let resolve!: (data: unknown) => void;
    let reject!: (error: unknown) => void;
    const settled = new Promise<unknown>((res, rej) => ((resolve = res), (reject = rej)));
    const tracked = { entry, settled, resolve, reject };
    this.tracked.set(entry.seq, tracked);
    this.publish();
    return tracked;
  }

  /** Sends the stored request through the queue; resolves to the answer, or rejects with the refusal. */
  private deliver(tracked: Tracked, tried?: (reached: boolean) => void): Promise<unknown> {
    const { entry } = tracked;
    const attempt = async () => {
      try {
        const data = await this.attempt(entry);
        tried?.(true);
        return data;
      } catch (error) {
        const failure = toSyncError(error);
        // the API cannot be reached: the write waits in the queue, and the app shows it is offline;
        // any other failure is an answer
        if (unreachable(failure)) this.status.set('offline', failure);
        else if (this.status.status !== 'live') this.status.set('live');
        tried?.(!unreachable(failure));
        throw error;
      }
    };
    return this.queue.run(attempt).then(
      (data) => {
        this.tracked.delete(entry.seq);
        tracked.resolve(data);
        this.publish();
        return data;
      },
      async (error: unknown) => {
        if (error instanceof WriteQueueStopped) {
          tried?.(false); // reads waiting for the replay go on
          throw error; // not sent: it stays queued for the next start
        }
        await (await this.outbox).refused(entry.seq, refusalOf(error));
        this.refuse(tracked, error);
        throw error;
      },
    );
  }

  private refuse(tracked: Tracked, error: unknown): void {
    tracked.entry.state = 'refused';
    tracked.entry.refusal = refusalOf(error);
    tracked.reject(error);
    this.publish();
  }

  /**
   * One try: a 2xx takes the entry out (the answer is the confirmation). A stale update (412) is
   * decided by the model's strategy: made anew on the server's row and sent again, dropped for the
   * server's row, or refused as a conflict; a delete of a row already gone is done.
   */
  private async attempt(entry: OutboxEntry): Promise<unknown> {
    const outbox = await this.outbox;
    // made before this client's previous write of the row was answered: based on that answer
    if (this.answeredRows.advance(entry)) {
      this.serverBases.add(entry.base!);
      await outbox.rebase([entry.seq], entry.base!, entry.ifMatch);
    }
    if (entry.base && this.serverBases.has(entry.base) && alreadyHeld(this.target.conflict, entry)) {
      await outbox.remove(entry.seq);
      return entry.base;
    }
    for (let round = 1; ; round++) {
      const signal = AbortSignal.timeout(this.target.answerTimeoutMs ?? WRITE_ANSWER_TIMEOUT_MS);
      const ifMatch = this.target.conflict?.etag
        ? guards(this.target.conflict, entry.op) && entry.ifMatch
        : ifMatchOf(this.target.conflict, entry.op, entry.base);
      let data: unknown;
      let response: Response;
      try {
        ({ data, response } = await this.target.send({
          ...entry.request!,
          headers: { 'idempotency-key': entry.idempotencyKey, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
          signal,
        }));
      } catch (error) {
        const outcome = classifyFailure(entry, error);
        if ('failure' in outcome) throw error;
        if ('done' in outcome) {
          await outbox.remove(entry.seq);
          return undefined;
        }
        // with ETag versions the row and its ETag are read again: a 412 need not carry either
        if (outcome.conflict.reason === 'stale' && this.target.conflict?.etag && this.target.read) {
          const current = await this.target.send({ ...this.target.read(entry.key), signal });
          this.rememberETag(entry.key, current.response);
          outcome.conflict.server = current.data as Row;
        }
        const resolved =
          outcome.conflict.reason === 'stale' && round < MAX_RESOLVE_ROUNDS
            ? resolveStale(this.target.conflict, entry, outcome.conflict)
            : { refuse: outcome.conflict };
        if ('resend' in resolved && this.target.updateRequest) {
          this.serverBases.add(resolved.base);
          const row = { ...resolved.base, ...resolved.resend };
          const rewritten = {
            body: resolved.resend,
            base: resolved.base,
            ifMatch: this.etagOf(entry.key),
            request: this.target.updateRequest(entry.key, resolved.resend, row),
            idempotencyKey: newIdempotencyKey(),
          };
          await outbox.rewrite(entry.seq, rewritten);
          Object.assign(entry, rewritten);
          continue;
        }
        if ('keepServer' in resolved) {
          await outbox.remove(entry.seq); // nothing applied: no later write follows from it
          return resolved.keepServer;
        }
        throw conflictError(this.status.name, entry, 'refuse' in resolved ? resolved.refuse : outcome.conflict, error);
      }
      if (this.status.status !== 'live') this.status.set('live');
      if (entry.op !== 'delete')
        this.rememberETag(entry.op === 'insert' ? (savedKeyIn(data, this.target) ?? entry.key) : entry.key, response);
      await this.answered(entry, data);
      return data;
    }
  }

  /** The API answered `entry` with `data`: later writes of its row name the key and version it now has. */
  private async answered(entry: OutboxEntry, data: unknown): Promise<void> {
    const outbox = await this.outbox;
    // a key the server chose: later writes of the row (stored, or waiting) name it, across restarts too
    const saved =
      entry.op === 'insert' && this.target.savedKeyField ? readField(data, this.target.savedKeyField) : undefined;
    if ((typeof saved === 'string' || typeof saved === 'number') && saved !== entry.key) {
      if (isDraftKey(entry.key)) rememberSavedKey(entry.key, saved);
      await outbox.rekey(entry.key, saved);
      for (const { entry: later } of this.tracked.values())
        if (later.seq !== entry.seq && later.key === entry.key)
          Object.assign(later, { key: saved, request: withSavedKey(later.request, entry.key, saved) });
    }
    // applied: the row's waiting writes based on what this one was based on are based on its answer
    const key = typeof saved === 'string' || typeof saved === 'number' ? saved : entry.key;
    if (entry.op !== 'delete' && typeof data === 'object' && data !== null) {
      const ifMatch = this.etagOf(key);
      const from = this.answeredRows.record(entry, key, data as Row, ifMatch);
      const later = [...this.tracked.values()]
        .map((t) => t.entry)
        .filter((e) => e.seq > entry.seq && e.key === key && e.state === 'queued')
        .filter((e) => from !== undefined && this.answeredRows.basedOn(e, from));
      if (later.length) {
        this.serverBases.add(data);
        await outbox.rebase(
          later.map((e) => e.seq),
          data as Row,
          ifMatch,
        );
        for (const e of later) Object.assign(e, { base: data as Row, ifMatch });
      }
    }
    await outbox.remove(entry.seq);
  }

  /** `pendingWrites` is what the outbox holds unanswered; refusals are listed apart. */
  private publish(): void {
    const all = [...this.tracked.values()].map((t) => t.entry);
    this.status.setPendingWrites(all.filter((e) => e.state !== 'refused').length);
    this.status.setRefusedWrites(this.refusals.of(all));
  }
}

/**
 * The outbox of a push model in `queryClient`'s app, made (and its previous run's writes replayed)
 * on first use: on the app's local database when it has one, else in memory (writes wait out
 * offline spells, refusals and conflicts are listed, but nothing outlives the page).
 */
export function pushOutboxOf(
  queryClient: QueryClient,
  binding: {
    outbox?: PushOutboxTarget;
    retry: RetryPolicy;
    keys: { all: readonly unknown[] } & Partial<Pick<CachedRows['keys'], 'details' | 'infinites'>>;
    related: readonly (readonly unknown[])[];
    tags?: readonly string[];
    /** Where rows sit in cached answers: with it, fresh reads show the waiting writes over them. */
    itemsPath?: CachedRows['itemsPath'];
    rowId?: CachedRows['rowId'];
  },
): PushOutbox | undefined {
  const target = binding.outbox;
  if (!target) return undefined;
  const database = target.local();
  return liveModelIn(queryClient, target.scope, (status, qc) => {
    const stale = () =>
      void invalidateTouched(qc, { roots: [binding.keys.all, ...binding.related], live: [], tags: binding.tags ?? [] });
    const { keys, itemsPath, rowId } = binding;
    const rows =
      keys.details && keys.infinites && itemsPath && rowId
        ? {
            keys: { all: keys.all, details: keys.details, infinites: keys.infinites },
            itemsPath,
            rowId,
            keyField: target.savedKeyField,
          }
        : undefined;
    return new PushOutbox(
      { ...target, retry: binding.retry },
      database,
      status,
      stale,
      rows && { queryClient: qc, rows },
    );
  });
}

/**
 * A push model's read: after a restart, it waits until each write a previous run left has been
 * tried once (or the API was found out of reach, or READ_WAIT_MS passed), so what it reads
 * includes them when the API could take them.
 */
export async function afterStoredWrites<T>(
  queryClient: QueryClient,
  binding: Parameters<typeof pushOutboxOf>[1],
  read: () => Promise<T>,
): Promise<T> {
  const outbox = pushOutboxOf(queryClient, binding);
  if (outbox) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      outbox.replayTried,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, READ_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }
  return read();
}

/**
 * With ETag versions: what an item read of row `id` calls with its answer, so the row's writes
 * send the ETag it answered (generated into the model's item query).
 */
export function rememberETag(
  queryClient: QueryClient,
  binding: Parameters<typeof pushOutboxOf>[1],
  id: string | number,
): (response: Response) => void {
  return (response) => pushOutboxOf(queryClient, binding)?.rememberETag(id, response);
}
