// `node tools/scripts/build-package.mjs libs/<name>`: the publishable package of a library in
// dist/libs/<name> — compiled JavaScript and declarations under src/ (so paths inside the package,
// like generators.json's factories, are the same as in the repository), every non-TypeScript
// asset beside them, README, CHANGELOG and LICENSE, and a package.json whose entry points name the
// compiled files. The library's own package.json is `private` (its entry points are TypeScript
// sources, for this workspace): only this build is publishable. `npm run pack` packs both.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// paths are the repository's, whoever calls (npm runs package scripts in the package's folder)
process.chdir(path.resolve(import.meta.dirname, '../..'));
const lib = process.argv[2];
if (!lib || !existsSync(path.join(lib, 'package.json'))) {
  console.error('usage: node tools/scripts/build-package.mjs libs/<name>');
  process.exit(64);
}
const out = path.join('dist', lib);
rmSync(out, { recursive: true, force: true });

const tsc = spawnSync(
  process.execPath,
  [
    'node_modules/typescript/bin/tsc',
    '-p',
    path.join(lib, 'tsconfig.lib.json'),
    '--outDir',
    path.join(out, 'src'),
    '--rootDir',
    path.join(lib, 'src'),
    '--declaration',
    '--sourceMap',
    'false',
    '--noEmit',
    'false',
  ],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** Templates, schemas and scaffold files travel as they are; tests stay behind. */
function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyAssets(source, target);
    else if (!/\.(ts|tsx)$/.test(entry.name) || entry.name.includes('__tmpl__')) {
      mkdirSync(to, { recursive: true });
      cpSync(source, target);
    }
  }
}
copyAssets(path.join(lib, 'src'), path.join(out, 'src'));
for (const extra of ['generators.json', 'executors.json', 'bin', 'README.md', 'CHANGELOG.md']) {
  if (existsSync(path.join(lib, extra))) cpSync(path.join(lib, extra), path.join(out, extra), { recursive: true });
}
// one license for the repository, in every package
cpSync(existsSync(path.join(lib, 'LICENSE')) ? path.join(lib, 'LICENSE') : 'LICENSE', path.join(out, 'LICENSE'));

/** `./src/live.ts` → the compiled file and its declarations, for every resolver (types first). */
const compiled = (target) =>
  typeof target === 'string' && target.endsWith('.ts')
    ? {
        types: target.replace(/\.ts$/, '.d.ts'),
        require: target.replace(/\.ts$/, '.js'),
        default: target.replace(/\.ts$/, '.js'),
      }
    : target;
const pkg = JSON.parse(readFileSync(path.join(lib, 'package.json'), 'utf8'));
pkg.main = compiled(pkg.main).require;
pkg.types = compiled(pkg.types).types;
if (pkg.exports)
  pkg.exports = Object.fromEntries(Object.entries(pkg.exports).map(([subpath, target]) => [subpath, compiled(target)]));
delete pkg.private;
delete pkg.scripts;
writeFileSync(path.join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
// Subpath entries at the package root (`sync-patterns/plugin` in nx.json, `@sync-patterns/runtime/live`),
// found by every module resolution, old node10 included.
for (const entry of ['plugin', 'live', 'sqlite', 'mock', 'shape-proxy']) {
  if (!existsSync(path.join(lib, 'src', `${entry}.ts`))) continue;
  writeFileSync(path.join(out, `${entry}.js`), `module.exports = require('./src/${entry}');\n`);
  writeFileSync(path.join(out, `${entry}.d.ts`), `export * from './src/${entry}';\n`);
}
// every file the package names must be there
const named = [
  pkg.main,
  pkg.types,
  ...Object.values(pkg.bin ?? {}),
  ...Object.values(pkg.exports ?? {}).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t))),
];
const missing = named.filter((file) => !existsSync(path.join(out, file)));
if (missing.length) {
  console.error(`${pkg.name}: package.json names files the build did not make: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`built ${pkg.name}@${pkg.version} in ${out}`);
