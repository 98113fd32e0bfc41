import { SyncError } from '../client/sync-error';
import { changedFields, entityTag, entityTagIn, ifMatchOf, type ConflictPolicy, type Row } from './conflict-policy';
import { mergeRows } from './three-way-merge';
import { classifyFailure, resolveStale, type WriteUnderTest } from './write-conflict';

const base = { id: 'a', title: 'Buy milk', status: 'todo', labels: ['home', 'shop'], version: 3 };

describe('three-way merge', () => {
  it("keeps both sides' changes to different fields", () => {
    const local = { ...base, title: 'Buy oat milk' };
    const server = { ...base, status: 'done', version: 4 };
    expect(mergeRows(base, local, server)).toEqual({ ...base, title: 'Buy oat milk', status: 'done', version: 4 });
  });

  it('decides a field both changed by its rule: server by default, client, or the union of lists', () => {
    const local = { ...base, title: 'Mine', labels: ['home', 'urgent'] };
    const server = { ...base, title: 'Theirs', labels: ['shop', 'weekly'], version: 4 };
    expect(mergeRows(base, local, server)).toMatchObject({ title: 'Theirs', labels: ['shop', 'weekly'] });
    // union: an item either side removed stays removed ('home' by the server, 'shop' by the client)
    expect(mergeRows(base, local, server, { title: 'client', labels: 'union' })).toMatchObject({
      title: 'Mine',
      labels: ['weekly', 'urgent'],
    });
  });

  it('sees equal values as no conflict, whatever their key order', () => {
    const withMeta = { ...base, meta: { a: 1, b: 2 } };
    const local = { ...withMeta, meta: { b: 3, a: 1 } };
    const server = { ...withMeta, meta: { a: 1, b: 3 }, version: 4 };
    expect(mergeRows(withMeta, local, server, { meta: 'client' })).toEqual(server);
  });
});

describe('If-Match', () => {
  const policy: ConflictPolicy<Row> = { strategy: 'backend-wins', version: 'version', preconditions: ['update'] };

  it('sends the base version of the writes the spec guards, quoted as an entity-tag', () => {
    expect(ifMatchOf(policy, 'update', base)).toBe('"3"');
    expect(ifMatchOf(policy, 'delete', base)).toBeUndefined(); // the delete declares no If-Match
    expect(ifMatchOf(policy, 'insert', base)).toBeUndefined();
    expect(ifMatchOf({ ...policy, strategy: 'client-wins' }, 'update', base)).toBeUndefined();
    expect(ifMatchOf(policy, 'update', null)).toBeUndefined(); // a row never loaded: nothing to send
  });

  it('cannot be broken out of by a version holding quotes, controls or non-ASCII', () => {
    expect(entityTag('2026-12-07T10:00:00.000Z')).toBe('"2026-12-07T10:00:00.000Z"');
    expect(entityTag('a"b\r\nX-Evil: 1 é%')).toBe('"a%22b%0D%0AX-Evil:%201%20%C3%A9%25"');
  });

  it("sends back only an API's ETag that is one: nothing else reaches a header", () => {
    expect(entityTagIn('"33a64df5"')).toBe('"33a64df5"');
    expect(entityTagIn('W/"0815"')).toBe('W/"0815"');
    expect(entityTagIn('33a64df5')).toBeUndefined();
    expect(entityTagIn('"a"\r\nX-Evil: 1')).toBeUndefined();
    expect(entityTagIn(null)).toBeUndefined();
  });

  it('field-merge sends only the fields a write changed', () => {
    expect(changedFields(base, { title: 'Buy milk', status: 'done' })).toEqual({ status: 'done' });
  });
});

describe('a failed write', () => {
  const update: WriteUnderTest = { op: 'update', key: 'a', base, body: { title: 'Mine' } };
  const http = (status: number, body?: unknown) => new SyncError({ kind: 'http', status, body, message: `${status}` });

  it('is a conflict when stale (412), when its row is gone (404, 410), or when refused as one (409)', () => {
    const server = { ...base, status: 'done', version: 4 };
    expect(classifyFailure(update, http(412, server))).toEqual({
      conflict: { reason: 'stale', base, local: { ...base, title: 'Mine' }, server },
    });
    expect(classifyFailure(update, http(404))).toMatchObject({ conflict: { reason: 'gone', server: null } });
    expect(classifyFailure({ ...update, op: 'insert', body: base }, http(409))).toMatchObject({
      conflict: { reason: 'exists', local: base },
    });
    expect(classifyFailure(update, http(422))).toMatchObject({ failure: { status: 422 } });
  });

  it('is done when a delete finds its row gone: what it wanted holds', () => {
    expect(classifyFailure({ ...update, op: 'delete', body: null }, http(404))).toEqual({ done: true });
  });

  it('is decided by the strategy when stale', () => {
    const server = { ...base, status: 'done', title: 'Theirs', version: 4 };
    const conflict = { reason: 'stale' as const, base, local: { ...base, title: 'Mine' }, server };
    const strategy = (s: ConflictPolicy<Row>['strategy'], extra: Partial<ConflictPolicy<Row>> = {}) => ({
      strategy: s,
      version: 'version',
      preconditions: ['update' as const],
      ...extra,
    });
    expect(resolveStale(strategy('backend-wins'), update, conflict)).toEqual({ refuse: conflict });
    // field-merge: same field changed on both sides, server by default → nothing left to send
    expect(resolveStale(strategy('field-merge'), update, conflict)).toEqual({ keepServer: server });
    expect(resolveStale(strategy('field-merge', { rules: { title: 'client' } }), update, conflict)).toEqual({
      resend: { title: 'Mine' },
      base: server,
    });
    const resolver = jest.fn((b: Row, l: Row, s: Row) => ({
      ...s,
      title: `${String(l['title'])} + ${String(s['title'])}`,
    }));
    expect(resolveStale(strategy('custom', { resolver: () => resolver }), update, conflict)).toEqual({
      resend: { title: 'Mine + Theirs' },
      base: server,
    });
    expect(resolver).toHaveBeenCalledWith(base, { ...base, title: 'Mine' }, server);
    expect(resolveStale(strategy('custom', { resolver: () => () => 'server' }), update, conflict)).toEqual({
      keepServer: server,
    });
    expect(resolveStale(strategy('custom', { resolver: () => () => 'reject' }), update, conflict)).toEqual({
      refuse: conflict,
    });
    // no resolver registered: listed, never guessed
    expect(resolveStale(strategy('custom'), update, conflict)).toEqual({ refuse: conflict });
  });
});
