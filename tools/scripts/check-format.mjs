// `node tools/scripts/check-format.mjs`: the repository's code is as Prettier prints it
// (.prettierrc.json: 120 columns, single quotes). Runs in `npm test`; `--write` fixes it. The
// files are git's tracked TypeScript and JavaScript, minus .prettierignore (generated libraries,
// which sync-patterns lays out itself and hashes byte for byte).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const listed = spawnSync('git', ['ls-files', '-z', '--', '*.ts', '*.tsx', '*.mjs', '*.cjs', '*.js'], {
  cwd: repo,
  encoding: 'utf8',
});
if (listed.status !== 0) {
  console.error('check-format: not a git checkout, so there is no list of the files to check; skipped');
  process.exit(0);
}
const files = listed.stdout.split('\0').filter(Boolean);
const write = process.argv.includes('--write');
const started = Date.now();
const prettier = spawnSync(
  process.execPath,
  [
    path.join(repo, 'node_modules/prettier/bin/prettier.cjs'),
    write ? '--write' : '--check',
    '--log-level',
    'warn',
    ...files,
  ],
  {
    cwd: repo,
    stdio: 'inherit',
  },
);
if (prettier.status !== 0) {
  console.error(
    `check-format: the files above are not as Prettier prints them; \`node tools/scripts/check-format.mjs --write\` fixes them`,
  );
  process.exit(prettier.status ?? 1);
}
console.log(
  `check-format: ${files.length} files as Prettier prints them (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
