import { follow, messagesOf, startHarness, type Harness } from './harness';

/**
 * Electric's initial sync, as its clients see it: the snapshot in chunks starting at `0_0`, never
 * up-to-date on the first answer, the shape's own log for every later client, Electric's headers,
 * caching and error bodies. Written from ../shared/reference/electric-api.yaml and the sync
 * service's behaviour; the real @electric-sql/client reads every answer.
 */
describe('initial sync, as Electric serves it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ chunkBytes: 300 });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sql(`TRUNCATE ${h.table}`));

  const seed = async (n: number) => {
    await h.sql([
      `INSERT INTO ${h.table} (id, title) SELECT i, 'row ' || i FROM generate_series(1, $1::int) AS i`,
      [n],
    ]);
  };

  it('answers offset=-1 with the first chunk at 0_0, never up-to-date; the next chunks follow; then up-to-date', async () => {
    await seed(12);
    const first = await h.get({ offset: '-1' });
    expect(first.status).toBe(200);
    const handle = first.headers.get('electric-handle')!;
    expect(handle).toMatch(/^[0-9a-f]{16}-[0-9]+$/);
    expect(first.headers.get('electric-offset')).toBe('0_0');
    expect(first.headers.get('electric-up-to-date')).toBeNull();
    expect(first.headers.get('cache-control')).toBe(
      'public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746',
    );
    expect(first.headers.get('etag')).toBe(`"${handle}:-1:0_0"`);
    expect(JSON.parse(first.headers.get('electric-schema')!)).toMatchObject({
      id: { type: 'int4', pk_index: 0, not_null: true },
      title: { type: 'text', not_null: true },
      doc: { type: 'json' },
    });
    const chunk0 = await messagesOf(first);
    expect(chunk0[0]).toEqual({
      key: `"${h.schema}"."items"/"1"`,
      value: { id: '1', title: 'row 1', status: null, doc: null, tags: null },
      headers: { operation: 'insert', relation: [h.schema, 'items'] },
    });
    expect(chunk0.some((m) => m.headers['control'])).toBe(false);

    // the chunks, each asked for with the offset of the one before, until the snapshot-end
    let offset = '0_0';
    const rows = chunk0.length;
    let seen = rows;
    let last: Awaited<ReturnType<typeof messagesOf>> = chunk0;
    for (let i = 1; !last.some((m) => m.headers['control'] === 'snapshot-end'); i++) {
      const next = await h.get({ offset, handle });
      expect(next.headers.get('electric-offset')).toBe(`0_${i}`);
      expect(next.headers.get('electric-up-to-date')).toBeNull();
      last = await messagesOf(next);
      seen += last.filter((m) => m.key).length;
      offset = `0_${i}`;
    }
    expect(seen).toBe(12);
    expect(last.at(-1)!.headers).toMatchObject({ control: 'snapshot-end', xmin: expect.any(String) });
    // after the last chunk: the log, up to date (nothing changed), at the same offset
    const caughtUp = await h.get({ offset, handle });
    expect(caughtUp.headers.get('electric-offset')).toBe(offset);
    expect(caughtUp.headers.get('electric-up-to-date')).toBe('');
    expect(await messagesOf(caughtUp)).toEqual([
      { headers: { control: 'up-to-date', global_last_seen_lsn: expect.stringMatching(/^[0-9]+$/) } },
    ]);
  });

  it('gives a later client the shape it gave the first: the same handle, snapshot, then the log', async () => {
    await seed(2);
    const a = follow(h.url, { params: { table: h.table } });
    await a.until(() => a.upToDate() > 0, 'the first client');
    await h.sql(`UPDATE ${h.table} SET title = 'changed' WHERE id = 1`);
    await a.until(() => a.rows.get(h.key(1))?.['title'] === 'changed', 'the change');
    const b = follow(h.url, { params: { table: h.table } });
    await b.until(() => b.upToDate() > 0, 'the second client');
    expect(b.stream.shapeHandle).toBe(a.stream.shapeHandle);
    // the snapshot as it was when the shape was made, then the update from the log
    expect(b.changes().map((m) => [m.headers.operation, m.value['title']])).toEqual([
      ['insert', 'row 1'],
      ['insert', 'row 2'],
      ['update', 'changed'],
    ]);
    expect(b.values()).toEqual(a.values());
    a.stop();
    b.stop();
  });

  it('cuts a long log answer by size, inside a transaction too; last only where the transaction ends', async () => {
    await seed(1);
    const first = await h.get({ offset: '-1' });
    const handle = first.headers.get('electric-handle')!;
    let offset = (await h.get({ offset: '0_0', handle })).headers.get('electric-offset')!;
    await h.sql(`INSERT INTO ${h.table} (id, title) SELECT i, 'a longer title here' FROM generate_series(2, 11) AS i`);
    const answers: Awaited<ReturnType<typeof messagesOf>>[] = [];
    for (let upToDate = false; !upToDate; ) {
      const next = await h.get({ offset, handle });
      answers.push((await messagesOf(next)).filter((m) => m.key));
      upToDate = next.headers.get('electric-up-to-date') !== null;
      offset = next.headers.get('electric-offset')!;
    }
    expect(answers.length).toBeGreaterThan(2);
    const changes = answers.flat();
    expect(changes.map((m) => m.value!['id'])).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(changes.map((m) => m.headers['last'] ?? false)).toEqual([...Array(9).fill(false), true]);
  });

  it("sends a snapshot in the table's own order, as Electric does", async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title) VALUES (3, 'c'), (1, 'a'), (2, 'b')`);
    const client = follow(h.url, { params: { table: h.table } });
    await client.until(() => client.upToDate() > 0, 'the snapshot');
    expect(client.changes().map((m) => m.value['id'])).toEqual([3, 1, 2]);
    client.stop();
  });

  it('ends a shape on DELETE: 202, then 409 with a new handle; an unknown handle is 404', async () => {
    await seed(1);
    const handle = (await h.get({ offset: '-1' })).headers.get('electric-handle')!;
    const deleted = await fetch(`${h.url}?table=${h.table}&handle=${handle}`, { method: 'DELETE' });
    expect([deleted.status, await deleted.json()]).toEqual([202, []]);
    const after = await h.get({ offset: '0_0', handle });
    expect(after.status).toBe(409);
    expect(after.headers.get('electric-handle')).not.toBe(handle);
    expect((await fetch(`${h.url}?handle=${handle}`, { method: 'DELETE' })).status).toBe(404);
    const byTable = await fetch(`${h.url}?table=${h.table}`, { method: 'DELETE' });
    expect(byTable.status).toBe(202);
    expect((await h.get({ offset: '0_0', handle: after.headers.get('electric-handle')! })).status).toBe(409);
  });

  it('cuts a long log answer at the end of the transaction that passes the chunk size', async () => {
    await seed(1);
    const first = await h.get({ offset: '-1' });
    const handle = first.headers.get('electric-handle')!;
    let offset = (await h.get({ offset: '0_0', handle })).headers.get('electric-offset')!;
    for (let i = 2; i <= 11; i++)
      await h.sql([`INSERT INTO ${h.table} (id, title) VALUES ($1, 'a longer title here')`, [i]]);
    const answers: number[] = [];
    for (let upToDate = false; !upToDate; ) {
      const next = await h.get({ offset, handle });
      answers.push((await messagesOf(next)).filter((m) => m.key).length);
      upToDate = next.headers.get('electric-up-to-date') !== null;
      offset = next.headers.get('electric-offset')!;
    }
    expect(answers.length).toBeGreaterThan(2);
    expect(answers.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('answers a repeated request with 304 when its etag matches', async () => {
    await seed(1);
    const first = await h.get({ offset: '-1' });
    const etag = first.headers.get('etag')!;
    const again = await h.get({ offset: '-1' }, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('electric-offset')).toBe('0_0');
    expect(again.headers.get('electric-schema')).toBeNull();
  });

  it("answers bad requests with Electric's 400 body, naming the parameter", async () => {
    const problem = async (query: Record<string, string>) => {
      const response = await h.get(query);
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { message: string; errors: Record<string, unknown> };
      expect(body.message).toBe('Invalid request');
      return body.errors;
    };
    expect(await problem({ offset: '-1', replica: 'partial' })).toEqual({ replica: [expect.any(String)] });
    expect(await problem({ offset: '-1', log: 'everything' })).toEqual({ log: [expect.any(String)] });
    expect(await problem({ offset: 'x' })).toEqual({ offset: [expect.any(String)] });
    expect(await problem({ offset: '3_0' })).toEqual({ handle: [expect.any(String)] });
    expect(await problem({ offset: '-1', live: 'true' })).toEqual({ live: [expect.any(String)] });
    expect(await problem({ offset: '-1', where: 'nope = 1' })).toEqual({ where: [expect.stringContaining('nope')] });
    expect(await problem({ offset: '-1', columns: 'title' })).toEqual({ columns: [expect.stringContaining('id')] });
    expect(await problem({ offset: 'now', subset__limit: '2' })).toEqual({
      subset: { order_by: [expect.any(String)] },
    });
  });

  it('answers a handle that is not the current one with 409 must-refetch and the current handle', async () => {
    await seed(1);
    const first = await h.get({ offset: '-1' });
    const handle = first.headers.get('electric-handle')!;
    const stale = await h.get({ offset: '0_0', handle: 'not-a-handle' });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('electric-handle')).toBe(handle);
    expect(stale.headers.get('cache-control')).toBe('public, max-age=60, must-revalidate');
    expect(await stale.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
  });
});
