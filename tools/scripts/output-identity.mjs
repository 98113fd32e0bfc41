// `node tools/scripts/output-identity.mjs [ref] [spec …]`: does this checkout generate the same bytes
// as `ref` (default HEAD)? Generates every spec with both — the example API's (its own x-sync), and
// every document under ../shared/specs with --all-models (or the specs named) — and compares the output folders file by file (the
// manifest's generator fingerprint aside: it hashes the generator's own files), and the exit codes
// and messages of specs that do not generate. For refactors that must not change what users get. Both
// generate in the compact output style (SYNC_PATTERNS_OUTPUT_STYLE=compact: the layout from before
// generated code was formatted), so a ref from before the formatting compares too.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const [ref = 'HEAD', ...named] = process.argv.slice(2);
const specs = named.length
  ? named.map((s) => path.resolve(s))
  : [path.join(repo, 'apps/example-api/openapi.yaml'), ...documents(path.resolve(repo, '../shared/specs'))];

function documents(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? documents(path.join(dir, entry.name))
        : /\.(json|ya?ml)$/.test(entry.name)
          ? [path.join(dir, entry.name)]
          : [],
    )
    .sort();
}

function files(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, base) : [path.relative(base, full)];
  });
}

/** A file's bytes, the manifest without its generator fingerprint. */
function bytes(file) {
  const text = readFileSync(file, 'utf8');
  return file.endsWith(path.join('.sync-patterns', 'manifest.json'))
    ? text.replace(/"fingerprint": "[0-9a-f]+"/g, '"fingerprint": "…"')
    : text;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'sp-identity-'));
const before = path.join(work, 'before');
execFileSync('git', ['-C', repo, 'worktree', 'add', '--detach', '-q', before, ref]);
symlinkSync(path.join(repo, 'node_modules'), path.join(before, 'node_modules'));
let differing = 0;
try {
  for (const [index, spec] of specs.entries()) {
    const every = spec.includes(`${path.sep}example-api${path.sep}`) ? [] : ['--all-models'];
    const run = (root, out) =>
      spawnSync(
        process.execPath,
        [
          path.join(root, 'libs/sync-patterns/bin/sync-patterns.js'),
          'generate',
          '--spec',
          spec,
          '--out',
          out,
          '--quiet',
          ...every,
        ],
        {
          encoding: 'utf8',
          // compact: the layout before generated code was formatted (typescript/output-style.ts), so any ref compares
          env: { ...process.env, SYNC_PATTERNS_NO_CACHE: '1', SYNC_PATTERNS_OUTPUT_STYLE: 'compact' },
        },
      );
    const [a, b] = [path.join(work, `a${index}`), path.join(work, `b${index}`)];
    const [ra, rb] = [run(before, a), run(repo, b)];
    const problems = [];
    if (ra.status !== rb.status) problems.push(`exit ${ra.status} → ${rb.status}`);
    if (ra.stderr.replaceAll(a, 'OUT') !== rb.stderr.replaceAll(b, 'OUT')) problems.push('messages differ');
    const [fa, fb] = [files(a).sort(), files(b).sort()];
    for (const file of new Set([...fa, ...fb])) {
      if (!fa.includes(file)) problems.push(`new file ${file}`);
      else if (!fb.includes(file)) problems.push(`file gone ${file}`);
      else if (bytes(path.join(a, file)) !== bytes(path.join(b, file))) problems.push(`differs ${file}`);
    }
    const label = path.relative(repo, spec);
    if (problems.length) {
      differing++;
      console.log(
        `✗ ${label}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
      );
    } else console.log(`✓ ${label} (${fb.length} files${rb.status ? `, exit ${rb.status}` : ''})`);
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
} finally {
  execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', before]);
  rmSync(work, { recursive: true, force: true });
}
console.log(
  differing
    ? `\n${differing} of ${specs.length} specs generate differently from ${ref}.`
    : `\nAll ${specs.length} specs generate the same bytes as ${ref}.`,
);
process.exit(differing ? 1 : 0);
