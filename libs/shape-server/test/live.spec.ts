import { follow, messagesOf, startHarness, type Harness } from './harness';

/**
 * Live requests as Electric answers them: long-polls that time out with up-to-date alone, SSE with
 * one frame per message, changes-only shapes started at `now` and filled with subset snapshots
 * (GET and POST) the way TanStack DB's on-demand sync asks for them, and writers at the same time.
 */
describe('live, as Electric serves it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      liveTimeoutMs: 600,
      sseTimeoutMs: 3_000,
      sseKeepAliveMs: 500,
      cacheMaxAge: 1,
      cacheStaleAge: 3,
    });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sql(`TRUNCATE ${h.table}`));

  it('answers a long-poll that saw no change with up-to-date alone, has-data false, and a cursor', async () => {
    const first = await h.get({ offset: '-1' });
    const handle = first.headers.get('electric-handle')!;
    const caughtUp = await h.get({ offset: '0_0', handle });
    // the cache lifetimes given (Electric's ELECTRIC_CACHE_MAX_AGE / _STALE_AGE)
    expect(caughtUp.headers.get('cache-control')).toBe('public, max-age=1, stale-while-revalidate=3');
    const offset = caughtUp.headers.get('electric-offset')!;
    const started = Date.now();
    const live = await h.get({ offset, handle, live: 'true', cursor: '' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(live.status).toBe(200);
    expect(live.headers.get('electric-has-data')).toBe('false');
    expect(live.headers.get('electric-offset')).toBe(offset);
    expect(live.headers.get('electric-cursor')).toMatch(/^[0-9]+$/);
    expect(live.headers.get('cache-control')).toBe('public, max-age=5, stale-while-revalidate=5');
    expect(live.headers.get('electric-schema')).toBeNull();
    expect(await messagesOf(live)).toEqual([
      { headers: { control: 'up-to-date', global_last_seen_lsn: expect.any(String) } },
    ]);
  });

  it('serves live changes over SSE to the real client, every one of them, in order', async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title) VALUES (1, 'one')`);
    const client = follow(h.url, { params: { table: h.table }, liveSse: true });
    await client.until(() => client.rows.size === 1 && client.upToDate() > 0, 'the snapshot');
    for (let i = 2; i <= 30; i++) await h.sql([`INSERT INTO ${h.table} (id, title) VALUES ($1, 'x')`, [i]]);
    await h.sql(`UPDATE ${h.table} SET title = 'last' WHERE id = 30`, `DELETE FROM ${h.table} WHERE id = 1`);
    await client.until(
      () => client.rows.get(h.key(30))?.['title'] === 'last' && !client.rows.has(h.key(1)),
      'the changes',
    );
    expect(client.rows.size).toBe(29);
    const inserts = client
      .changes()
      .filter((m) => m.headers.operation === 'insert')
      .map((m) => m.value['id']);
    expect(inserts).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    client.stop();
  });

  it('frames SSE as Electric does: data lines, up-to-date with the log position, keep-alive comments', async () => {
    const first = await h.get({ offset: '-1' });
    const handle = first.headers.get('electric-handle')!;
    const offset = (await h.get({ offset: '0_0', handle })).headers.get('electric-offset')!;
    const aborter = new AbortController();
    const response = await h.get(
      { offset, handle, live: 'true', live_sse: 'true', cursor: '' },
      { signal: aborter.signal, headers: { accept: 'text/event-stream' } },
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('public, max-age=2');
    const reader = response.body!.getReader();
    let text = '';
    const read = async (until: (text: string) => boolean) => {
      while (!until(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await read((t) => t.includes(': keep-alive'));
    await h.sql(`INSERT INTO ${h.table} (id, title) VALUES (7, 'seven')`);
    await read((t) => t.includes('up-to-date'));
    const frames = text.split('\n\n').filter((f) => f.startsWith('data: '));
    const [change, upToDate] = frames.map((f) => JSON.parse(f.slice('data: '.length)));
    expect(change).toMatchObject({ key: h.key(7), headers: { operation: 'insert' } });
    expect(upToDate.headers).toEqual({ control: 'up-to-date', global_last_seen_lsn: change.headers.lsn });
    aborter.abort();
  });

  it('starts a changes-only shape at now and fills it with subset snapshots, by GET and by POST', async () => {
    await h.sql(
      `INSERT INTO ${h.table} (id, title, status) SELECT i, 'row ' || i, CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END FROM generate_series(1, 20) AS i`,
    );
    for (const subsetMethod of ['GET', 'POST'] as const) {
      const client = follow(h.url, { params: { table: h.table }, log: 'changes_only', offset: 'now', subsetMethod });
      await client.until(() => client.upToDate() > 0, 'the start');
      expect(client.rows.size).toBe(0);
      const { data, metadata } = await client.stream.requestSnapshot({
        where: 'status = $1',
        params: { '1': 'even' },
        orderBy: 'id DESC',
        limit: 3,
      });
      expect(data.map((m) => m.value['id'])).toEqual([20, 18, 16]);
      expect(metadata).toMatchObject({ xmin: expect.any(String), database_lsn: expect.any(String) });
      expect(client.controls()).toEqual(expect.arrayContaining(['snapshot-end', 'subset-end']));
      await client.until(() => client.rows.size === 3, 'the subset in the stream');
      // a change after the subset reaches the client once
      await h.sql(`UPDATE ${h.table} SET title = 'changed' WHERE id = 20`);
      await client.until(() => client.rows.get(h.key(20))?.['title'] === 'changed', 'the change');
      client.stop();
    }
  });

  it('refuses a subset whose where or order_by is not of the table', async () => {
    const bad = await h.get({ offset: 'now', subset__where: 'secret = 1' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      message: 'Invalid request',
      errors: { subset: { where: [expect.any(String)] } },
    });
    const post = await fetch(`${h.url}?table=${h.table}&offset=now`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_by: 'id; DROP TABLE x', limit: 1 }),
    });
    expect(post.status).toBe(400);
  });

  it('keeps every client consistent with the table under concurrent writers', async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title) SELECT i, 'v0' FROM generate_series(1, 20) AS i`);
    const clients = [
      follow(h.url, { params: { table: h.table } }),
      follow(h.url, { params: { table: h.table, replica: 'full' } }),
      follow(h.url, { params: { table: h.table }, liveSse: true }),
    ];
    for (const c of clients) await c.until(() => c.rows.size === 20, 'the snapshot');
    await Promise.all(
      Array.from({ length: 8 }, (_, writer) =>
        (async () => {
          for (let round = 0; round < 10; round++) {
            // two rows per transaction, locked in id order (the other order deadlocks in Postgres itself)
            const rows = [((writer * 7 + round) % 20) + 1, ((writer * 3 + round) % 20) + 1];
            const statements: [string, unknown[]][] = [
              [`UPDATE ${h.table} SET title = $1 WHERE id = $2`, [`w${writer}r${round}`, rows[0]]],
              [`UPDATE ${h.table} SET status = $1 WHERE id = $2`, [`s${writer}`, rows[1]]],
            ];
            await h.sql(...(rows[0] <= rows[1] ? statements : statements.reverse()));
          }
        })(),
      ),
    );
    const table = await h.sql<{ id: number; title: string; status: string | null }>(
      `SELECT id, title, status FROM ${h.table} ORDER BY id`,
    );
    const expected = JSON.stringify(table.map((r) => [r.id, r.title, r.status]));
    for (const c of clients)
      await c.until(
        () =>
          JSON.stringify(
            c
              .values()
              .map((r) => [r['id'], r['title'], r['status']])
              .sort((a, b) => Number(a[0]) - Number(b[0])),
          ) === expected,
        'the table as it is',
      );
    for (const c of clients) c.stop();
  });
});
