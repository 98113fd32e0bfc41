import { logger } from '@nx/devkit';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import syncExecutor from '../src/nx/executors/sync/sync-executor';
import { flushTree } from '../src/nx/flush-tree';
import { initGenerator } from '../src/nx/generators/init/init-generator';
import { modelGenerator } from '../src/nx/generators/model/model-generator';
import { syncGenerator } from '../src/nx/generators/sync/sync-generator';
import { OutputError } from '../src/write/output-error';
import { EXAMPLE_SPEC, WORKSPACE, snapshotDir, tempDir } from './helpers';
import { editSpec, flush, scratchWorkspace, treeOf } from './nx-workspace';

/**
 * Specs and output folders built to hang, exhaust or crash the generator, or to make it write
 * where it must not. Each must end in a clear refusal — a diagnostic naming the file (and pointer)
 * with exit 2, or exit 73 for the output folder — with nothing written or leaked, through the CLI
 * and through the Nx plugin alike. The CLI runs in a child process with a kill timer: a run that
 * hangs fails its test instead of the suite.
 */
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [path.join(WORKSPACE, 'libs/sync-patterns/bin/sync-patterns.js'), ...args],
      { env: { ...process.env, SYNC_PATTERNS_NO_CACHE: '1' }, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr,
          killed: error?.killed === true,
        }),
    ),
  );
}

/** A one-model spec whose `Thing` has these extra (required) properties. */
function specOf(properties: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'hostile', version: '1' },
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          'x-sync': 'push',
          required: ['id', ...Object.keys(properties)],
          properties: { id: { type: 'string' }, ...properties },
        },
      },
    },
  };
}

/** `text` as the spec of a new folder; `out` beside it is not there yet. */
function specFile(name: string, text: string): { dir: string; spec: string; out: string } {
  const dir = tempDir('sp-hostile-');
  const spec = path.join(dir, name);
  writeFileSync(spec, text);
  return { dir, spec, out: path.join(dir, 'out') };
}

/** A JSON spec whose `Thing.n` is `inner` wrapped `depth` times in `open` … `close` (written as text: too deep for JSON.stringify). */
function nestedSpec(depth: number, open: string, close: string, inner = '{"type":"string"}'): string {
  return JSON.stringify(specOf({ n: 'NESTED' })).replace('"NESTED"', open.repeat(depth) + inner + close.repeat(depth));
}

