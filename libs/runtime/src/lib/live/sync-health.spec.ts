import { waitUntil } from '../mock/fake-api';
import { createFakeShape } from '../mock/fake-shape';
import { createLiveCollection } from './live-collection';

interface Note {
  id: string;
  title: string;
}

describe('a stream that sends a row failing the schema', () => {
  it('stays in error while the stream answers without good rows, and is live again once good rows apply', async () => {
    // live requests end empty every 20 ms, as Electric's long polls do
    const shape = createFakeShape({ key: 'id', longPollMs: 20 });
    shape.insert({ id: 'a', title: 'bad' });
    const rowSchema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) =>
          (value as Note).title === 'bad' ? { issues: [{ message: 'title: bad' }] } : { value },
      },
    };
    // the network goes down for a while after the bad row: coming back must not clear its error
    let down = false;
    const api = shape.fetchWith(async () => new Response(null, { status: 404 }));
    const live = createLiveCollection<Note, string>({
      id: 'test/note',
      table: 'notes',
      columns: ['id', 'title'],
      shapeUrl: () => 'http://api.test/v1/shape',
      fetch: () => (input, init) => (down ? Promise.reject(new TypeError('fetch failed')) : api(input, init)),
      getKey: (row) => row.id,
      kinds: { id: 'string', title: 'string' },
      rowSchema,
    });
    const seen: string[] = [];
    live.status.subscribe(() => seen.push(live.status.status));
    try {
      void live.collection.preload();
      await waitUntil(() => live.status.status === 'error');
      const firstError = seen.indexOf('error');
      const requestsAtError = shape.requests.length;
      // the answers that follow are 200s with nothing new: the bad row must stay reported
      await waitUntil(() => shape.requests.length >= requestsAtError + 3, 10_000);
      expect(seen.slice(firstError)).not.toContain('live');
      expect(live.status.error).toMatchObject({ kind: 'sync' });
      expect(live.collection.get('a')).toBeUndefined();

      down = true;
      await waitUntil(() => live.status.status === 'offline', 10_000);
      const requestsBack = shape.requests.length;
      down = false;
      await waitUntil(() => shape.requests.length >= requestsBack + 2, 10_000);
      expect(live.status.status).toBe('error');
      expect(live.status.error?.message).toMatch(/does not match the schema/);

      shape.insert({ id: 'b', title: 'Good' });
      await waitUntil(() => live.status.status === 'live', 10_000);
      expect(live.status.error).toBeNull();
      expect(live.collection.get('b')).toMatchObject({ id: 'b', title: 'Good' });
    } finally {
      live.stop();
    }
  }, 30_000);

  it('is the only error held that way: another one (a 401) clears on the next good answer', async () => {
    const shape = createFakeShape({ key: 'id', longPollMs: 20 });
    shape.insert({ id: 'a', title: 'First' });
    let refuse = 1;
    const api = shape.fetchWith(async () => new Response(null, { status: 404 }));
    const live = createLiveCollection<Note, string>({
      id: 'test/note-401',
      table: 'notes',
      columns: ['id', 'title'],
      shapeUrl: () => 'http://api.test/v1/shape',
      fetch: () => async (input, init) =>
        refuse-- > 0 ? new Response('{"message":"sign in"}', { status: 401 }) : api(input, init),
      getKey: (row) => row.id,
      kinds: { id: 'string', title: 'string' },
      rowSchema: { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) } },
    });
    const seen: string[] = [];
    live.status.subscribe(() => seen.push(live.status.status));
    try {
      void live.collection.preload().catch(() => undefined); // the first answer is the 401
      await waitUntil(() => live.status.status === 'live' && seen.includes('error'), 10_000);
      expect(live.collection.get('a')).toMatchObject({ title: 'First' });
    } finally {
      live.stop();
    }
  }, 30_000);
});
