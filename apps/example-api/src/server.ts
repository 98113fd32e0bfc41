import { randomBytes } from 'node:crypto';
import { installChangeCapture, startShapeServer, type RunningShapeServer } from '@sync-patterns/shape-server';
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
  /**
   * ElectricSQL behind the API's shape proxy (ELECTRIC_URL, its `/v1/shape`, and ELECTRIC_SECRET).
   * Without it, the development shape server runs on a loopback port with a secret of its own,
   * and the proxy reads from it exactly as it would from Electric.
   */
  electric?: { url: string; secret?: string };
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
  let shapeServer: RunningShapeServer | undefined;
  let shapes = options.electric;
  try {
    await migrate(db);
    // the tables live models sync: their changes feed the shape server's log
    // (in a schema of its own on a shared server: the log goes there too)
    await installChangeCapture(
      db,
      // (projects and project_members: the tables todos' where reads — a change there moves rows)
      ['users', 'projects', 'todos', 'project_members'].map((table) => ({ schema: options.schema ?? 'public', table })),
      options.schema,
    );
    if (options.seed) await seed(db, options.seedPassword);
    if (options.staff) await ensureStaff(db, options.staff.email, options.staff.password);
    if (!options.electric) {
      const secret = randomBytes(24).toString('base64url');
      shapeServer = await startShapeServer({
        source: db,
        host: '127.0.0.1',
        port: 0,
        secret,
        logSchema: options.schema,
        defaultSchema: options.schema,
        corsOrigins: [],
      });
      shapes = { url: shapeServer.url, secret };
    }
    const app = buildApp({
      db,
      logger: options.logger,
      corsOrigins: options.corsOrigins,
      shapeResetRoute: options.shapeResetRoute,
      logSchema: options.schema,
      shapes,
    });
    const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    return {
      url: address,
      app,
      db,
      async close() {
        await app.close();
        await shapeServer?.close();
        await db.close();
      },
    };
  } catch (error) {
    await shapeServer?.close();
    await db.close();
    throw error;
  }
}
