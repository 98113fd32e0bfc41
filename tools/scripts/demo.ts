// `npm run demo`: the example end to end on this machine — brings the example API's generated
// libraries up to date (the Nx sync target), starts the example API with its development shape
// server on embedded Postgres (PGlite, seeded), starts the web app, and prints its URL.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { startTestServer } from '../../apps/example-api/src/testing';
import { startWebApp } from '../../apps/example-web/test/web-app';

const workspace = path.resolve(__dirname, '../..');
const apiPort = Number(process.env['DEMO_API_PORT'] ?? 3100);
const webPort = Number(process.env['DEMO_WEB_PORT'] ?? 5173);

async function demo(): Promise<void> {
  console.log('1/3 generating the example API libraries (nx run @sync-patterns/example-api:sync)…');
  const sync = spawnSync(
    process.execPath,
    [require.resolve('nx/bin/nx'), 'run', '@sync-patterns/example-api:sync', '--output-style=static'],
    { cwd: workspace, stdio: 'inherit' },
  );
  if (sync.status !== 0) throw new Error('the sync target failed (see above)');
  console.log(`2/3 starting the example API and its shape server on embedded Postgres (port ${apiPort})…`);
  // the seeded users' password: random per run (the database lives in memory for the run)
  const password = process.env['DEMO_PASSWORD'] ?? randomBytes(6).toString('base64url');
  const api = await startTestServer({ seed: true, port: apiPort, seedPassword: password });
  console.log(`3/3 starting the web app (port ${webPort})…`);
  const web = await startWebApp({ apiUrl: api.url, port: webPort }).catch(async (error: unknown) => {
    await api.close();
    throw error;
  });
  console.log(`\nThe example web app: ${web.url}  (API ${api.url}; open it in two windows to see live sync)`);
  console.log(
    `Sign in as ada@example.com (staff, owns Launch) or grace@example.com (a member of Launch), password: ${password}`,
  );
  console.log('Ctrl-C stops both.');
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await web.close();
  await api.close();
}

demo().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(`If a port is taken, set DEMO_API_PORT / DEMO_WEB_PORT.`);
    process.exit(1);
  },
);
