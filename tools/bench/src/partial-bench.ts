/**
 * Partial sync, run by main.ts in a process of its own; the development shape server runs in
 * another (embedded PGlite, or DATABASE_URL's server). A todos table of N rows over P projects;
 * opening one project (N / P rows) from a cold client:
 *   - on demand: the runtime's live collection with `syncMode: 'on-demand'` (the real Electric
 *     client: a changes-only stream and a subset snapshot), and a live query on the project — time
 *     until the query holds the project's rows, and the bytes the shape requests moved;
 *   - against the whole table: the same collection eager — time and bytes until the same query
 *     holds the same rows (every row of the table came first).
 * The subset's JSON bytes (its rows as JSON) are the yardstick for bytes moved.
 * Prints one JSON line on stdout.
 */
import { createLiveQueryCollection, eq } from '@tanstack/react-db';
import { createLiveCollection } from '../../../libs/runtime/src/lib/live/live-collection';
import { startHarness } from '../../../libs/shape-server/test/harness';

interface Todo {
  id: number;
  project: number;
  title: string;
  status: string;
  priority: number;
}

async function main() {
  const [rows, projects] = (process.argv[2] ?? '1000000,1000').split(',').map(Number);
  const h = await startHarness({ liveTimeoutMs: 20_000 });
  try {
    const table = `${h.schema}.todos`;
    process.stderr.write(`[bench] partial: filling ${rows} todos over ${projects} projects…\n`);
    await h.sql(
      `CREATE TABLE ${table} (id integer PRIMARY KEY, project integer NOT NULL, title text NOT NULL, status text NOT NULL, priority integer NOT NULL)`,
      [
        `INSERT INTO ${table} SELECT i, i % $2::int, 'Todo number ' || i, 'todo', 1 + i % 5 FROM generate_series(1, $1::int) AS i`,
        [rows, projects],
      ],
      `CREATE INDEX ON ${table} (project)`,
      `ANALYZE ${table}`,
    );
    await h.migrate(['todos']);
    const project = Math.floor(projects / 2);
    const subset = await h.sql<Record<string, unknown>>([
      `SELECT id::text, project::text, title, status, priority::text FROM ${table} WHERE project = $1 ORDER BY id`,
      [project],
    ]);
    const subsetJsonBytes = Buffer.byteLength(JSON.stringify(subset));

    const open = async (syncMode: 'eager' | 'on-demand') => {
      let bytes = 0;
      let requests = 0;
      const counting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        requests++;
        const body = await response.arrayBuffer();
        // bytes on the wire: fetch has decoded a gzip answer, whose length says what it was
        const encoded = response.headers.get('content-encoding') ? response.headers.get('content-length') : null;
        bytes += encoded !== null ? Number(encoded) : body.byteLength;
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      };
      const started = performance.now();
      const live = createLiveCollection<Todo, number>({
        id: `bench/${syncMode}`,
        table,
        columns: ['id', 'project', 'title', 'status', 'priority'],
        syncMode,
        shapeUrl: () => h.url,
        fetch: () => counting,
        getKey: (row) => row.id,
        kinds: { id: 'integer', project: 'integer', title: 'string', status: 'string', priority: 'integer' },
        rowSchema: { '~standard': { version: 1, vendor: 'bench', validate: (value: unknown) => ({ value }) } },
      });
      const query = createLiveQueryCollection((q) =>
        q.from({ todo: live.collection }).where(({ todo }) => eq(todo.project, project)),
      );
      query.subscribeChanges(() => undefined, { includeInitialState: true });
      const expected = rows / projects;
      while (query.size < expected) {
        if (performance.now() - started > 600_000) throw new Error(`${syncMode}: ${query.size} of ${expected} rows`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const ms = performance.now() - started;
      const held = live.collection.size;
      live.stop();
      await query.cleanup();
      await live.collection.cleanup();
      process.stderr.write(
        `[bench] partial: ${syncMode}: the project's ${expected} rows in ${ms.toFixed(0)} ms, ${bytes} bytes in ${requests} requests (the collection holds ${held} rows)\n`,
      );
      return { ms: Math.round(ms), bytes, requests, held };
    };
    const onDemand = await open('on-demand');
    const whole = await open('eager');
    process.stdout.write(
      `${JSON.stringify({
        database: process.env['DATABASE_URL'] ? 'postgresql server' : 'pglite',
        rows,
        projects,
        subsetRows: subset.length,
        subsetJsonBytes,
        onDemand,
        whole,
      })}\n`,
    );
  } finally {
    await h.close();
  }
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`partial bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
