import { messagesOf, startHarness, type Harness } from './harness';

/** Electric's secret: with one set, only requests that carry it (the shape proxy's) read shapes. */
describe('a shape server with a secret', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ secret: 's3cret-value' });
    await h.sql(`INSERT INTO ${h.table} (id, title) VALUES (1, 'one')`);
  });
  afterAll(() => h.close());

  it('refuses requests without it, or with another, with 401 and no data', async () => {
    const queries: Record<string, string>[] = [
      {},
      { secret: 'wrong' },
      { secret: 's3cret-valu' },
      { secret: '' },
      { api_secret: 'nope' },
    ];
    for (const query of queries) {
      const response = await h.get({ offset: '-1', ...query });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toContain('needs its secret');
      expect(response.headers.get('electric-handle')).toBeNull();
    }
    // deleting shapes needs it too
    expect((await fetch(`${h.url}?table=${h.table}`, { method: 'DELETE' })).status).toBe(401);
  });

  it('serves requests that carry it (or the older api_secret)', async () => {
    for (const name of ['secret', 'api_secret']) {
      const response = await h.get({ offset: '-1', [name]: 's3cret-value' });
      expect(response.status).toBe(200);
      expect((await messagesOf(response)).some((m) => m.value?.['title'] === 'one')).toBe(true);
    }
  });
});
