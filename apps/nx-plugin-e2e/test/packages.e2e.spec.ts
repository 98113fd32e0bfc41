import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspace, ok, packedPackages, REPO, write, type Packed } from './workspace';

/**
 * The tarballs `npm run pack` makes, as npm would publish them: exactly the compiled sources and
 * their assets (no tests, no TypeScript sources, no build leftovers), publishable metadata, and
 * every `exports` entry loadable from a project that installed them — by Node (require and import)
 * and by TypeScript's node10, node16 and bundler resolution.
 */
interface PackageJson {
  name: string;
  version: string;
  description?: string;
  keywords?: string[];
  license?: string;
  private?: boolean;
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  files?: string[];
  sideEffects?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  generators?: string;
  executors?: string;
}

const PACKAGES = [
  {
    name: 'sync-patterns',
    lib: 'libs/sync-patterns',
    tarball: (packed: Packed) => packed.plugin,
    top: [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'bin',
      'executors.json',
      'generators.json',
      'package.json',
      'plugin.d.ts',
      'plugin.js',
      'src',
    ],
    exports: ['.', './executors.json', './generators.json', './package.json', './plugin'],
  },
  {
    name: '@sync-patterns/runtime',
    lib: 'libs/runtime',
    tarball: (packed: Packed) => packed.runtime,
    top: [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'live.d.ts',
      'live.js',
      'mock.d.ts',
      'mock.js',
      'package.json',
      'shape-proxy.d.ts',
      'shape-proxy.js',
      'sqlite.d.ts',
      'sqlite.js',
      'src',
    ],
    exports: ['.', './live', './mock', './package.json', './shape-proxy', './sqlite'],
  },
];

let packed: Packed;
let scratch: string | undefined;

beforeAll(() => {
  packed = packedPackages();
});

afterAll(() => {
  for (const dir of unpacked) rmSync(dir, { recursive: true, force: true });
  if (scratch && !process.env['KEEP_E2E_WORKSPACE']) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
});

/** A tarball unpacked into a folder of its own: its file list and a reader of its files. */
function unpack(tarball: string): { files: string[]; read: (file: string) => string } {
  const into = mkdtempSync(path.join(os.tmpdir(), 'sp-unpacked-'));
  unpacked.push(into);
  const files = execFileSync('tar', ['-xvzf', tarball, '-C', into], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
  return { files, read: (file) => readFileSync(path.join(into, 'package', file), 'utf8') };
}
const unpacked: string[] = [];

/** What the build makes of a library's src/: each TypeScript module compiled with its declarations, every other asset as it is, no tests. */
function expectedSources(lib: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(REPO, lib, dir), { withFileTypes: true })) {
      const file = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.spec\.tsx?$/.test(entry.name)) continue;
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('__tmpl__'))
        files.push(file.replace(/\.tsx?$/, '.js'), file.replace(/\.tsx?$/, '.d.ts'));
      else files.push(file);
    }
  };
  walk('src');
  return files;
}

const exportTargets = (pkg: PackageJson) =>
  Object.values(pkg.exports ?? {}).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));

