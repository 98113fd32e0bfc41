import { createCollection, createLiveQueryCollection, localOnlyCollectionOptions } from '@tanstack/react-db';
import { whereParams } from './where-params';

type Row = { id: number; team: string | null; size: number };
const rows: Row[] = [
  { id: 1, team: 'red', size: 1 },
  { id: 2, team: 'blue', size: 2 },
  { id: 3, team: null, size: 2 },
  { id: 4, team: 'red', size: 3 },
];
const columns = ['id', 'team', 'size'];

async function ids(params: object | undefined): Promise<number[]> {
  const source = createCollection(
    localOnlyCollectionOptions<Row, number>({ getKey: (row) => row.id, initialData: rows }),
  );
  const live = createLiveQueryCollection((q) => whereParams(q.from({ row: source }), params, columns));
  await live.preload();
  return [...live.values()].map((row) => (row as Row).id).sort();
}

describe('whereParams', () => {
  it('filters on parameters that name columns: equality, arrays as any-of, null as is-null', async () => {
    expect(await ids({ team: 'red' })).toEqual([1, 4]);
    expect(await ids({ team: 'red', size: 3 })).toEqual([4]);
    expect(await ids({ size: [1, 3] })).toEqual([1, 4]);
    expect(await ids({ team: null })).toEqual([3]);
  });

  it('leaves out parameters that are undefined or are not columns (paging, sorting)', async () => {
    expect(await ids(undefined)).toEqual([1, 2, 3, 4]);
    expect(await ids({ team: undefined, limit: 1, sort: 'size' })).toEqual([1, 2, 3, 4]);
  });
});
