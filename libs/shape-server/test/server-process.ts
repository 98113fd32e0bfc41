import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installChangeCapture, startShapeServer } from '../src';
import { openTestDatabase } from './database';

/**
 * The conformance suites' server, in a process of its own (PGlite's WebAssembly loading cannot run
 * inside jest's VM): a database with the suite's schema, the shape server over it, and an admin
 * endpoint through which the test runs its SQL — each POST /sql one transaction — and captures
 * tables. Prints one JSON line with both URLs.
 */
async function main() {
  const schema = process.env['SCHEMA']!;
  const options = JSON.parse(process.env['SHAPE_OPTIONS'] ?? '{}') as Record<string, unknown>;
  const db = await openTestDatabase(process.env['DATABASE_URL'] || undefined);
  const logSchema = `${schema}_log`;
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const shapes = await startShapeServer({ source: db, logSchema, ...options });
  const admin = createServer(async (request, response) => {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const body = JSON.parse(Buffer.concat(parts).toString() || '{}') as {
      statements?: { sql: string; params?: unknown[] }[];
      capture?: string[];
    };
    try {
      let result: unknown = null;
      // statements, then the tables to capture, in one transaction
      result = await db.transaction(async (tx) => {
        let rows: unknown[] = [];
        for (const s of body.statements ?? []) rows = await tx.query(s.sql, s.params);
        if (body.capture?.length)
          await installChangeCapture(
            tx,
            body.capture.map((table) => ({ schema, table })),
            logSchema,
          );
        return rows;
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      response.writeHead(500).end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
  const { port } = admin.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ shapes: shapes.url, admin: `http://127.0.0.1:${port}` })}\n`);
  const stop = async () => {
    admin.close();
    await shapes.close();
    if (process.env['DATABASE_URL']) {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.query(`DROP SCHEMA IF EXISTS ${logSchema} CASCADE`);
    }
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

void main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
