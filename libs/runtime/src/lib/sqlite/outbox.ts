import type { SyncRequest } from '../client/sync-client';
import { newIdempotencyKey } from '../client/request-helpers';
import { exclusive, type SqliteDriver } from './sqlite-driver';
import type { WriteConflict } from '../conflicts/conflict-policy';

/**
 * A write on its way: `queued` until the API accepted it, then `sent` with the Postgres txid the API
 * answered until that txid is in the synced data; `refused` when the API said no (kept, listed, until
 * the app retries or discards it). Only confirmation or a discard takes an entry out.
 */
export type OutboxState = 'queued' | 'sent' | 'refused';

/** The request a write makes, exactly as first sent (headers aside: the Idempotency-Key is kept apart). */
export type StoredRequest = Pick<SyncRequest, 'method' | 'path' | 'pathParams' | 'query' | 'body' | 'bodyEncoding'>;

/** Why the API refused a write, as the app lists it. */
export interface StoredRefusal {
  kind: string;
  status?: number;
  message: string;
  body?: unknown;
  /** A conflict: why, with the base, local and server rows. */
  conflict?: WriteConflict;
}

export interface OutboxEntry {
  seq: number;
  op: 'insert' | 'update' | 'delete';
  key: string | number;
  /** What the write changed locally (the row of an insert, the changes of an update), to show it again after a restart. */
  body: Record<string, unknown> | null;
  /**
   * The row the write was based on, as last seen from the server: its version goes out as
   * `If-Match`, and a conflict is decided three ways against it. Null for a create, or a row not loaded.
   */
  base: Record<string, unknown> | null;
  /** The `If-Match` the write sends when the version is the API's ETag (the row's, when the write was made). */
  ifMatch?: string;
  /** The request; an entry an earlier version stored has none, and gets it made from `body` once. */
  request: StoredRequest | null;
  /**
   * Sent as `Idempotency-Key` with every try of this write, across restarts too: an API that
   * honours it answers a retry whose first try did land (the answer was lost) without doing it twice.
   */
  idempotencyKey: string;
  state: OutboxState;
  /** `sent`: the txid to see in the synced data. */
  txid?: number;
  /** `refused`: what the API answered. */
  refusal?: StoredRefusal;
}

export type NewOutboxEntry = Pick<
  OutboxEntry,
  'op' | 'key' | 'body' | 'base' | 'ifMatch' | 'request' | 'idempotencyKey'
>;

/** A stale update made anew on top of the server's row (field-merge, custom): what it sends now. */
export type RewrittenWrite = Pick<OutboxEntry, 'body' | 'base' | 'ifMatch' | 'request' | 'idempotencyKey'>;

/** Where a collection's writes stay until they are confirmed: durable on a local database, else in memory. */
export interface Outbox {
  enqueue(entry: NewOutboxEntry): Promise<number>;
  /**
   * The API accepted the write with `txid`. Resolves to true when that txid is already in the saved
   * synced data (the stream was faster than the answer): the entry is then confirmed and gone.
   */
  sent(seq: number, txid: number): Promise<boolean>;
  refused(seq: number, refusal: StoredRefusal): Promise<void>;
  /** A refused write to try again: queued anew, with a new Idempotency-Key (the old one's answer was the refusal). */
  requeue(seq: number, idempotencyKey: string, request: StoredRequest): Promise<void>;
  /** Confirmed (its txid synced) or discarded by the app: out. */
  remove(seq: number): Promise<void>;
  /** A stale update resolved into new changes on the server's row: stored before it is sent again. */
  rewrite(seq: number, write: RewrittenWrite): Promise<void>;
  /**
   * The API applied a write of a row and answered the row as it now stands: the waiting writes
   * `seqs` (of that row, based on what the applied one was based on) are based on the answer from
   * now on, across restarts too.
   */
  rebase(seqs: readonly number[], base: Record<string, unknown>, ifMatch?: string): Promise<void>;
  /**
   * The server saved a row created under a draft key under `saved`: later writes of that row name
   * it from now on, across restarts too (their requests' path parameters included).
   */
  rekey(draft: string | number, saved: string | number): Promise<void>;
  /** Every entry, oldest first. */
  entries(): Promise<OutboxEntry[]>;
}