/** An alias bomb: nine levels of nine aliases each, 9⁹ strings once expanded. */
function aliasBomb(): string {
  let yaml =
    'openapi: 3.1.0\ninfo: { title: bomb, version: "1" }\npaths: {}\nx-lol:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < 10; i++)
    yaml += `  a${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return yaml;
}

describe('a spec pattern never runs unbounded', () => {
  it("generates in spite of patterns JavaScript's engine would run for minutes, on examples and on candidate values", async () => {
    const { spec, out } = specFile(
      'openapi.json',
      JSON.stringify(
        specOf({
          // the example matches up to its last character: 2^32 ways to split the a's before failing
          code: { type: 'string', pattern: '^(a+)+$', example: `${'a'.repeat(32)}!` },
          // no example: the sampler's own candidates (a uuid) do the same
          serial: { type: 'string', pattern: '^([\\d-]+)+x$' },
        }),
      ),
    );
    const run = await cli('generate', '--spec', spec, '--out', out);
    expect(run.killed).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // the example was not checked by a guess: fake rows do not offer it
    expect(readFileSync(path.join(out, 'core/src/lib/fakes.ts'), 'utf8')).not.toContain('aaaa!');
  });

  it('warns, naming the pointer, where the generator cannot check values against a pattern, and vouches for none', async () => {
    const { spec, out } = specFile(
      'openapi.json',
      JSON.stringify(specOf({ twice: { type: 'string', pattern: '^(a+)+\\1$', example: `${'a'.repeat(32)}!` } })),
    );
    const run = await cli('generate', '--spec', spec, '--out', out, '--json');
    expect(run.killed).toBe(false);
    expect(run.status).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      warnings: { file: string; pointer: string; message: string; code: string }[];
    };
    expect(answer.warnings).toContainEqual(
      expect.objectContaining({
        file: spec,
        pointer: '#/components/schemas/Thing/properties/twice/pattern',
        code: 'pattern/unchecked',
        message: expect.stringMatching(/backreference/),
      }),
    );
    // no generated test asserts on a value nobody checked
    expect(readFileSync(path.join(out, 'core/src/lib/fakes.ts'), 'utf8')).not.toContain('aaaa!');
  });
});

describe('input problems are diagnostics (exit 2), never internal errors', () => {
  it('refuses a YAML alias bomb in the main spec file, naming it', async () => {
    const { spec, out } = specFile('openapi.yaml', aliasBomb());
    const run = await cli('generate', '--spec', spec, '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`error: ${spec}: its YAML aliases expand to more than 10000 copies`);
    expect(run.stderr).toMatch(/fix: write the repeated parts out/);
    expect(existsSync(out)).toBe(false);
    // validate reads it the same way
    expect((await cli('validate', '--spec', spec)).status).toBe(2);
  });

  it('shows control characters of the spec escaped: no escape sequence reaches the terminal', async () => {
    // a schema named with an escape sequence that clears the screen, and a mistake in it to report
    const spec = specOf({});
    const schemas = (spec['components'] as { schemas: Record<string, Record<string, unknown>> }).schemas;
    schemas['Thing\u001b[2J\u001b[31m'] = {
      type: 'object',
      'x-sync': 'sometimes',
      properties: { id: { type: 'string' } },
    };
    const { spec: file } = specFile('openapi.json', JSON.stringify(spec));
    const run = await cli('validate', '--spec', file);
    expect(run.status).toBe(2);
    const output = run.stdout + run.stderr;
    expect(output).not.toContain('\u001b');
    expect(output).toContain('#/components/schemas/Thing\\u001b[2J\\u001b[31m/x-sync');
  });

  it.each([
    [
      'JSON arrays (10,000 levels)',
      'openapi.json',
      () =>
        `{"openapi":"3.1.0","info":{"title":"d","version":"1"},"paths":{},"x-deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      '#/x-deep/0/0/0/',
    ],
    [
      'JSON objects (10,000 levels)',
      'openapi.json',
      () =>
        `{"openapi":"3.1.0","info":{"title":"d","version":"1"},"paths":{},"x-deep":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
      '#/x-deep/a/a/a/',
    ],
    [
      'YAML flow sequences (10,000 levels)',
      'openapi.yaml',
      () =>
        `openapi: 3.1.0\ninfo: { title: d, version: "1" }\npaths: {}\nx-deep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      '',
    ],
    [
      'YAML maps (300 levels: within what the parser takes)',
      'openapi.yaml',
      () =>
        `openapi: 3.1.0\ninfo: { title: d, version: "1" }\npaths: {}\nx-deep: ${'{a: '.repeat(300)}1${'}'.repeat(300)}\n`,
      '#/x-deep/a/a/a/',
    ],
    [
      'schemas in properties (3,000 levels)',
      'openapi.json',
      () => nestedSpec(3000, '{"type":"object","required":["n"],"properties":{"n":', '}}'),
      '#/components/schemas/Thing/properties/n/properties/n/',
    ],
  ])('refuses %s nested past 256 levels, with the pointer where it goes too deep', async (_, name, text, pointer) => {
    const { spec, out } = specFile(name, text());
    const run = await cli('generate', '--spec', spec, '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`error: ${spec}${pointer ? ` ${pointer}` : ':'}`);
    expect(run.stderr).toMatch(/nested more than 256 levels deep/);
    expect(run.stderr).toMatch(/fix: name the nested schemas under components\/schemas/);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a referenced file nested too deeply, at the $ref', async () => {
    const { dir, spec, out } = specFile(
      'openapi.yaml',
      stringify(specOf({ n: { $ref: './deep.yaml' }, m: { $ref: './deep.json' } })),
    );
    writeFileSync(path.join(dir, 'deep.yaml'), `${'{a: '.repeat(300)}1${'}'.repeat(300)}\n`);
    writeFileSync(path.join(dir, 'deep.json'), `${'{"a": '.repeat(10_000)}1${'}'.repeat(10_000)}\n`);
    const run = await cli('generate', '--spec', spec, '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /#\/components\/schemas\/Thing\/properties\/n: .*deep\.yaml is nested more than 256 levels deep \(at #\/a\/a\/a/,
    );
    expect(run.stderr).toMatch(/#\/components\/schemas\/Thing\/properties\/m: .*deep\.json/);
    expect(run.stderr.match(/fix: name the nested schemas/g)).toHaveLength(2);
    expect(existsSync(out)).toBe(false);
  });

  it('generates along $ref chains thousands long, and reports those it cannot follow instead of crashing', async () => {
    const chain = (length: number, keyword: 'properties' | 'allOf') => {
      const document = specOf({ n: { $ref: '#/components/schemas/S0' } }) as {
        components: { schemas: Record<string, unknown> };
      };
      for (let i = 0; i < length; i++) {
        const next = i < length - 1 ? { $ref: `#/components/schemas/S${i + 1}` } : { type: 'string' };
        document.components.schemas[`S${i}`] =
          keyword === 'properties'
            ? { type: 'object', required: ['n'], properties: { n: next } }
            : { type: 'object', properties: { [`p${i}`]: { type: 'string' } }, allOf: [next] };
      }
      return JSON.stringify(document);
    };
    const long = specFile('openapi.json', chain(5000, 'properties'));
    const generated = await cli('generate', '--spec', long.spec, '--out', long.out);
    expect(generated.stderr).toBe('');
    expect(generated.status).toBe(0);

    const inherited = specFile('openapi.json', chain(5000, 'allOf'));
    const refused = await cli('generate', '--spec', inherited.spec, '--out', inherited.out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`error: ${inherited.spec}: the generator ran out of stack on this spec`);
    expect(refused.stderr).not.toMatch(/internal error/);
    expect(existsSync(inherited.out)).toBe(false);
  });
});

