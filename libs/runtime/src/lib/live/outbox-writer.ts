import { newIdempotencyKey, type WriteRequest } from '../request-helpers';
import type { Outbox, OutboxEntry } from '../sqlite/local-store';
import { toSyncError } from '../sync-error';
import { WriteQueueStopped, type WriteQueue } from './write-queue';
import { collectionReady, type StartableCollection } from './collection-ready';

/** Marks a mutation that replays an outbox entry, so it is not queued a second time. */
interface ReplayMetadata {
  outboxSeq: number;
  idempotencyKey: string;
}
const replayOf = (metadata: unknown): ReplayMetadata | undefined => (metadata && typeof (metadata as ReplayMetadata).outboxSeq === 'number' ? (metadata as ReplayMetadata) : undefined);

/** The collection calls replay makes (TanStack DB's, narrowed). */
export interface ReplayTarget<TKey> extends StartableCollection {
  has(key: TKey): boolean;
  insert(row: Record<string, unknown>, config: { metadata: ReplayMetadata }): { isPersisted: { promise: Promise<unknown> } };
  update(key: TKey, config: { metadata: ReplayMetadata }, change: (draft: Record<string, unknown>) => void): { isPersisted: { promise: Promise<unknown> } };
  delete(key: TKey, config: { metadata: ReplayMetadata }): { isPersisted: { promise: Promise<unknown> } };
}

/**
 * How long an accepted write's optimistic state waits for its txid in the stream. The API has
 * accepted it, so rolling it back only makes the row blink out until the stream brings it; the
 * wait covers a stream that is reconnecting (Electric's client backs off while a server restarts).
 */
export const TXID_WAIT_MS = 30_000;

/** The handlers' result: wait for the txids that are known (a replayed insert the server already has has none). */
export function matchTxids(txids: (number | undefined)[]): { txid: number[]; timeout: number } {
  return { txid: txids.filter((t): t is number => t !== undefined), timeout: TXID_WAIT_MS };
}

/**
 * A live collection's writes on their way to the API: each is put in the outbox before it is sent
 * (durable when the app has a local database), sent through the write queue (in order, waiting out
 * offline spells), and taken out once the API has answered — accepted or refused.
 */
export class OutboxWriter<TKey extends string | number> {
  private outbox: Promise<Outbox> | undefined;

  constructor(
    private readonly open: () => Promise<Outbox>,
    private readonly queue: WriteQueue,
  ) {}

  private store(): Promise<Outbox> {
    return (this.outbox ??= this.open());
  }

  async send(op: OutboxEntry['op'], key: TKey, body: Record<string, unknown> | null, metadata: unknown, call: (request: WriteRequest) => Promise<number>): Promise<number | undefined> {
    const outbox = await this.store();
    const replay = replayOf(metadata);
    const replayed = replay?.outboxSeq;
    const idempotencyKey = replay?.idempotencyKey ?? newIdempotencyKey();
    const seq = replayed ?? (await outbox.enqueue({ op, key, body, idempotencyKey }));
    const request: WriteRequest = { headers: { 'idempotency-key': idempotencyKey } };
    let result: number | undefined;
    try {
      result = await this.queue.run(() => call(request));
    } catch (error) {
      if (error instanceof WriteQueueStopped) throw error; // not sent: it stays for the next start
      await outbox.dequeue(seq);
      // a replayed insert the server already has: it was sent before the app stopped (to an API
      // that does not honour Idempotency-Key)
      if (replayed !== undefined && op === 'insert' && toSyncError(error).status === 409) return undefined;
      throw error;
    }
    await outbox.dequeue(seq);
    return result;
  }

  /** Shows the writes a previous run left in the outbox again, as optimistic state, and sends them. */
  async replay(collection: ReplayTarget<TKey>, onRefused: (error: unknown) => void): Promise<void> {
    const entries = await (await this.store()).pending();
    if (!entries.length) return;
    await collectionReady(collection); // every stored row in
    const outbox = await this.store();
    for (const entry of entries) {
      const metadata: ReplayMetadata = { outboxSeq: entry.seq, idempotencyKey: entry.idempotencyKey };
      const key = entry.key as TKey;
      // a synced row proves an insert arrived; an update or delete of a row that is gone has nothing to do
      const done = entry.op === 'insert' ? collection.has(key) : !collection.has(key);
      if (done) {
        await outbox.dequeue(entry.seq);
        continue;
      }
      const write =
        entry.op === 'insert'
          ? collection.insert(entry.body ?? {}, { metadata })
          : entry.op === 'update'
            ? collection.update(key, { metadata }, (draft) => void Object.assign(draft, entry.body))
            : collection.delete(key, { metadata });
      // a refused replay rolls back like any write; nobody awaits it, so its error goes to the status
      write.isPersisted.promise.catch((error: unknown) => {
        if (!(error instanceof WriteQueueStopped)) onRefused(error);
      });
    }
  }
}