/** The outbox of an app without a local database: writes wait for the network, but not across a reload. */
export function memoryOutbox(): Outbox {
  const entries: OutboxEntry[] = [];
  let next = 1;
  const find = (seq: number) => entries.find((e) => e.seq === seq);
  return {
    async enqueue(entry) {
      entries.push({ ...entry, seq: next, state: 'queued' });
      return next++;
    },
    async sent(seq, txid) {
      const entry = find(seq);
      if (entry) Object.assign(entry, { state: 'sent', txid });
      return false;
    },
    async refused(seq, refusal) {
      const entry = find(seq);
      if (entry) Object.assign(entry, { state: 'refused', refusal });
    },
    async requeue(seq, idempotencyKey, request) {
      const entry = find(seq);
      if (entry)
        Object.assign(entry, { state: 'queued', idempotencyKey, request, txid: undefined, refusal: undefined });
    },
    async remove(seq) {
      const index = entries.findIndex((e) => e.seq === seq);
      if (index >= 0) entries.splice(index, 1);
    },
    async rewrite(seq, write) {
      const entry = find(seq);
      if (entry) Object.assign(entry, write);
    },
    async rebase(seqs, base, ifMatch) {
      for (const entry of entries) if (seqs.includes(entry.seq)) Object.assign(entry, { base, ifMatch });
    },
    async rekey(draft, saved) {
      for (const entry of entries)
        if (entry.key === draft)
          Object.assign(entry, { key: saved, request: withSavedKey(entry.request, draft, saved) });
    },
    async entries() {
      return entries.map((e) => ({ ...e }));
    },
  };
}

export const OUTBOX_TABLE = '"sync_patterns_outbox"';
/**
 * Txids of synced batches saved while the scope had writes in flight: an answer that arrives after
 * its txid was saved (or a replay answered with a txid saved before a crash) is confirmed at once
 * instead of waiting for a txid the stream will not send again. Emptied with the outbox.
 */
export const SEEN_TXIDS_TABLE = '"sync_patterns_seen_txids"';

