import { z } from 'zod';
import { SyncError } from '../client/sync-error';
import { checkSyncedRow, convertRow, refuseUndeclaredColumns } from './live-collection';

const columns = ['id', 'count', 'amount', 'at', 'meta'];
const kinds = {
  id: 'string',
  count: 'integer',
  amount: 'number',
  at: 'date-time',
  meta: 'json',
} as const;
const rowSchema = z.object({
  id: z.string(),
  count: z.int(),
  amount: z.number(),
  at: z.iso.datetime(),
  meta: z.object({ a: z.number() }),
});

describe('synced rows', () => {
  it("turn Electric's values into what the OpenAPI types promise", () => {
    expect(
      convertRow(
        {
          id: 'x',
          count: 12n,
          amount: '3.50',
          at: '2026-03-04 05:06:07.5+00',
          meta: '{"a":1}',
        },
        kinds,
      ),
    ).toEqual({
      id: 'x',
      count: 12,
      amount: 3.5,
      at: '2026-03-04T05:06:07.500Z',
      meta: { a: 1 },
    });
    expect(convertRow({ id: 'x', count: null, at: null }, kinds)).toEqual({
      id: 'x',
      count: null,
      at: null,
    });
  });

  it('are checked against the schema: a malformed one is a sync SyncError, not store content', () => {
    const good = {
      id: 'x',
      count: 1,
      amount: 2,
      at: '2026-03-04T05:06:07.000Z',
      meta: { a: 1 },
    };
    expect(checkSyncedRow({ id: 'api/model', rowSchema }, good)).toBe(good);
    const bad = { ...good, count: 'many' };
    expect(() => checkSyncedRow({ id: 'api/model', rowSchema }, bad)).toThrow(SyncError);
    expect(() => checkSyncedRow({ id: 'api/model', rowSchema }, bad)).toThrow(
      /api\/model: the sync stream sent a row that does not match the schema \(count: /,
    );
    // a row missing columns is not a row of the model (partial updates are merged first: synced-change-check)
    expect(() => checkSyncedRow({ id: 'api/model', rowSchema }, { id: 'x' })).toThrow(SyncError);
  });

  it('keep a json column that is not JSON as text, for the row check to refuse', () => {
    expect(convertRow({ id: 'x', meta: '{not json' }, kinds)).toEqual({ id: 'x', meta: '{not json' });
  });

  it('may hold only the columns the shape asked for, in whole rows and partial updates alike', () => {
    expect(() => refuseUndeclaredColumns({ id: 'api/model', columns }, { id: 'x', count: 1 })).not.toThrow();
    expect(() =>
      refuseUndeclaredColumns({ id: 'api/model', columns }, { id: 'x', internal_notes: 'staff only' }),
    ).toThrow(/columns the shape does not have \(internal_notes\)/);
    expect(() =>
      refuseUndeclaredColumns({ id: 'api/model', columns }, { id: 'x', __proto__: 'x', constructor: 1 }),
    ).toThrow(/constructor/);
  });
});
