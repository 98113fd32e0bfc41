import type { QueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../client/request-helpers';
import type { SyncResponse } from '../client/sync-client';
import { SyncError, toSyncError } from '../client/sync-error';
import { invalidateTouched, settleOperation } from '../operations/operation-touches';
import type { LiveShow, PreparedTransactionWrite, TransactionWrite } from './transaction-write';

/** What became of each write of a transaction that failed: the app lists it, nothing is left unsaid. */
export interface TransactionReport {
  /** The write that failed. */
  failed: string;
  /** Writes the API had applied, undone by the requests that undo them. */
  undone: string[];
  /** Writes the API had applied and that could not be undone (no such request, or it failed): they stand. */
  kept: string[];
  /** Writes after the failed one: never sent. */
  notSent: string[];
}

/** The failed write's error, with what became of the others. */
export class TransactionError extends SyncError {
  readonly report: TransactionReport;

  constructor(cause: SyncError, report: TransactionReport) {
    super({
      kind: cause.kind,
      status: cause.status,
      body: cause.body,
      issues: cause.issues,
      conflict: cause.conflict,
      cause,
      message: `transaction failed at ${report.failed}: ${cause.message}${
        report.undone.length ? `; undone: ${report.undone.join(', ')}` : ''
      }${report.kept.length ? `; applied and kept: ${report.kept.join(', ')}` : ''}`,
    });
    this.report = report;
  }
}

/**
 * Runs writes to several models as one: every write's optimistic change shows at once (push caches
 * and, in one TanStack DB transaction, live collections), the requests go one by one in order,
 * and the call resolves once every write's txid is in its live models' streams and the push
 * results it touched are refetched. When one is refused, the writes before it that the API applied
 * are undone — newest first, by the request that undoes each — and every optimistic change rolls
 * back together; the error (a TransactionError) says what was undone and what stands.
 *
 * Atomic on the client: the optimistic state shows and goes as one. Not atomic on the server
 * without a transactional endpoint: each write commits on its own, so another client may see an
 * earlier write before it is undone, and an undo is a new write (a create's undo deletes the row).
 */
export async function runTransaction(
  queryClient: QueryClient,
  writes: readonly TransactionWrite[],
): Promise<unknown[]> {
  // validated and prepared before anything shows or is sent: a bad input changes nothing
  const prepared = await Promise.all(writes.map((write) => write(queryClient)));
  const undoShown: (() => void)[] = [];
  try {
    for (const write of prepared)
      if (write.show && 'push' in write.show) undoShown.push(await write.show.push(queryClient));
    const live = prepared.flatMap((w) => (w.show && 'live' in w.show ? [w.show.live] : []));
    let answers: SyncResponse<unknown>[] = [];
    const sendAll = async () => {
      answers = await sendInOrder(prepared);
      // every write's changes in view before the call resolves (and before live optimistic state goes)
      await Promise.all(prepared.map((write, i) => settleOperation(queryClient, write.touches, answers[i].response)));
    };
    if (live.length) await inLiveTransaction(live, sendAll);
    else await sendAll();
    return answers.map((answer) => answer.data);
  } catch (error) {
    for (const undo of undoShown.reverse()) undo();
    // what the server holds now (writes kept, undone, or answered after all): refetched
    for (const write of prepared) void invalidateTouched(queryClient, write.touches);
    throw error;
  }
}

/** The live writes' changes in one TanStack DB transaction around `send`: shown together, rolled back together. */
async function inLiveTransaction(live: LiveShow[], send: () => Promise<void>): Promise<void> {
  const transaction = live[0].transaction({ autoCommit: true, mutationFn: send });
  transaction.mutate(() => {
    for (const show of live) show.apply();
  });
  await transaction.isPersisted.promise;
}

async function sendInOrder(writes: PreparedTransactionWrite[]): Promise<SyncResponse<unknown>[]> {
  const answers: SyncResponse<unknown>[] = [];
  const written = new Set<string>();
  for (const [i, write] of writes.entries()) {
    const { 'if-match': ifMatch, ...headers } = write.request.headers ?? {};
    const again = write.row !== undefined && written.has(write.row.id);
    if (write.row) written.add(write.row.id);
    try {
      answers.push(
        await write.send({
          ...write.request,
          headers: {
            ...headers,
            ...(ifMatch && !again ? { 'if-match': ifMatch } : {}),
            'idempotency-key': newIdempotencyKey(),
          },
        }),
      );
    } catch (error) {
      const report = await undoApplied(writes.slice(0, i), answers);
      throw new TransactionError(staleOrAsIs(error, write), {
        failed: write.label,
        ...report,
        notSent: writes.slice(i + 1).map((w) => w.label),
      });
    }
  }
  return answers;
}

/** A 412 (the row moved on since the transaction's write was made) is a conflict with the rows to show. */
function staleOrAsIs(error: unknown, write: PreparedTransactionWrite): SyncError {
  const failure = toSyncError(error);
  const server = failure.body;
  if (failure.status !== 412 || typeof server !== 'object' || server === null || Array.isArray(server)) return failure;
  return new SyncError({
    kind: 'conflict',
    status: 412,
    body: server,
    message: `${write.label} was based on a row the server has changed since`,
    conflict: { reason: 'stale', base: write.row?.base ?? null, server: server as Record<string, unknown> },
    cause: error,
  });
}

/** Undoes the applied writes, newest first; what cannot be undone is reported as kept. */
async function undoApplied(
  applied: PreparedTransactionWrite[],
  answers: SyncResponse<unknown>[],
): Promise<{ undone: string[]; kept: string[] }> {
  const undone: string[] = [];
  const kept: string[] = [];
  for (let i = applied.length - 1; i >= 0; i--) {
    const write = applied[i];
    const request = write.undo?.(answers[i].data);
    if (!request) {
      kept.push(write.label);
      continue;
    }
    try {
      await write.send({ ...request, headers: { ...request.headers, 'idempotency-key': newIdempotencyKey() } });
      undone.push(write.label);
    } catch {
      kept.push(write.label);
    }
  }
  return { undone, kept };
}