/** Creates (or brings up to date) the outbox tables; call inside the store's exclusive section. */
export async function createOutboxTables(db: SqliteDriver): Promise<void> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} ("seq" INTEGER PRIMARY KEY AUTOINCREMENT, "scope" TEXT NOT NULL, "op" TEXT NOT NULL, "key" TEXT NOT NULL, "body" TEXT, "idempotency_key" TEXT) STRICT;`,
  );
  // columns later versions added: an earlier outbox's entries are queued writes without a stored request
  const have = new Set((await db.all<{ name: string }>(`PRAGMA table_info(${OUTBOX_TABLE})`)).map((c) => c.name));
  const added: [string, string][] = [
    ['idempotency_key', 'TEXT'],
    ['state', `TEXT NOT NULL DEFAULT 'queued'`],
    ['txid', 'INTEGER'],
    ['request', 'TEXT'],
    ['refusal', 'TEXT'],
    ['base', 'TEXT'],
    ['if_match', 'TEXT'],
  ];
  for (const [name, type] of added)
    if (!have.has(name)) await db.exec(`ALTER TABLE ${OUTBOX_TABLE} ADD COLUMN "${name}" ${type};`);
  await db.exec(
    `CREATE TABLE IF NOT EXISTS ${SEEN_TXIDS_TABLE} ("scope" TEXT NOT NULL, "txid" INTEGER NOT NULL, PRIMARY KEY ("scope", "txid")) STRICT;`,
  );
}

type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

/** The durable outbox of one scope (model) on the app's SQLite database. `alone` serializes calls on the shared connection. */
export function sqliteOutbox(
  db: SqliteDriver,
  scope: string,
  alone: Exclusive,
  newIdempotencyKey: () => string,
): Outbox {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  const transaction = async <T>(work: () => Promise<T>): Promise<T> => {
    await db.exec('BEGIN');
    try {
      const result = await work();
      await db.exec('COMMIT');
      return result;
    } catch (error) {
      await db.exec('ROLLBACK');
      throw error;
    }
  };
  return {
    enqueue: (entry) =>
      alone(async () => {
        const [{ seq }] = await db.all<{ seq: number }>(
          `INSERT INTO ${OUTBOX_TABLE} ("scope", "op", "key", "body", "base", "if_match", "request", "idempotency_key", "state") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued') RETURNING "seq"`,
          [
            scope,
            entry.op,
            JSON.stringify(entry.key),
            json(entry.body),
            json(entry.base),
            entry.ifMatch ?? null,
            json(entry.request),
            entry.idempotencyKey,
          ],
        );
        return Number(seq);
      }),
    sent: (seq, txid) =>
      alone(() =>
        transaction(async () => {
          const seen = await db.all(`SELECT 1 FROM ${SEEN_TXIDS_TABLE} WHERE "scope" = ? AND "txid" = ?`, [
            scope,
            txid,
          ]);
          if (seen.length) await removeIn(db, scope, seq);
          else await db.run(`UPDATE ${OUTBOX_TABLE} SET "state" = 'sent', "txid" = ? WHERE "seq" = ?`, [txid, seq]);
          return seen.length > 0;
        }),
      ),
    refused: (seq, refusal) =>
      alone(
        async () =>
          void (await db.run(`UPDATE ${OUTBOX_TABLE} SET "state" = 'refused', "refusal" = ? WHERE "seq" = ?`, [
            json(refusal),
            seq,
          ])),
      ),
    requeue: (seq, idempotencyKey, request) =>
      alone(
        async () =>
          void (await db.run(
            `UPDATE ${OUTBOX_TABLE} SET "state" = 'queued', "idempotency_key" = ?, "request" = ?, "txid" = NULL, "refusal" = NULL WHERE "seq" = ?`,
            [idempotencyKey, json(request), seq],
          )),
      ),
    remove: (seq) => alone(() => transaction(() => removeIn(db, scope, seq))),
    rewrite: (seq, write) =>
      alone(
        async () =>
          void (await db.run(
            `UPDATE ${OUTBOX_TABLE} SET "body" = ?, "base" = ?, "if_match" = ?, "request" = ?, "idempotency_key" = ? WHERE "seq" = ?`,
            [json(write.body), json(write.base), write.ifMatch ?? null, json(write.request), write.idempotencyKey, seq],
          )),
      ),
    rebase: (seqs, base, ifMatch) =>
      alone(() =>
        transaction(async () => {
          for (const seq of seqs)
            await db.run(`UPDATE ${OUTBOX_TABLE} SET "base" = ?, "if_match" = ? WHERE "seq" = ?`, [
              json(base),
              ifMatch ?? null,
              seq,
            ]);
        }),
      ),
    rekey: (draft, saved) =>
      alone(() =>
        transaction(async () => {
          const rows = await db.all<{ seq: number; request: string | null }>(
            `SELECT "seq", "request" FROM ${OUTBOX_TABLE} WHERE "scope" = ? AND "key" = ?`,
            [scope, JSON.stringify(draft)],
          );
          for (const row of rows) {
            const request = withSavedKey(
              row.request === null ? null : (JSON.parse(row.request) as StoredRequest),
              draft,
              saved,
            );
            await db.run(`UPDATE ${OUTBOX_TABLE} SET "key" = ?, "request" = ? WHERE "seq" = ?`, [
              JSON.stringify(saved),
              json(request),
              row.seq,
            ]);
          }
        }),
      ),
    entries: () =>
      alone(async () => {
        const rows = await db.all<{
          seq: number;
          op: string;
          key: string;
          body: string | null;
          base: string | null;
          if_match: string | null;
          request: string | null;
          idempotency_key: string | null;
          state: string;
          txid: number | bigint | null;
          refusal: string | null;
        }>(
          `SELECT "seq", "op", "key", "body", "base", "if_match", "request", "idempotency_key", "state", "txid", "refusal" FROM ${OUTBOX_TABLE} WHERE "scope" = ? ORDER BY "seq"`,
          [scope],
        );
        return rows.map((r) => ({
          seq: Number(r.seq),
          op: r.op as OutboxEntry['op'],
          key: JSON.parse(r.key) as string | number,
          body: r.body === null ? null : (JSON.parse(r.body) as Record<string, unknown>),
          base: r.base === null ? null : (JSON.parse(r.base) as Record<string, unknown>),
          ...(r.if_match === null ? {} : { ifMatch: r.if_match }),
          request: r.request === null ? null : (JSON.parse(r.request) as StoredRequest),
          idempotencyKey: r.idempotency_key ?? newIdempotencyKey(),
          state: r.state as OutboxState,
          ...(r.txid === null ? {} : { txid: Number(r.txid) }),
          ...(r.refusal === null ? {} : { refusal: JSON.parse(r.refusal) as StoredRefusal }),
        }));
      }),
  };
}

