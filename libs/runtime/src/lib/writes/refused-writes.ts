import type { OutboxEntry, StoredRefusal } from '../sqlite/outbox';
import { toSyncError } from '../client/sync-error';
import type { RefusedWrite } from '../status/live-status';

/** What the API answered a refused write, as the outbox stores and the app lists it. */
export function refusalOf(error: unknown): StoredRefusal {
  const failure = toSyncError(error);
  return {
    kind: failure.kind,
    message: failure.message,
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.body === undefined ? {} : { body: failure.body }),
    ...(failure.conflict === undefined ? {} : { conflict: failure.conflict }),
  };
}

/**
 * The refused entries of one model's outbox as the app lists them: one object per refusal while it
 * lasts, so the app's list re-renders only when the list changes.
 */
export class RefusalListing {
  private readonly listed = new WeakMap<OutboxEntry, RefusedWrite>();

  constructor(
    private readonly model: string,
    private readonly actions: { retry(seq: number): Promise<void>; discard(seq: number): Promise<void> },
  ) {}

  of(entries: Iterable<OutboxEntry>): RefusedWrite[] {
    return [...entries].filter((e) => e.state === 'refused').map((e) => this.listed.get(e) ?? this.listing(e));
  }

  private listing(e: OutboxEntry): RefusedWrite {
    const write: RefusedWrite = {
      model: this.model,
      seq: e.seq,
      op: e.op,
      key: e.key,
      request: e.request,
      refusal: e.refusal!,
      retry: () => this.actions.retry(e.seq),
      discard: () => this.actions.discard(e.seq),
    };
    this.listed.set(e, write);
    return write;
  }
}
