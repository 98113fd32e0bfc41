import { follow, messagesOf, startHarness, type Harness } from './harness';

/**
 * Changes as Electric sends them: partial updates under replica=default, whole rows and old values
 * under replica=full, a primary-key update as a delete and an insert, transaction headers, json
 * text kept as written; and the table-level events that make clients start over — TRUNCATE, a
 * table dropped and made again, a column added.
 */
describe('changes, as Electric sends them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ schemaCheckMs: 300 });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sql(`TRUNCATE ${h.table}`));

  /** Reads the shape to its end, then returns what the log gives after a write. */
  const changesAfterWrite = async (query: Record<string, string>, ...write: string[]) => {
    const first = await h.get({ offset: '-1', ...query });
    const handle = first.headers.get('electric-handle')!;
    const caughtUp = await h.get({ offset: first.headers.get('electric-offset')!, handle, ...query });
    await h.sql(...write);
    const next = await h.get({ offset: caughtUp.headers.get('electric-offset')!, handle, ...query });
    expect(next.status).toBe(200);
    return (await messagesOf(next)).filter((m) => m.key);
  };

  it('sends the key and the changed columns of an update under replica=default, the key of a delete', async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title, status) VALUES (1, 'one', 'todo'), (2, 'two', 'todo')`);
    const changes = await changesAfterWrite(
      {},
      `UPDATE ${h.table} SET status = 'done' WHERE id = 1`,
      `DELETE FROM ${h.table} WHERE id = 2`,
    );
    expect(changes.map((m) => [m.headers['operation'], m.value])).toEqual([
      ['update', { id: '1', status: 'done' }],
      ['delete', { id: '2' }],
    ]);
  });

  it('sends whole rows and the old values of the changed columns under replica=full', async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title, status) VALUES (1, 'one', 'todo'), (2, 'two', 'todo')`);
    const changes = await changesAfterWrite(
      { replica: 'full' },
      `UPDATE ${h.table} SET status = 'done' WHERE id = 1`,
      `DELETE FROM ${h.table} WHERE id = 2`,
    );
    expect(changes.map((m) => [m.headers['operation'], m.value, m.old_value])).toEqual([
      ['update', { id: '1', title: 'one', status: 'done', doc: null, tags: null }, { status: 'todo' }],
      ['delete', { id: '2', title: 'two', status: 'todo', doc: null, tags: null }, undefined],
    ]);
  });

  it('skips an update that changes none of the columns the shape sends', async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title, status) VALUES (1, 'one', 'todo')`);
    const changes = await changesAfterWrite(
      { columns: 'id,title' },
      `UPDATE ${h.table} SET status = 'done' WHERE id = 1`,
      `UPDATE ${h.table} SET title = 'uno' WHERE id = 1`,
    );
    expect(changes.map((m) => m.value)).toEqual([{ id: '1', title: 'uno' }]);
  });

  it('sends an update of the primary key as a delete of the old key and an insert of the new', async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title) VALUES (1, 'one')`);
    const changes = await changesAfterWrite({}, `UPDATE ${h.table} SET id = 10 WHERE id = 1`);
    expect(changes).toEqual([
      {
        key: h.key(1),
        value: { id: '1' },
        headers: expect.objectContaining({ operation: 'delete', key_change_to: h.key(10), op_position: 0 }),
      },
      {
        key: h.key(10),
        value: { id: '10', title: 'one', status: null, doc: null, tags: null },
        headers: expect.objectContaining({
          operation: 'insert',
          key_change_from: h.key(1),
          op_position: 1,
          last: true,
        }),
      },
    ]);
    expect(changes[0].headers['last']).toBeUndefined();
    // and a real client ends with the new key only
    const client = follow(h.url, { params: { table: h.table } });
    await client.until(() => client.upToDate() > 0, 'the shape');
    await h.sql(`UPDATE ${h.table} SET id = 20 WHERE id = 10`);
    await client.until(() => client.rows.has(h.key(20)), 'the new key');
    expect([...client.rows.keys()]).toEqual([h.key(20)]);
    client.stop();
  });

  it("marks a transaction's changes with one lsn and txid, their positions, and last on the last", async () => {
    const changes = await changesAfterWrite(
      {},
      `INSERT INTO ${h.table} (id, title) VALUES (1, 'a'), (2, 'b')`,
      `UPDATE ${h.table} SET title = 'c' WHERE id = 2`,
    );
    const [a, b, c] = changes.map((m) => m.headers);
    expect(new Set([a['lsn'], b['lsn'], c['lsn']]).size).toBe(1);
    expect(a['txids']).toEqual([expect.any(Number)]);
    expect(b['txids']).toEqual(a['txids']);
    expect([a['op_position'], b['op_position'], c['op_position']]).toEqual([0, 2, 4]);
    expect([a['last'], b['last'], c['last']]).toEqual([undefined, undefined, true]);
    expect(a['relation']).toEqual([h.schema, 'items']);
  });

  it('sends json columns as written (snapshot and live alike), jsonb as Postgres prints it', async () => {
    const doc = '{"b":1,  "a" : [1, 2]}';
    await h.sql([`INSERT INTO ${h.table} (id, title, doc, tags) VALUES (1, 'x', $1::json, $1::jsonb)`, [doc]]);
    const snapshot = (await messagesOf(await h.get({ offset: '-1' }))).find((m) => m.key)!;
    expect(snapshot.value).toMatchObject({ doc, tags: '{"a": [1, 2], "b": 1}' });
    const changes = await changesAfterWrite({}, [
      `INSERT INTO ${h.table} (id, title, doc, tags) VALUES (2, 'y', $1::json, $1::jsonb)`,
      [doc],
    ] as never);
    expect(changes[0].value).toMatchObject({ doc, tags: '{"a": [1, 2], "b": 1}' });
  });

  it('makes clients start over after a TRUNCATE: 409, a new handle, the rows written since', async () => {
    await h.sql(`INSERT INTO ${h.table} (id, title) VALUES (1, 'old'), (2, 'old')`);
    const client = follow(h.url, { params: { table: h.table } });
    await client.until(() => client.rows.size === 2, 'the snapshot');
    const handle = client.stream.shapeHandle;
    await h.sql(`TRUNCATE ${h.table}`, `INSERT INTO ${h.table} (id, title) VALUES (3, 'new')`);
    await client.until(() => client.rows.size === 1 && client.rows.has(h.key(3)), 'the refetched shape');
    expect(client.controls()).toContain('must-refetch');
    expect(client.stream.shapeHandle).not.toBe(handle);
    client.stop();
  });

  it('makes clients start over when the table is dropped and made again, or gets a column', async () => {
    await h.migrate(
      ['notes'],
      `CREATE TABLE ${h.schema}.notes (id integer PRIMARY KEY, body text)`,
      `INSERT INTO ${h.schema}.notes VALUES (1, 'first')`,
    );
    const client = follow(h.url, { params: { table: `${h.schema}.notes` } });
    const key = (id: number) => `"${h.schema}"."notes"/"${id}"`;
    await client.until(() => client.rows.has(key(1)), 'the snapshot');
    const handle = client.stream.shapeHandle;
    await h.migrate(
      ['notes'],
      `DROP TABLE ${h.schema}.notes`,
      `CREATE TABLE ${h.schema}.notes (id integer PRIMARY KEY, body text)`,
      `INSERT INTO ${h.schema}.notes VALUES (2, 'again')`,
    );
    await client.until(() => client.rows.size === 1 && client.rows.has(key(2)), 'the new table');
    const second = client.stream.shapeHandle;
    expect(second).not.toBe(handle);
    await h.sql(
      `ALTER TABLE ${h.schema}.notes ADD COLUMN pinned boolean`,
      `INSERT INTO ${h.schema}.notes VALUES (3, 'x', true)`,
    );
    await client.until(() => client.rows.get(key(3))?.['pinned'] === true, 'the new column');
    expect(client.stream.shapeHandle).not.toBe(second);
    client.stop();
    // dropped for good, with no write after: seen within schemaCheckMs (as Electric sees it at its
    // schema check), then a request on the shape's handle gets 409 (never a 500), a new one 400
    const last = { table: `${h.schema}.notes`, handle: client.stream.shapeHandle!, offset: client.stream.lastOffset };
    await h.sql(`DROP TABLE ${h.schema}.notes`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const gone = await fetch(`${h.url}?${new URLSearchParams(last)}`);
    expect(gone.status).toBe(409);
    expect((await fetch(`${h.url}?${new URLSearchParams({ table: `${h.schema}.notes`, offset: '-1' })}`)).status).toBe(
      400,
    );
  });
});
