// `node tools/scripts/check-cycles.mjs [lib …]`: no import circles in the libraries' sources. Each
// library's src/ is read with madge, path aliases resolved through tsconfig.base.json, and every
// kind of import counts: `import type`, re-exports, `import()` and `require()` (a lazy require only
// hides a circle). With no argument every library is checked (libs/*/src and the generated
// libs/*/*/src); a lib is named by its folder (`runtime`, `example-api-client/todo`) or its path.
// Exits 1 listing each circle (or a relative import that leads to no file), 2 on a lib that does
// not exist. `npm test` runs it after typecheck.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
process.chdir(repo);
const madge = createRequire(import.meta.url)('madge');

const isDir = (dir) => existsSync(dir) && statSync(dir).isDirectory();
const childDirs = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(dir, entry.name));

/** The src/ folder of every library: libs/<name>/src, and libs/<group>/<name>/src (the generated example clients). */
function allLibraries() {
  return childDirs('libs')
    .flatMap((lib) =>
      isDir(path.join(lib, 'src')) ? [lib] : childDirs(lib).filter((nested) => isDir(path.join(nested, 'src'))),
    )
    .map((lib) => path.join(lib, 'src'))
    .sort();
}

/** `runtime`, `libs/runtime` or `libs/runtime/src` → libs/runtime/src. */
function sourcesOf(name) {
  const candidates = [name, path.join('libs', name)].flatMap((dir) => [path.join(dir, 'src'), dir]);
  const found = candidates.find((dir) => path.basename(dir) === 'src' && isDir(dir));
  if (!found) {
    console.error(
      `check-cycles: no library "${name}" (looked for ${candidates.filter((dir) => path.basename(dir) === 'src').join(', ')})`,
    );
    process.exit(2);
  }
  return path.relative(repo, path.resolve(found));
}

const sources = process.argv.length > 2 ? process.argv.slice(2).map(sourcesOf) : allLibraries();
const every = { skipTypeImports: false, skipAsyncImports: false, mixedImports: true };
let circles = 0;
let unresolved = 0;
for (const src of sources) {
  const started = Date.now();
  const result = await madge(src, {
    baseDir: src,
    fileExtensions: ['ts', 'tsx'],
    tsConfig: 'tsconfig.base.json',
    detectiveOptions: { ts: every, tsx: every, es6: every },
  });
  // files reached through an alias in another library show as ../…: a circle through them counts too
  const found = result.circular();
  const { skipped } = result.warnings();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (found.length === 0) {
    console.log(`check-cycles ${src}: ok, ${Object.keys(result.obj()).length} files (${seconds} s)`);
  } else {
    circles += found.length;
    console.error(
      `check-cycles ${src}: FAILED, ${found.length} import circle${found.length === 1 ? '' : 's'} (paths under ${src}):`,
    );
    for (const circle of found) console.error(`  ${[...circle, circle[0]].join(' → ')}`);
  }
  // a relative import that resolves to no file is a broken module (a require() after a move, say)
  const broken = skipped.filter((spec) => spec.startsWith('.'));
  unresolved += broken.length;
  if (broken.length)
    console.error(`check-cycles ${src}: FAILED, relative imports that lead to no file: ${broken.join(', ')}`);
  const other = skipped.filter((spec) => !spec.startsWith('.'));
  if (other.length) console.error(`  (imports that could not be resolved, so not followed: ${other.join(', ')})`);
}
if (unresolved) {
  console.error(
    `\n${unresolved} relative import${unresolved === 1 ? '' : 's'} lead to no file: fix the path (tsc does not check require() paths).`,
  );
  process.exit(1);
}
if (circles) {
  console.error(
    `\n${circles} import circle${circles === 1 ? '' : 's'}. Break each by moving what both sides need (a type, a small function) into a module of its own that both import; a lazy require() or import() does not break it (both count here).`,
  );
  process.exit(1);
}
