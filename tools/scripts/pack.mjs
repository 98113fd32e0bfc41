// `npm run pack [-- --out <dir>]`: both packages built (tools/scripts/build-package.mjs) and packed
// into one folder, dist/packages by default: the tarballs a user installs until the packages are on
// npm. Prints their paths and the line that installs them (the Nx e2e runs exactly that line).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
if (!(args.length === 0 || (args.length === 2 && args[0] === '--out'))) {
  console.error('usage: npm run pack [-- --out <dir>]');
  process.exit(64);
}
// relative to where the user is (npm keeps it in INIT_CWD), as any path on a command line
const out = args[1]
  ? path.resolve(process.env['INIT_CWD'] ?? process.cwd(), args[1])
  : path.join(repo, 'dist/packages');

const PACKAGES = ['libs/sync-patterns', 'libs/runtime'];
mkdirSync(out, { recursive: true });
const tarballs = PACKAGES.map((lib) => {
  const build = spawnSync(process.execPath, [path.join(repo, 'tools/scripts/build-package.mjs'), lib], {
    cwd: repo,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const pack = spawnSync(
    'npm',
    ['pack', path.join('dist', lib), '--pack-destination', out, '--json', '--loglevel=error'],
    { cwd: repo, encoding: 'utf8' },
  );
  if (pack.status !== 0) {
    process.stderr.write(pack.stdout + pack.stderr);
    console.error(`npm pack dist/${lib} failed`);
    process.exit(pack.status ?? 1);
  }
  const [{ filename }] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  return path.join(out, filename);
});

const quote = (file) => (/^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`);
const [plugin, runtime] = tarballs.map(quote);
console.log(`\nPacked into ${out}:\n${tarballs.map((file) => `  ${file}\n`).join('')}`);
console.log('Install them in your workspace (in its root folder):\n');
console.log(`  npm i -D ${plugin} && npm i ${runtime}\n`);
