import { follow, startHarness, type Harness } from './harness';

/**
 * What the development shape server refuses on its own, whoever reaches it (in the example API,
 * only the shape proxy does): tables not set up for shapes, where clauses that are not expressions
 * of the table's columns, oversized requests; and where parameters are values, never SQL.
 */
describe('requests the shape server refuses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.sql(`CREATE TABLE ${h.schema}.sessions (token text PRIMARY KEY)`);
    await h.sql(`INSERT INTO ${h.table} (id, title) VALUES (1, 'safe')`);
  });
  afterAll(() => h.close());

  const status = async (query: Record<string, string>) => (await h.get({ offset: '-1', ...query })).status;

  it('serves only tables set up with installChangeCapture: the others, the change log among them, get 400', async () => {
    for (const table of [
      `${h.schema}.sessions`,
      `${h.schema}_log.sync_changes`,
      `${h.schema}_log.sync_shapes`,
      `${h.schema}_log.sync_shape_chunks`,
      'pg_catalog.pg_authid',
      `${h.schema}.nope`,
    ]) {
      const response = await fetch(`${h.url}?table=${encodeURIComponent(table)}&offset=-1`);
      const body = (await response.json()) as { errors: { table: string[] } };
      expect([table, response.status, body.errors.table[0]]).toEqual([
        table,
        400,
        expect.stringContaining('does not exist or is not served'),
      ]);
    }
  });

  it('binds where parameters as values: an injection matches nothing and the table stays', async () => {
    const injected = follow(h.url, {
      params: { table: h.table, where: 'title = $1', params: { '1': `x' OR '1'='1'; DROP TABLE items; --` } },
    });
    try {
      await injected.until(() => injected.upToDate() > 0, 'the snapshot');
      expect(injected.rows.size).toBe(0);
    } finally {
      injected.stop();
    }
    expect(await h.sql(`SELECT count(*)::int AS n FROM ${h.table}`)).toEqual([{ n: 1 }]);
  });

  it('refuses where clauses that leave their parentheses, and oversized requests', async () => {
    expect(await status({ where: 'true) OR (true' })).toBe(400);
    expect(await status({ where: `title = 'x'; DROP TABLE items` })).toBe(400);
    expect(await status({ where: 'x'.repeat(5000) })).toBe(400);
    expect(
      await status({
        where: 'title = $1',
        ...Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`params[${i + 1}]`, 'x'])),
      }),
    ).toBe(400);
    expect(await status({ where: 'x'.repeat(20_000) })).toBe(431);
  });
});
