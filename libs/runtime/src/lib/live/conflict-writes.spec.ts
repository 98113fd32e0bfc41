import { createFakeApi, waitUntil } from '../mock/fake-api';
import { createSyncClient } from '../client/sync-client';
import { createFakeShape } from '../mock/fake-shape';
import { createLiveCollection } from './live-collection';

/** One client's consecutive edits of a versioned live row, while the stream lags behind the API. */
interface Todo {
  id: string;
  title: string;
  status: string;
  version: number;
}
const passthrough = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) } };

function start(strategy: 'backend-wins' | 'field-merge') {
  const shape = createFakeShape({ key: 'id' });
  const api = createFakeApi();
  const network = shape.fetchWith(api.fetch);
  const client = createSyncClient({ baseUrl: 'http://api.test', fetch: network });
  const live = createLiveCollection<Todo, string>({
    id: 'test/todo',
    table: 'todos',
    columns: ['id', 'status', 'title', 'version'],
    shapeUrl: () => 'http://api.test/v1/shape',
    fetch: () => network,
    getKey: (row) => row.id,
    kinds: { id: 'string', status: 'string', title: 'string', version: 'integer' },
    rowSchema: passthrough,
    send: (request) => client.requestWithResponse(request),
    update: (id, changes) => ({ method: 'PATCH', path: '/todos/{id}', pathParams: { id }, body: changes }),
    conflict: { strategy, version: 'version', preconditions: ['update', 'delete'] },
  });
  return { shape, api, live };
}

describe('consecutive edits of one versioned live row', () => {
  const started: { stop(): void }[] = [];
  afterEach(() => started.splice(0).forEach((live) => live.stop()));

  it.each(['backend-wins', 'field-merge'] as const)(
    '%s: an edit made before the previous one reached the stream is sent on its answer, not refused',
    async (strategy) => {
      const { shape, api, live } = start(strategy);
      started.push(live);
      shape.insert({ id: 'a', title: 'Start', status: 'todo', version: 1 });
      await live.collection.preload();
      await waitUntil(() => live.collection.get('a') !== undefined);

      api.answer(200, { id: 'a', title: 'One', status: 'todo', version: 2 }, { 'x-sync-txid': '11' });
      const first = live.collection.update('a', (draft) => void (draft.title = 'One'));
      await waitUntil(() => api.requests.length === 1);
      // the stream has not brought version 2 yet: the row on screen still says version 1
      const second = api.hold(200, { id: 'a', title: 'One', status: 'done', version: 3 }, { 'x-sync-txid': '12' });
      const edit = live.collection.update('a', (draft) => void (draft.status = 'done'));
      const sent = await second.taken;
      expect(api.requests.map((r) => r.headers['if-match'])).toEqual(['"1"', '"2"']);
      expect(sent.body).toEqual({ status: 'done' });
      second.release();
      shape.update('a', { title: 'One', version: 2 }, 11);
      shape.update('a', { status: 'done', version: 3 }, 12);
      await Promise.all([first.isPersisted.promise, edit.isPersisted.promise]);
      expect(live.status.refusedWrites).toEqual([]);
      expect(live.collection.get('a')).toMatchObject({ title: 'One', status: 'done', version: 3 });
    },
  );
});
