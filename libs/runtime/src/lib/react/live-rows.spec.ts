/**
 * @jest-environment jsdom
 */
import { act, render } from '@testing-library/react';
import { createCollection, eq, localOnlyCollectionOptions, useLiveQuery, type Collection } from '@tanstack/react-db';
import { createElement, Fragment, StrictMode, useLayoutEffect } from 'react';
import { useLiveRow, useLiveRows } from './live-rows';

/**
 * useLiveRows against react-db's useLiveQuery on the same live queries, through random inserts,
 * updates, deletes and rows moving in and out of the result: the same rows in the same order
 * after every change, with the rows an update did not touch kept as they were.
 */
interface Todo {
  id: string;
  project: string;
  n: number;
}

// a fixed-seed generator, so a failure replays
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function todos(rows: Todo[]): Collection<Todo, string> {
  return createCollection(
    localOnlyCollectionOptions<Todo, string>({
      id: `todos-${Math.random()}`,
      getKey: (row) => row.id,
      initialData: rows,
    }),
  ) as unknown as Collection<Todo, string>;
}

type Seen = { ours?: Todo[] | Todo; theirs?: Todo[] | Todo; oursReady?: boolean; theirsReady?: boolean };

function mount(collection: Collection<Todo, string>, project: string, oneId: string) {
  const list: Seen = {};
  const one: Seen = {};
  const renders = { ours: 0 };
  function Ours() {
    const rows = useLiveRows(collection, ['todos', { project }], (q) =>
      q.from({ row: collection }).where(({ row }) => eq(row.project, project)),
    );
    const row = useLiveRow(collection, ['todo', oneId], (q) =>
      q
        .from({ row: collection })
        .where(({ row }) => eq(row.id, oneId))
        .findOne(),
    );
    useLayoutEffect(() => {
      renders.ours++;
      Object.assign(list, { ours: rows.data, oursReady: rows.isReady });
      Object.assign(one, { ours: row.data, oursReady: row.isReady });
    });
    return null;
  }
  function Theirs() {
    const rows = useLiveQuery({
      query: (q) => q.from({ row: collection }).where(({ row }) => eq(row.project, project)),
    });
    const row = useLiveQuery({
      query: (q) =>
        q
          .from({ row: collection })
          .where(({ row }) => eq(row.id, oneId))
          .findOne(),
    });
    useLayoutEffect(() => {
      Object.assign(list, { theirs: rows.data, theirsReady: rows.isReady });
      Object.assign(one, { theirs: row.data, theirsReady: row.isReady });
    });
    return null;
  }
  const view = render(
    createElement(StrictMode, null, createElement(Fragment, null, createElement(Ours), createElement(Theirs))),
  );
  return { list, one, renders, view };
}

const plain = (rows: Todo[] | Todo | undefined) =>
  rows === undefined
    ? undefined
    : (Array.isArray(rows) ? rows : [rows]).map(({ id, project, n }) => ({ id, project, n }));

async function settle() {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

test('the same rows in the same order as useLiveQuery through 300 random changes', async () => {
  const next = random(7);
  const initial = Array.from({ length: 60 }, (_, i) => ({ id: `t${i}`, project: `p${i % 3}`, n: i }));
  const collection = todos(initial);
  const { list, one, view } = mount(collection, 'p0', 't3');
  await settle();
  expect(list.oursReady).toBe(true);
  expect(plain(list.ours)).toEqual(plain(list.theirs));
  expect(plain(list.ours)).toHaveLength(20);
  expect(plain(one.ours)).toEqual([{ id: 't3', project: 'p0', n: 3 }]);

  let created = 60;
  for (let step = 0; step < 300; step++) {
    const keys = [...collection.keys()];
    const pick = keys[Math.floor(next() * keys.length)];
    const roll = next();
    await act(async () => {
      if (roll < 0.2 || !pick)
        collection.insert({ id: `t${created++}`, project: `p${Math.floor(next() * 3)}`, n: step });
      else if (roll < 0.3) collection.delete(pick);
      else if (roll < 0.45) collection.update(pick, (draft) => void (draft.project = `p${Math.floor(next() * 3)}`));
      else collection.update(pick, (draft) => void (draft.n = step * 1000));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(plain(list.ours)).toEqual(plain(list.theirs));
    expect(plain(one.ours)).toEqual(plain(one.theirs));
    expect(list.oursReady).toBe(list.theirsReady);
  }
  view.unmount();
});

test('an update replaces only its row; the others keep their identity', async () => {
  const collection = todos(Array.from({ length: 10 }, (_, i) => ({ id: `t${i}`, project: 'p0', n: i })));
  const { list, renders, view } = mount(collection, 'p0', 't1');
  await settle();
  const before = list.ours as Todo[];
  const rendersBefore = renders.ours;
  await act(async () => {
    collection.update('t4', (draft) => void (draft.n = 40));
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  const after = list.ours as Todo[];
  expect(after).not.toBe(before);
  expect(after.map((row) => row.n)).toEqual([0, 1, 2, 3, 40, 5, 6, 7, 8, 9]);
  after.forEach((row, i) => (i === 4 ? expect(row).not.toBe(before[i]) : expect(row).toBe(before[i])));
  expect(renders.ours).toBeGreaterThan(rendersBefore);
  view.unmount();
});

test('the live query stops once its last component unmounts, and starts again on a new mount', async () => {
  const collection = todos([{ id: 't0', project: 'p0', n: 0 }]);
  const first = mount(collection, 'p0', 't0');
  await settle();
  // ours and react-db's each hold a subscription per live query on the source
  expect(collection.subscriberCount).toBeGreaterThan(0);
  first.view.unmount();
  // each live query is collected 1 ms after its last subscriber leaves
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  expect(collection.subscriberCount).toBe(0);

  const second = mount(collection, 'p0', 't0');
  await settle();
  expect(plain(second.list.ours)).toEqual([{ id: 't0', project: 'p0', n: 0 }]);
  second.view.unmount();
});