/**
 * The durable outbox of a model that keeps no rows locally (push mode): its writes only, on the
 * app's local database, beside the live models' stores.
 */
export async function openSqliteOutbox(db: SqliteDriver, scope: string): Promise<Outbox> {
  const alone = <T>(work: () => Promise<T>) => exclusive(db, work);
  await alone(() => createOutboxTables(db));
  return sqliteOutbox(db, scope, alone, newIdempotencyKey);
}

/** A request of a row once shown under `draft`, naming `saved` in its path instead. */
export function withSavedKey<R extends StoredRequest | null>(
  request: R,
  draft: string | number,
  saved: string | number,
): R {
  if (!request?.pathParams) return request;
  const pathParams = Object.fromEntries(
    Object.entries(request.pathParams).map(([name, value]) => [
      name,
      String(value) === String(draft) ? String(saved) : value,
    ]),
  );
  return { ...request, pathParams };
}

/** Removes an entry; with nothing left in flight, the txids kept for it go too. */
async function removeIn(db: SqliteDriver, scope: string, seq: number): Promise<void> {
  await db.run(`DELETE FROM ${OUTBOX_TABLE} WHERE "seq" = ?`, [seq]);
  await forgetTxidsIfIdle(db, scope);
}

async function forgetTxidsIfIdle(db: SqliteDriver, scope: string): Promise<void> {
  const inFlight = await db.all(`SELECT 1 FROM ${OUTBOX_TABLE} WHERE "scope" = ? AND "state" <> 'refused' LIMIT 1`, [
    scope,
  ]);
  if (!inFlight.length) await db.run(`DELETE FROM ${SEEN_TXIDS_TABLE} WHERE "scope" = ?`, [scope]);
}

/**
 * Inside the transaction that saves a synced batch: the `sent` writes whose txids the batch carries
 * are confirmed with it (one commit: a crash cannot keep the rows and lose the confirmation, or the
 * reverse), and the batch's txids are kept while writes are in flight. Returns the confirmed seqs.
 */
export async function confirmSyncedIn(db: SqliteDriver, scope: string, txids: readonly number[]): Promise<number[]> {
  if (!txids.length) return [];
  const inFlight = await db.all(`SELECT 1 FROM ${OUTBOX_TABLE} WHERE "scope" = ? AND "state" <> 'refused' LIMIT 1`, [
    scope,
  ]);
  if (!inFlight.length) return [];
  for (const txid of txids)
    await db.run(`INSERT INTO ${SEEN_TXIDS_TABLE} ("scope", "txid") VALUES (?, ?) ON CONFLICT DO NOTHING`, [
      scope,
      txid,
    ]);
  const marks = txids.map(() => '?').join(', ');
  const confirmed = await db.all<{ seq: number }>(
    `DELETE FROM ${OUTBOX_TABLE} WHERE "scope" = ? AND "state" = 'sent' AND "txid" IN (${marks}) RETURNING "seq"`,
    [scope, ...txids],
  );
  if (confirmed.length) await forgetTxidsIfIdle(db, scope);
  return confirmed.map((r) => Number(r.seq));
}
