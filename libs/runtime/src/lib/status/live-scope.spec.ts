import { QueryClient } from '@tanstack/react-query';
import { closeLiveCollections, liveModelIn, liveStatusesOf, subscribeLiveStatusesOf } from './live-scope';
import type { LiveStatus } from './live-status';

function model(status: LiveStatus) {
  return {
    status,
    stopped: false,
    stop() {
      this.stopped = true;
    },
  };
}

describe('live collections belong to a QueryClient', () => {
  it('one per model and client: the same for the same client, another for another client', () => {
    const [a, b] = [new QueryClient(), new QueryClient()];
    const first = liveModelIn(a, 'api/todo', model);
    expect(liveModelIn(a, 'api/todo', model)).toBe(first);
    expect(liveModelIn(b, 'api/todo', model)).not.toBe(first);
    expect(liveModelIn(a, 'api/project', model)).not.toBe(first);
  });

  it("count in their client's status once their stream has started, and tell only that client's listeners", () => {
    const [a, b] = [new QueryClient(), new QueryClient()];
    const todo = liveModelIn(a, 'api/todo', model);
    const heardA = jest.fn();
    const heardB = jest.fn();
    subscribeLiveStatusesOf(a, heardA);
    subscribeLiveStatusesOf(b, heardB);
    expect(liveStatusesOf(a)).toEqual([]);
    todo.status.set('live');
    expect(liveStatusesOf(a)).toEqual([todo.status]);
    expect(liveStatusesOf(b)).toEqual([]);
    expect(heardA).toHaveBeenCalledTimes(1);
    expect(heardB).not.toHaveBeenCalled();
    todo.status.set('live'); // no change, no news
    expect(heardA).toHaveBeenCalledTimes(1);
  });

  it('closing a client stops its streams and forgets them; the next use makes new ones', () => {
    const qc = new QueryClient();
    const todo = liveModelIn(qc, 'api/todo', model);
    todo.status.set('live');
    closeLiveCollections(qc);
    expect(todo.stopped).toBe(true);
    expect(liveStatusesOf(qc)).toEqual([]);
    expect(liveModelIn(qc, 'api/todo', model)).not.toBe(todo);
  });
});
