/**
 * The development shape server's throughput, run by main.ts in a process of its own; the server
 * runs in another (over embedded PGlite, or DATABASE_URL's server), read by the real
 * @electric-sql/client:
 *   - initial sync: N rows to one client, from its first request to up-to-date — for the shape's
 *     first client (the snapshot is taken then) and for a later one (the stored snapshot is read);
 *   - live fan-out: C clients on one shape, K changes committed one after another; changes per
 *     second until the last client has the last change.
 * Baselines from the same run: reading the same rows straight from the database (one SELECT, as
 * JSON over HTTP from the server's process), and the fan-out to one client.
 * Prints one JSON line on stdout.
 */
import { follow, startHarness } from '../../../libs/shape-server/test/harness';

async function main() {
  const [rows, clients, changes] = (process.argv[2] ?? '100000,100,200').split(',').map(Number);
  const h = await startHarness({ liveTimeoutMs: 20_000 });
  try {
    await h.sql([
      `INSERT INTO ${h.table} (id, title, status, doc) SELECT i, 'Row number ' || i, 'todo', '{"n": 1}' FROM generate_series(1, $1::int) AS i`,
      [rows],
    ]);
    const initial = async () => {
      const started = performance.now();
      const client = follow(h.url, { params: { table: h.table } });
      await client.until(() => client.upToDate() > 0, 'the initial sync', 600_000);
      const ms = performance.now() - started;
      if (client.rows.size !== rows) throw new Error(`the client got ${client.rows.size} of ${rows} rows`);
      client.stop();
      return ms;
    };
    const selectStarted = performance.now();
    const selected = await h.sql(`SELECT * FROM ${h.table}`);
    const selectMs = performance.now() - selectStarted;
    if (selected.length !== rows) throw new Error('the baseline read the wrong number of rows');
    const firstMs = await initial();
    const laterMs = await initial();
    process.stderr.write(
      `[bench] shapes: initial sync of ${rows} rows ${(firstMs / 1000).toFixed(2)} s (first client), ${(laterMs / 1000).toFixed(2)} s (later)\n`,
    );

    // fan-out: every client follows the same one-row shape; each change reaches all of them
    await h.migrate(
      ['counters'],
      `CREATE TABLE ${h.schema}.counters (id integer PRIMARY KEY, n integer NOT NULL)`,
      `INSERT INTO ${h.schema}.counters VALUES (1, 0)`,
    );
    const table = `${h.schema}.counters`;
    const key = `"${h.schema}"."counters"/"1"`;
    let n = 0;
    const fanout = async (count: number) => {
      const followers = Array.from({ length: count }, () => follow(h.url, { params: { table } }));
      for (const f of followers) await f.until(() => f.upToDate() > 0, 'a follower', 120_000);
      const started = performance.now();
      const until = n + changes;
      while (n < until) await h.sql([`UPDATE ${table} SET n = $1 WHERE id = 1`, [++n]]);
      for (const f of followers) await f.until(() => f.rows.get(key)?.['n'] === until, 'the last change', 300_000);
      const ms = performance.now() - started;
      for (const f of followers) f.stop();
      process.stderr.write(`[bench] shapes: ${changes} changes to ${count} client(s) in ${(ms / 1000).toFixed(2)} s\n`);
      return ms;
    };
    const oneMs = await fanout(1);
    const fanoutMs = await fanout(clients);
    process.stdout.write(
      `${JSON.stringify({
        database: process.env['DATABASE_URL'] ? 'postgresql server' : 'pglite',
        rows,
        selectMs: Math.round(selectMs),
        initialFirstMs: Math.round(firstMs),
        initialLaterMs: Math.round(laterMs),
        initialRowsPerSecond: Math.round(rows / (firstMs / 1000)),
        laterRowsPerSecond: Math.round(rows / (laterMs / 1000)),
        clients,
        changes,
        fanoutMs: Math.round(fanoutMs),
        changesPerSecond: Math.round(changes / (fanoutMs / 1000)),
        oneClientChangesPerSecond: Math.round(changes / (oneMs / 1000)),
      })}\n`,
    );
  } finally {
    await h.close();
  }
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`shapes bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