describe('a tampered manifest in the output folder', () => {
  const MANIFEST = '.sync-patterns/manifest.json';

  it.each([
    [
      'a hash that is not a string',
      (m: Manifest) => void (m.files['todo/src/index.ts'] = 42 as never),
      /#\/files\/todo~1src~1index\.ts: the hash of "todo\/src\/index\.ts" is not a string/,
    ],
    [
      'a path with ..',
      (m: Manifest) => void (m.files['../victim.txt'] = 'x'),
      /#\/files\/\.\.~1victim\.txt: "\.\.\/victim\.txt" is not a plain path inside the output folder/,
    ],
    ['an absolute path', (m: Manifest, victim: string) => void (m.files[victim] = 'x'), /is not a relative path/],
    [
      'files that are not a map',
      (m: Manifest) => void (m.files = null as never),
      /#\/files: not an object of paths and hashes/,
    ],
    ['garbage', () => '{ "version": 1, "files": {', /manifest\.json: not valid JSON/],
    [
      'a folder named as a file',
      (m: Manifest) => void (m.files['todo'] = 'x'),
      /out\/todo is not a file, where sync-patterns expects one it wrote/,
    ],
  ])(
    'is refused (%s) without touching a file, in --out or outside it, even with --force --prune',
    async (_, tamper, message) => {
      const dir = tempDir('sp-manifest-');
      const out = path.join(dir, 'out');
      const victim = path.join(dir, 'victim.txt');
      writeFileSync(victim, 'keep me\n');
      expect((await cli('generate', '--spec', EXAMPLE_SPEC, '--out', out)).status).toBe(0);
      const file = path.join(out, MANIFEST);
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      const text = tamper(manifest, victim);
      writeFileSync(file, typeof text === 'string' ? text : JSON.stringify(manifest));
      const before = snapshotDir(out);

      const run = await cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--force', '--prune');
      expect(run.status).toBe(73);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/internal error/);
      expect(snapshotDir(out)).toEqual(before);
      expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
      // check refuses it the same way
      expect((await cli('check', '--spec', EXAMPLE_SPEC, '--out', out)).status).toBe(73);
    },
  );
});

type Manifest = { version: 1; files: Record<string, string> };

