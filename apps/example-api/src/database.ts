import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';

/** What the routes need from Postgres: parameterised queries, inside or outside a transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** Which Postgres this is, for logs: `pglite (in memory)` or the server's URL without password. */
  readonly description: string;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN: `onNotify` gets each payload on `channel`; the returned function stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without one an embedded PGlite database is used. */
  url?: string;
  /** PGlite only: a directory to persist into; in memory when absent. */
  dataDir?: string;
  /** Server only: a Postgres schema to work in (created if missing), so tests can share a server. */
  schema?: string;
}

/** The PostgreSQL server when a URL is given (DATABASE_URL), else embedded PGlite. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openServer(options.url, options.schema) : openEmbedded(options.dataDir);
}

async function openEmbedded(dataDir?: string): Promise<Database> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const run =
    (target: Pick<PGlite, 'query'>): Queryable['query'] =>
    async <Row>(sql: string, params?: unknown[]) =>
      (await target.query<Row>(sql, params)).rows;
  return {
    description: dataDir ? `pglite (${dataDir})` : 'pglite (in memory)',
    query: run(db),
    transaction: (work) => db.transaction((tx) => work({ query: run(tx) })),
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return () => stop();
    },
    close: () => db.close(),
  };
}

async function openServer(url: string, schema?: string): Promise<Database> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  if (schema) {
    // Fail at start-up with the server's own message rather than on the first request.
    const setup = new Pool({ connectionString: url, max: 1 });
    await setup.query(`create schema if not exists ${schema}`).finally(() => setup.end());
  }
  const pool = new Pool({ connectionString: url, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await pool.query('select 1');
  const run =
    (target: Pool | PoolClient): Queryable['query'] =>
    async <Row>(sql: string, params?: unknown[]) =>
      (await target.query(sql, params)).rows as Row[];
  return {
    description: redact(url),
    query: run(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work({ query: run(client) });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      // LISTEN holds a connection of its own for as long as it lasts
      const client = await pool.connect();
      const onNotification = (message: { channel: string; payload?: string }) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      };
      client.on('notification', onNotification);
      await client.query(`listen "${channel.replace(/"/g, '""')}"`);
      return async () => {
        client.off('notification', onNotification);
        await client.query(`unlisten "${channel.replace(/"/g, '""')}"`).catch(() => undefined);
        client.release();
      };
    },
    close: () => pool.end(),
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}
