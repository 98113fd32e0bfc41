import { QueryClient } from '@tanstack/react-query';
import type { SyncRequest } from '../client/sync-client';
import { SyncError } from '../client/sync-error';
import { runTransaction, TransactionError } from './run-transaction';
import type { PreparedTransactionWrite, TransactionWrite } from './transaction-write';

const none = { roots: [], live: [], tags: [] };
const sent: string[] = [];
const answer = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) });

/** A write whose request succeeds (or fails with `status`), undone by the request `undo` names. */
function write(label: string, options: { status?: number; undo?: string; undoStatus?: number } = {}): TransactionWrite {
  return async (): Promise<PreparedTransactionWrite> => ({
    label,
    request: { method: 'POST', path: `/${label}` },
    send: async (request: SyncRequest) => {
      sent.push(`${request.method} ${request.path} ${request.headers?.['idempotency-key'] ? 'keyed' : 'unkeyed'}`);
      const failing = request.path === `/${options.undo}` ? options.undoStatus : options.status;
      if (failing) throw new SyncError({ kind: 'http', status: failing, message: `${request.path} failed` });
      return answer({ label });
    },
    touches: none,
    ...(options.undo ? { undo: () => ({ method: 'DELETE', path: `/${options.undo}` }) } : {}),
  });
}

beforeEach(() => (sent.length = 0));

describe('runTransaction', () => {
  it('sends the writes one by one, each with an Idempotency-Key, and answers their data in order', async () => {
    expect(await runTransaction(new QueryClient(), [write('a'), write('b')])).toEqual([{ label: 'a' }, { label: 'b' }]);
    expect(sent).toEqual(['POST /a keyed', 'POST /b keyed']);
  });

  it('undoes the applied writes newest first, reports what stands, and sends nothing after the failure', async () => {
    const error = await runTransaction(new QueryClient(), [
      write('a', { undo: 'undo-a' }),
      write('b'), // no undo: it stands
      write('c', { undo: 'undo-c', undoStatus: 500 }), // its undo fails: it stands
      write('d', { status: 409 }),
      write('e'),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionError);
    expect(error).toMatchObject({
      kind: 'http',
      status: 409,
      report: { failed: 'd', undone: ['a'], kept: ['c', 'b'], notSent: ['e'] },
    });
    expect(sent).toEqual([
      'POST /a keyed',
      'POST /b keyed',
      'POST /c keyed',
      'POST /d keyed',
      'DELETE /undo-c keyed',
      'DELETE /undo-a keyed',
    ]);
  });

  it('sends nothing when a write cannot be prepared (an input that fails validation)', async () => {
    const invalid: TransactionWrite = async () => {
      throw new SyncError({ kind: 'validation', message: 'title is required' });
    };
    await expect(runTransaction(new QueryClient(), [write('a'), invalid])).rejects.toMatchObject({
      kind: 'validation',
    });
    expect(sent).toEqual([]);
  });
});