describe('the Nx plugin, on the same inputs', () => {
  const LIBS = 'libs/api-client';
  const context = (root: string) =>
    ({ root, cwd: root, isVerbose: false, projectName: 'api', targetName: 'sync' }) as never;
  let messages: string[];
  beforeEach(() => {
    messages = [];
    for (const level of ['info', 'warn', 'error'] as const)
      jest
        .spyOn(logger, level)
        .mockImplementation((...args: unknown[]) => void messages.push(args.map(String).join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  async function withModels(): Promise<string> {
    const root = scratchWorkspace();
    const tree = treeOf(root);
    await initGenerator(tree, { project: 'api', spec: 'apps/api/openapi.yaml', skipInstall: true, skipFormat: true });
    await modelGenerator(tree, { project: 'api', all: true });
    await flush(tree);
    return root;
  }

  it('reports hostile specs as spec problems, naming the file, and writes nothing', async () => {
    const root = await withModels();
    const before = snapshotDir(path.join(root, LIBS));
    const spec = path.join(root, 'apps/api/openapi.yaml');
    for (const [text, problem] of [
      [aliasBomb(), /apps\/api\/openapi\.yaml: its YAML aliases expand to more than 10000 copies/],
      [
        nestedSpec(3000, '{"type":"array","items":', '}'),
        /apps\/api\/openapi\.yaml #\/components\/schemas\/Thing\/properties\/n\/items\/items\/.*nested more than 256 levels deep/s,
      ],
    ] as const) {
      writeFileSync(spec, text);
      messages.length = 0;
      await expect(syncExecutor({}, context(root))).resolves.toEqual({ success: false });
      expect(messages.join('\n')).toMatch(problem);
      expect(messages.join('\n')).toMatch(/fix: /);
    }
    expect(snapshotDir(path.join(root, LIBS))).toEqual(before);
  });

  it('refuses a tampered manifest, naming the entry, and touches nothing outside the workspace', async () => {
    const root = await withModels();
    const victim = path.join(path.dirname(root), `${path.basename(root)}-victim.txt`);
    writeFileSync(victim, 'keep me\n');
    const file = path.join(root, LIBS, '.sync-patterns/manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    manifest.files[path.relative(path.join(root, LIBS), victim)] = 'x';
    writeFileSync(file, JSON.stringify(manifest));
    const before = snapshotDir(path.join(root, LIBS));
    await expect(syncExecutor({ prune: true, force: true }, context(root))).resolves.toEqual({ success: false });
    expect(messages.join('\n')).toMatch(
      /libs\/api-client\/\.sync-patterns\/manifest\.json #\/files\/\.\.~1.*is not a plain path inside the output folder.*restore it from version control/s,
    );
    expect(snapshotDir(path.join(root, LIBS))).toEqual(before);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  });

  it('never writes through a symlink in the workspace: the generators refuse before Nx flushes, and flushTree refuses all of a tree', async () => {
    const root = await withModels();
    const elsewhere = tempDir('sp-elsewhere-');
    // the user library's sources replaced by a link to a folder outside the workspace
    const lib = path.join(root, LIBS, 'user/src/lib');
    renameSync(lib, path.join(elsewhere, 'lib-moved'));
    mkdirSync(path.join(elsewhere, 'target'));
    symlinkSync(path.join(elsewhere, 'target'), lib);
    editSpec(root, (text) =>
      text.replace(
        '      x-sync: push\n      required: [id, email, name, role, created_at]\n      properties:\n',
        '      x-sync: push\n      required: [id, email, name, role, created_at]\n      properties:\n        nickname: { type: string }\n',
      ),
    );

    // `nx sync` (and `nx g`): the generator's tree is refused before Nx would flush it
    const tree = treeOf(root);
    const error = await syncGenerator(tree).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(
      /refusing to follow a symlink inside the workspace: .*libs\/api-client\/user\/src\/lib/,
    );
    expect(readdirSync(path.join(elsewhere, 'target'))).toEqual([]);

    // flushTree itself: one change through the link, one beside it — neither is written
    const direct = treeOf(root);
    direct.write(`${LIBS}/user/src/lib/planted.ts`, 'export {};\n');
    direct.write(`${LIBS}/core/src/lib/beside.ts`, 'export {};\n');
    await expect(flushTree(direct)).rejects.toBeInstanceOf(OutputError);
    expect(readdirSync(path.join(elsewhere, 'target'))).toEqual([]);
    expect(existsSync(path.join(root, LIBS, 'core/src/lib/beside.ts'))).toBe(false);

    // the executor says what to do next
    await expect(syncExecutor({}, context(root))).resolves.toEqual({ success: false });
    expect(messages.join('\n')).toMatch(/symlink .*remove the link/);
    expect(readdirSync(path.join(elsewhere, 'target'))).toEqual([]);
  });
});
