import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';
import type { ShapeSource } from '../src';
import type { Queryable } from '../src/lib/source';

/** A database for the conformance suites: embedded PGlite, or the PostgreSQL server at `url`. */
export interface TestDatabase extends ShapeSource {
  description: string;
  close(): Promise<void>;
}

export async function openTestDatabase(url?: string): Promise<TestDatabase> {
  return url ? openServer(url) : openEmbedded();
}

async function openEmbedded(): Promise<TestDatabase> {
  const db = await PGlite.create();
  const run =
    (target: Pick<PGlite, 'query'>): Queryable['query'] =>
    async <R>(sql: string, params?: unknown[]) =>
      (await target.query<R>(sql, params)).rows;
  return {
    description: 'pglite',
    query: run(db),
    transaction: (work) => db.transaction((tx) => work({ query: run(tx) })),
    listen: async (channel, onNotify) => {
      const stop = await db.listen(channel, onNotify);
      return () => stop();
    },
    close: () => db.close(),
  };
}

async function openServer(url: string): Promise<TestDatabase> {
  const pool = new Pool({ connectionString: url, max: 16 });
  const run =
    (target: Pool | PoolClient): Queryable['query'] =>
    async <R>(sql: string, params?: unknown[]) =>
      (await target.query(sql, params)).rows as R[];
  return {
    description: 'postgresql server',
    query: run(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ query: run(client) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      const client = await pool.connect();
      const onNotification = (message: { channel: string; payload?: string }) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      };
      client.on('notification', onNotification);
      await client.query(`LISTEN "${channel}"`);
      return async () => {
        client.off('notification', onNotification);
        await client.query(`UNLISTEN "${channel}"`).catch(() => undefined);
        client.release();
      };
    },
    close: () => pool.end(),
  };
}
