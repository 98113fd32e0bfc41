import { MutationObserver, QueryClient } from '@tanstack/react-query';
import { createModelKeys } from './model-keys';
import {
  createMutationOptions,
  removeMutationOptions,
  updateMutationOptions,
  type PushModelBinding,
} from './push-mutations';
import { SyncError } from '../client/sync-error';

interface Row {
  id: string;
  title: string;
}

const keys = createModelKeys<string, { status?: string }>('api', 'todo');
const binding: PushModelBinding<Row, string> = {
  keys,
  rowId: (row) => row.id,
  itemsPath: ['data'],
  related: [['api', 'project']],
  retry: { attempts: 1, backoff: 'fixed', delayMs: 0 },
};

/** A promise the test resolves or rejects by hand, to look at the cache while a write is in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function seeded() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  qc.setQueryData(keys.list({}), { data: [{ id: '1', title: 'one' }], count: 1 });
  qc.setQueryData(keys.infinite({}), { pages: [{ data: [{ id: '1', title: 'one' }] }], pageParams: [0] });
  qc.setQueryData(keys.detail('1'), { id: '1', title: 'one' });
  qc.setQueryData(['api', 'project', 'list', {}], ['stale']);
  return qc;
}

describe('optimistic writes', () => {
  it('create shows a draft row at once, then swaps in the server row', async () => {
    const qc = seeded();
    const answer = deferred<Row>();
    const observer = new MutationObserver(
      qc,
      createMutationOptions(qc, binding, {
        send: () => answer.promise,
        rowOf: (row: Row) => row,
        keyKind: 'string',
        draft: (input: { title: string }, draftId) => ({ id: String(draftId), ...input }),
      }),
    );
    const done = observer.mutate({ title: 'two' });
    await new Promise((r) => setTimeout(r, 0));
    const during = qc.getQueryData<{ data: Row[] }>(keys.list({}))!.data;
    expect(during.map((r) => r.title)).toEqual(['one', 'two']);
    expect(during[1].id).toMatch(/^draft-/);
    answer.resolve({ id: '2', title: 'two' });
    await done;
    expect(qc.getQueryData(keys.detail('2'))).toEqual({ id: '2', title: 'two' });
    expect(qc.getQueryState(['api', 'project', 'list', {}])!.isInvalidated).toBe(true);
  });

  it('update patches item and lists, and rolls all of them back when the server refuses', async () => {
    const qc = seeded();
    const answer = deferred<Row>();
    const observer = new MutationObserver(qc, updateMutationOptions(qc, binding, { send: () => answer.promise }));
    const done = observer.mutate({ id: '1', patch: { title: 'changed' } }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 0));
    expect(qc.getQueryData<Row>(keys.detail('1'))!.title).toBe('changed');
    expect(qc.getQueryData<{ pages: { data: Row[] }[] }>(keys.infinite({}))!.pages[0].data[0].title).toBe('changed');
    answer.reject(new SyncError({ kind: 'http', status: 422, message: 'nope' }));
    const error = await done;
    expect(error).toBeInstanceOf(SyncError);
    expect(qc.getQueryData<Row>(keys.detail('1'))!.title).toBe('one');
    expect(qc.getQueryData<{ data: Row[] }>(keys.list({}))!.data[0].title).toBe('one');
  });

  it('remove drops the row from lists and restores it on failure', async () => {
    const qc = seeded();
    const answer = deferred<void>();
    const observer = new MutationObserver(qc, removeMutationOptions(qc, binding, { send: () => answer.promise }));
    const done = observer.mutate('1').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 0));
    expect(qc.getQueryData<{ data: Row[] }>(keys.list({}))!.data).toEqual([]);
    answer.reject(new SyncError({ kind: 'network', message: 'offline' }));
    await done;
    expect(qc.getQueryData<{ data: Row[] }>(keys.list({}))!.data).toHaveLength(1);
  });

  it('validates the input before anything is sent', async () => {
    const qc = seeded();
    const send = jest.fn();
    const validator = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: () => ({ issues: [{ message: 'too short', path: ['title'] }] }),
      },
    };
    const observer = new MutationObserver(
      qc,
      createMutationOptions(qc, binding, {
        send,
        validator,
        keyKind: 'string',
        draft: (i: { title: string }, id) => ({ id: String(id), ...i }),
      }),
    );
    const error = await observer.mutate({ title: '' }).catch((e: unknown) => e);
    expect(send).not.toHaveBeenCalled();
    expect(error).toMatchObject({ kind: 'validation', issues: [{ path: 'title', message: 'too short' }] });
  });
});

describe('keys', () => {
  it('keeps infinite and plain lists apart and never reuses an array', () => {
    expect(keys.list({})).not.toEqual(keys.infinite({}));
    expect(keys.list({})).not.toBe(keys.list({}));
    expect(keys.detail('1').slice(0, 2)).toEqual([...keys.all]);
  });
});
