// `npm start -w @sync-patterns/example-api`: the example API on http://127.0.0.1:3100.
// Environment: DATABASE_URL selects a PostgreSQL server (DB_SCHEMA a schema in it), otherwise an
// embedded PGlite database is used (PGLITE_DIR persists it; in memory by default). PORT=0 picks a
// free port. SEED=0 starts empty; SEED_PASSWORD is the seeded users' password (ada@example.com is
// staff, grace@example.com a member). STAFF_EMAIL + STAFF_PASSWORD make a staff account at start.
// CORS_ORIGINS admits browser origins (comma-separated).
// Live mode reads shapes from GET /v1/shape: the shape proxy, in front of the development shape
// server (started on a loopback port) or of ElectricSQL when ELECTRIC_URL (e.g.
// http://localhost:3000/v1/shape) and ELECTRIC_SECRET are set. SHAPE_RESET_ROUTE=1 (tests) adds
// POST /v1/shape/reset.
import { startServer } from './server';

const env = (name: string): string | undefined => process.env[name] || undefined;

function staffAccount(): { email: string; password: string } | undefined {
  const email = env('STAFF_EMAIL');
  const password = env('STAFF_PASSWORD');
  if (!email && !password) return undefined;
  if (!email || !password || password.length < 8)
    throw new Error('STAFF_EMAIL and STAFF_PASSWORD go together, the password at least 8 characters');
  return { email, password };
}

async function main(): Promise<void> {
  const server = await startServer({
    url: env('DATABASE_URL'),
    schema: env('DB_SCHEMA'),
    dataDir: env('PGLITE_DIR'),
    port: Number(env('PORT') ?? 3100),
    host: env('HOST') ?? '127.0.0.1',
    seed: env('SEED') !== '0',
    seedPassword: env('SEED_PASSWORD'),
    staff: staffAccount(),
    logger: { level: env('LOG_LEVEL') ?? 'info' },
    corsOrigins: (env('CORS_ORIGINS') ?? '').split(',').filter(Boolean),
    shapeResetRoute: env('SHAPE_RESET_ROUTE') === '1',
    electric: env('ELECTRIC_URL') ? { url: env('ELECTRIC_URL')!, secret: env('ELECTRIC_SECRET') } : undefined,
  });
  // Tests and scripts wait for this exact line.
  console.log(`example-api listening on ${server.url} (database: ${server.db.description})`);
  if (env('SEED') !== '0' && !env('SEED_PASSWORD'))
    console.log(
      'The seeded users (ada@example.com, grace@example.com) sign in once SEED_PASSWORD is set on a fresh database.',
    );
  const stop = () => {
    // a stuck connection or database must not keep a stopped server alive
    setTimeout(() => process.exit(0), 5_000).unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`example-api failed to start: ${error instanceof Error ? error.message : String(error)}`);
  console.error('Check DATABASE_URL (or unset it to use embedded PGlite) and that PORT is free.');
  process.exit(1);
});
