import { installChangeCapture } from '@sync-patterns/shape-server';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app';
import { openDatabase, type Database, type DatabaseOptions } from './database';
import { migrate } from './migrate';
import { seed } from './seed';
import { ensureStaff } from './auth/staff';

export interface StartOptions extends DatabaseOptions, Omit<AppOptions, 'db'> {
  port?: number;
  host?: string;
  seed?: boolean;
  /** The seeded users' password (SEED_PASSWORD); without one they cannot sign in. */
  seedPassword?: string;
  /** A staff account made (or reset) at start-up (STAFF_EMAIL / STAFF_PASSWORD). */
  staff?: { email: string; password: string };
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  db: Database;
  close(): Promise<void>;
}

/** Opens the database, migrates it, optionally seeds it, and listens (port 0 picks a free one). */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const db = await openDatabase(options);
  try {
    await migrate(db);
    // the tables live models sync: their changes feed the shape server's log
    // (in a schema of its own on a shared server: the log goes there too)
    await installChangeCapture(
      db,
      ['users', 'projects', 'todos'].map((table) => ({ schema: options.schema ?? 'public', table })),
      options.schema,
    );
    if (options.seed) await seed(db, options.seedPassword);
    if (options.staff) await ensureStaff(db, options.staff.email, options.staff.password);
    const app = buildApp({
      db,
      logger: options.logger,
      corsOrigins: options.corsOrigins,
      shapeResetRoute: options.shapeResetRoute,
      logSchema: options.schema,
    });
    const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    return {
      url: address,
      app,
      db,
      async close() {
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