describe.each(PACKAGES)('the $name tarball', ({ name, lib, tarball, top, exports }) => {
  let files: string[];
  let read: (file: string) => string;
  let pkg: PackageJson;

  beforeAll(() => {
    ({ files, read } = unpack(tarball(packed)));
    pkg = JSON.parse(read('package.json')) as PackageJson;
  });

  it('holds exactly the compiled sources, their assets and the package files: no tests, no TypeScript sources, no build leftovers', () => {
    expect([...new Set(files.map((file) => file.split('/')[0]))].sort()).toEqual(top);
    const sources = files.filter((file) => file.startsWith('src/'));
    expect(sources).toEqual(expectedSources(lib).sort());
    expect(
      files.filter(
        (file) =>
          /\.spec\.|\.test\.|tsbuildinfo|\.map$|(^|\/)(test|__fixtures__|node_modules)\//.test(file) ||
          (/\.tsx?$/.test(file) && !file.endsWith('.d.ts')),
      ),
    ).toEqual([]);
  });

  it('has publishable metadata', () => {
    const source = JSON.parse(readFileSync(path.join(REPO, lib, 'package.json'), 'utf8')) as PackageJson;
    expect(pkg).toMatchObject({ name, version: source.version, license: 'MIT', engines: { node: '>=20' } });
    expect(pkg.description).toMatch(/\w{10}/);
    expect(pkg.keywords?.length).toBeGreaterThan(3);
    for (const field of ['private', 'scripts', 'devDependencies'] as const) expect(pkg[field]).toBeUndefined();
    // no made-up repository, homepage or contact: the project has no public address yet
    expect(JSON.stringify(pkg)).not.toMatch(/example\.(com|org)|your-|TODO|<[a-z-]+>/i);
    // both packages are released together
    expect(pkg.version).toBe(
      JSON.parse(execFileSync('tar', ['-xzOf', packed.runtime, 'package/package.json'], { encoding: 'utf8' })).version,
    );
    expect(read('CHANGELOG.md')).toContain(`## [${pkg.version}]`);
    expect(read('LICENSE')).toContain('MIT License');
    expect(read('README.md')).toContain(`# ${name}`);
  });

  it('names only files it holds: main, types, bin, every exports target, generators and executors', () => {
    expect(Object.keys(pkg.exports ?? {}).sort()).toEqual(exports);
    for (const target of Object.values(pkg.exports ?? {})) {
      if (typeof target === 'object') expect(Object.keys(target)).toEqual(['types', 'require', 'default']);
    }
    const named = [pkg.main, pkg.types, ...Object.values(pkg.bin ?? {}), ...exportTargets(pkg)].map((file) =>
      file!.replace(/^\.\//, ''),
    );
    expect(named.filter((file) => !files.includes(file))).toEqual([]);
    for (const bin of Object.values(pkg.bin ?? {}))
      expect(read(bin.replace(/^\.\//, ''))).toMatch(/^#!\/usr\/bin\/env node\n/);
    for (const [list, key] of [
      [pkg.generators, 'generators'],
      [pkg.executors, 'executors'],
    ] as const) {
      if (!list) continue;
      const entries = Object.values(
        JSON.parse(read(list.replace(/^\.\//, '')))[key] as Record<
          string,
          { factory?: string; implementation?: string; schema: string }
        >,
      );
      for (const entry of entries) {
        expect(files).toContain(path.posix.normalize(entry.schema));
        expect(files).toContain(`${path.posix.normalize((entry.factory ?? entry.implementation)!)}.js`);
      }
    }
    if (name === '@sync-patterns/runtime') expect(pkg.sideEffects).toBe(false);
  });

  it('depends on every package its compiled code requires', () => {
    const required = new Set<string>();
    for (const file of files.filter((file) => file.endsWith('.js'))) {
      for (const [, specifier] of read(file).matchAll(/require\(['"]([^'"./][^'"]*)['"]\)/g)) {
        const bare = specifier!.replace(/^node:/, '');
        if (builtinModules.includes(bare) || builtinModules.includes(bare.split('/')[0]!)) continue;
        required.add(
          specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!,
        );
      }
    }
    // the package itself (its own package.json), and the bin's fallback for running from the
    // repository's TypeScript sources, never taken where the compiled CLI is (as in the package)
    const declared = [
      pkg.name,
      ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }),
      ...(pkg.bin ? ['@swc-node/register'] : []),
    ];
    expect([...required].filter((dependency) => !declared.includes(dependency))).toEqual([]);
  });
});

describe('the packed packages installed in a project of their own', () => {
  beforeAll(() => {
    scratch = createWorkspace('sp-packages-', {
      '.gitignore': 'node_modules\n',
      'package.json': JSON.stringify(
        {
          name: 'scratch',
          version: '0.0.0',
          private: true,
          dependencies: {
            'sync-patterns': `file:${packed.plugin}`,
            '@sync-patterns/runtime': `file:${packed.runtime}`,
            // the runtime's optional peers, for its live and mock entries
            '@tanstack/react-db': '0.5.11',
            '@tanstack/electric-db-collection': '0.4.10',
            '@electric-sql/client': '1.5.28',
            msw: '2.15.0',
            typescript: '5.9.3',
            '@types/react': '19.3.0',
          },
          overrides: { '@tanstack/db': '0.15.2' },
        },
        null,
        2,
      ),
    });
  });

  const node = (...args: string[]) => ok(scratch!, process.execPath, args).trim();

  it('requires every exports entry, and the runtime main entry loads none of the optional peers', () => {
    const loaded = JSON.parse(
      node(
        '-e',
        `const loaded = {};
        for (const name of ['sync-patterns', '@sync-patterns/runtime']) {
          for (const subpath of Object.keys(require(name + '/package.json').exports)) {
            const specifier = subpath === '.' ? name : name + subpath.slice(1);
            loaded[specifier] = Object.keys(require(specifier)).length;
          }
        }
        console.log(JSON.stringify(loaded));`,
      ),
    ) as Record<string, number>;
    expect(Object.keys(loaded).sort()).toEqual(
      PACKAGES.flatMap(({ name, exports }) =>
        exports.map((subpath) => (subpath === '.' ? name : name + subpath.slice(1))),
      ).sort(),
    );
    for (const [specifier, count] of Object.entries(loaded)) expect([specifier, count > 0]).toEqual([specifier, true]);
    expect(
      node(
        '-e',
        `require('sync-patterns/plugin').createNodesV2[0] === '**/sync-patterns.json' || process.exit(1); console.log('ok')`,
      ),
    ).toBe('ok');
    const optional = node(
      '-e',
      `require('@sync-patterns/runtime'); process.stdout.write(Object.keys(require.cache).filter((f) => /node_modules\\/(@tanstack\\/(react-db|db|electric-db-collection)|@electric-sql|msw)\\//.test(f)).join(' '))`,
    );
    expect(optional).toBe('');
    // only the entries are public
    expect(
      node(
        '-e',
        `try { require('@sync-patterns/runtime/src/lib/client/sync-error'); } catch (e) { console.log(e.code); }`,
      ),
    ).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('imports the entries from ES modules by name', () => {
    write(
      scratch!,
      'check.mjs',
      `import { createSyncClient, SyncError } from '@sync-patterns/runtime';
import { useLiveRows, createFakeShape } from '@sync-patterns/runtime/live';
import { migrate, betterSqlite3Driver } from '@sync-patterns/runtime/sqlite';
import { mockResource } from '@sync-patterns/runtime/mock';
import { generate, loadSpec } from 'sync-patterns';
import { createNodesV2 } from 'sync-patterns/plugin';
console.log([createSyncClient, SyncError, useLiveRows, createFakeShape, migrate, betterSqlite3Driver, mockResource, generate, loadSpec, createNodesV2].map((value) => typeof value).join(' '));
`,
    );
    expect(node('check.mjs')).toBe(
      'function function function function function function function function function object',
    );
  });

  it.each([
    ['node10', ['--module', 'commonjs', '--moduleResolution', 'node10']],
    ['node16', ['--module', 'node16', '--moduleResolution', 'node16']],
    ['bundler', ['--module', 'preserve', '--moduleResolution', 'bundler']],
  ])('type-checks imports of every entry under %s resolution', (_resolution, flags) => {
    write(
      scratch!,
      'check.ts',
      `import { createSyncClient, type SyncError } from '@sync-patterns/runtime';
import { useLiveRows } from '@sync-patterns/runtime/live';
import { migrate, type SqliteDriver } from '@sync-patterns/runtime/sqlite';
import { mockResource } from '@sync-patterns/runtime/mock';
import { generate, type GenerateOptions } from 'sync-patterns';
import { createNodesV2, type SyncPluginOptions } from 'sync-patterns/plugin';
export const entries = [createSyncClient, useLiveRows, migrate, mockResource, generate, createNodesV2] as const;
export type Used = [SyncError, SqliteDriver, GenerateOptions, SyncPluginOptions];
`,
    );
    ok(scratch!, process.execPath, [
      'node_modules/typescript/bin/tsc',
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--lib',
      'es2022,dom',
      ...flags,
      'check.ts',
    ]);
  });
});
