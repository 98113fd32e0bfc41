import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { main, EXIT } from '../src/cli/main';
import { generate } from '../src/pipeline';
import { buildModel } from '../src/model/build-model';
import { SpecError } from '../src/openapi/diagnostics';
import { loadSpec, parseSpec } from '../src/openapi/load-spec';
import { EXAMPLE_SPEC, tempDir } from './helpers';

const base = {
  openapi: '3.1.0',
  info: { title: 'T', version: '1' },
  paths: {
    '/todos': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'array',
                  items: { $ref: '#/components/schemas/Todo' },
                },
              },
            },
          },
        },
      },
    },
  },
};

async function diagnosticsOf(todo: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const spec = await parseSpec(
    JSON.stringify({
      ...base,
      ...extra,
      components: {
        schemas: {
          Todo: {
            type: 'object',
            properties: { id: { type: 'string' }, title: { type: 'string' } },
            ...todo,
          },
        },
      },
    }),
    'api.json',
  );
  return buildModel(spec).diagnostics.filter((d) => d.severity === 'error');
}

describe('x-sync validation', () => {
  it.each([
    [{ 'x-sync': 'realtime' }, '#/components/schemas/Todo/x-sync', 'unknown sync mode "realtime"'],
    [
      { 'x-sync': { mode: 'push', key: 'uuid' } },
      '#/components/schemas/Todo/x-sync/key',
      'key "uuid" is not a property of Todo',
    ],
    [{ 'x-sync': { exclude: ['notes'] } }, '#/components/schemas/Todo/x-sync/exclude/0', 'exclude names "notes"'],
    [
      { 'x-sync': { exclude: ['id'] } },
      '#/components/schemas/Todo/x-sync/exclude/0',
      'the key "id" cannot be excluded',
    ],
    [
      { 'x-sync': { mode: 'push', colour: 'red' } },
      '#/components/schemas/Todo/x-sync/colour',
      'unknown x-sync option "colour"',
    ],
    [
      { 'x-sync': { retry: { attempts: 0 } } },
      '#/components/schemas/Todo/x-sync/retry/attempts',
      'attempts must be a whole number',
    ],
    [{ 'x-sync': { ttl: 60 } }, '#/components/schemas/Todo/x-sync/ttl', 'ttl applies to cache mode only'],
    [{ 'x-sync': { mode: 'cache', ttl: -5 } }, '#/components/schemas/Todo/x-sync/ttl', 'ttl must be a positive number'],
    [
      { 'x-sync': { mode: 'cache', ttl: '1m' } },
      '#/components/schemas/Todo/x-sync/ttl',
      'ttl must be a positive number',
    ],
    [
      { 'x-sync': { mode: 'cache', invalidatedBy: ['Nope'] } },
      '#/components/schemas/Todo/x-sync/invalidatedBy/0',
      'invalidatedBy names "Nope", which is not an x-sync model',
    ],
    [
      { 'x-sync': { mode: 'cache', invalidatedBy: 'Todo' } },
      '#/components/schemas/Todo/x-sync/invalidatedBy',
      'invalidatedBy must be a list',
    ],
    [
      { 'x-sync': { mode: 'live', invalidatedBy: ['Todo'] } },
      '#/components/schemas/Todo/x-sync/invalidatedBy',
      'invalidatedBy applies to cache mode only',
    ],
    [
      { 'x-sync': { mode: 'live', table: 'sqlite_master' } },
      '#/components/schemas/Todo/x-sync/table',
      'cannot be a local SQLite table',
    ],
    [
      { 'x-sync': { mode: 'live', table: 'sync_patterns_outbox' } },
      '#/components/schemas/Todo/x-sync/table',
      'cannot be a local SQLite table',
    ],
  ])('%j → an error at its pointer', async (todo, pointer, message) => {
    const errors = await diagnosticsOf(todo);
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'api.json',
        pointer,
        message: expect.stringContaining(message),
        hint: expect.any(String),
      }),
    ]);
  });

  it.each([
    // the case: a bad key hid a bad exclude of the same model until the next run
    [
      { 'x-sync': { key: 'uuid', exclude: ['notes'] } },
      ['#/components/schemas/Todo/x-sync/key', '#/components/schemas/Todo/x-sync/exclude/0'],
    ],
    [
      { 'x-sync': { key: 'uuid', exclude: ['uuid'] } },
      [
        '#/components/schemas/Todo/x-sync/key',
        '#/components/schemas/Todo/x-sync/exclude/0',
        '#/components/schemas/Todo/x-sync/exclude/0',
      ],
    ],
    [
      { 'x-sync': { mode: 'realtime', retry: { attempts: 0 }, colour: 'red' } },
      [
        '#/components/schemas/Todo/x-sync/colour',
        '#/components/schemas/Todo/x-sync/mode',
        '#/components/schemas/Todo/x-sync/retry/attempts',
      ],
    ],
    [
      { 'x-sync': { key: 7, mode: 'cache', ttl: 0, invalidatedBy: 'Todo' } },
      [
        '#/components/schemas/Todo/x-sync/key',
        '#/components/schemas/Todo/x-sync/ttl',
        '#/components/schemas/Todo/x-sync/invalidatedBy',
      ],
    ],
    // an unknown mode is one error: what depends on the mode is checked for its form only
    [{ 'x-sync': { mode: 'cahce', ttl: 60, invalidatedBy: ['Todo'] } }, ['#/components/schemas/Todo/x-sync/mode']],
    [
      { 'x-sync': { mode: 'cahce', ttl: '1m' } },
      ['#/components/schemas/Todo/x-sync/mode', '#/components/schemas/Todo/x-sync/ttl'],
    ],
    // not an object schema: its options are still checked
    [
      { type: 'string', properties: undefined, 'x-sync': { colour: 'red' } },
      ['#/components/schemas/Todo/x-sync/colour', '#/components/schemas/Todo'],
    ],
  ])('%j → every error of the model in one run', async (todo, pointers) => {
    expect((await diagnosticsOf(todo)).map((d) => d.pointer)).toEqual(pointers);
  });

  it('reports a bad x-sync-defaults option once, where it is written', async () => {
    const spec = await parseSpec(
      JSON.stringify({
        ...base,
        'x-sync-defaults': { conflict: 'loudest-wins', retry: { backoff: 'sideways' } },
        paths: {
          ...base.paths,
          '/notes': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Note' } } },
                  },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            Todo: { type: 'object', 'x-sync': 'push', properties: { id: { type: 'string' } } },
            Note: { type: 'object', 'x-sync': 'push', properties: { id: { type: 'string' } } },
          },
        },
      }),
      'api.json',
    );
    const api = buildModel(spec);
    expect(api.diagnostics.map((d) => [d.pointer, d.message])).toEqual([
      ['#/x-sync-defaults/conflict', 'unknown conflict policy "loudest-wins"'],
      ['#/x-sync-defaults/retry/backoff', 'unknown backoff "sideways"'],
    ]);
    expect(api.models).toEqual([]);
  });

  it('does not blame a cache model for naming a model that has errors of its own', async () => {
    const spec = await parseSpec(
      JSON.stringify({
        ...base,
        paths: {
          ...base.paths,
          '/stats': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Stat' } } },
                  },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            Todo: { type: 'object', 'x-sync': { key: 'uuid' }, properties: { id: { type: 'string' } } },
            Stat: {
              type: 'object',
              'x-sync': { mode: 'cache', invalidatedBy: ['Todo', 'Nope'] },
              properties: { id: { type: 'string' } },
            },
          },
        },
      }),
      'api.json',
    );
    expect(buildModel(spec).diagnostics.map((d) => d.pointer)).toEqual([
      '#/components/schemas/Todo/x-sync/key',
      '#/components/schemas/Stat/x-sync/invalidatedBy/1',
    ]);
  });

  it('refuses cache mode on a model that is written, naming its write operations', async () => {
    const errors = await diagnosticsOf(
      { 'x-sync': { mode: 'cache' } },
      {
        paths: {
          '/todos': {
            ...base.paths['/todos'],
            post: {
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Todo' } } } },
              responses: {
                '201': {
                  description: 'ok',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/Todo' } } },
                },
              },
            },
          },
        },
      },
    );
    expect(errors).toEqual([
      expect.objectContaining({
        pointer: '#/components/schemas/Todo/x-sync/mode',
        message: expect.stringContaining(
          'cache mode is for read-only results, but Todo has write operations: POST /todos (create)',
        ),
      }),
    ]);
  });

  it('names an x-sync-model that does not exist', async () => {
    const errors = await diagnosticsOf(
      { 'x-sync': 'push' },
      {
        paths: {
          ...base.paths,
          '/x': {
            post: {
              'x-sync-model': 'Todos',
              'x-sync-op': 'create',
              responses: { '204': { description: 'ok' } },
            },
          },
        },
      },
    );
    expect(errors[0]).toMatchObject({
      pointer: '#/paths/~1x/post/x-sync-model',
      message: expect.stringContaining('"Todos"'),
    });
  });

  it('says when no operation reads a model', async () => {
    const spec = await parseSpec(
      JSON.stringify({
        ...base,
        paths: {},
        components: {
          schemas: {
            Todo: {
              type: 'object',
              'x-sync': 'push',
              properties: { id: { type: 'string' } },
            },
          },
        },
      }),
      'api.json',
    );
    expect(buildModel(spec).diagnostics[0]).toMatchObject({
      pointer: '#/components/schemas/Todo/x-sync',
      message: expect.stringContaining('no operation of the spec reads Todo'),
    });
  });

  it('refuses Swagger 2.0 with a conversion hint', async () => {
    await expect(parseSpec(JSON.stringify({ swagger: '2.0', info: {}, paths: {} }), 'old.json')).rejects.toMatchObject({
      diagnostics: [
        expect.objectContaining({
          pointer: '#/swagger',
          hint: expect.stringContaining('swagger2openapi'),
        }),
      ],
    });
  });

  it('reports YAML syntax errors with line and column', async () => {
    const error = await parseSpec('openapi: 3.1.0\ninfo: [unclosed\n', 'bad.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toMatch(/bad\.yaml: not valid YAML at line \d+/);
  });

  it('refuses operationIds used twice, at the repeat, naming the first use', async () => {
    const op = (operationId: string) => ({ operationId, responses: { '200': { description: 'ok' } } });
    const document = {
      ...base,
      paths: { '/a': { get: op('listThings'), post: op('makeThing') }, '/b': { get: op('listThings') } },
    };
    // an error of the spec among the others (a bad x-sync is reported in the same run), not a stop at parsing
    expect(buildModel(await parseSpec(JSON.stringify(document), 'dup.json')).diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'dup.json',
        pointer: '#/paths/~1b/get/operationId',
        message: 'operationId "listThings" is already used at #/paths/~1a/get/operationId',
      }),
    ]);
  });

  it('names a missing file', async () => {
    await expect(loadSpec('/nope/openapi.yaml')).rejects.toThrow('spec file not found');
  });

  // from the full corpus: mercedes-benz.com/configurator.json (a oneOf branch that is a string) and
  // cpy.re/peertube.json (a $ref to a URL) stopped openapi-typescript, which was reported as a crash
  it.each([
    [{ oneOf: ['string'] }, '#/components/schemas/Todo', 'Expected SchemaObject'],
    [{ $ref: 'https://example.invalid/schema.json' }, '#/components/schemas/Todo/properties/kind', 'resolve'],
  ])(
    'refuses what openapi-typescript cannot type (%j) with the file and its pointer',
    async (kind, pointer, message) => {
      const dir = tempDir('untypable');
      const spec = path.join(dir, 'api.json');
      const todo = { type: 'object', 'x-sync': 'push', properties: { id: { type: 'string' }, kind } };
      writeFileSync(spec, JSON.stringify({ ...base, components: { schemas: { Todo: todo } } }));
      const error = await generate({ spec, out: path.join(dir, 'out') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).diagnostics[0]).toMatchObject({
        file: expect.stringContaining('api.json'),
        pointer: expect.stringMatching(new RegExp(`^${pointer.replace(/[/]/g, '\\/')}`)),
        message: expect.stringContaining(message),
      });
    },
  );
});

describe('CLI', () => {
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(
      argv,
      { write: (s: string) => ((stdout += s), true) } as never,
      { write: (s: string) => ((stderr += s), true) } as never,
    );
    return { code, stdout, stderr };
  };

  it('exits 2 and prints file, pointer and fix on an invalid spec, writing nothing', async () => {
    const dir = tempDir('cli');
    const spec = path.join(dir, 'api.yaml');
    writeFileSync(
      spec,
      stringify({
        ...base,
        components: {
          schemas: {
            Todo: {
              type: 'object',
              'x-sync': { key: 'nope' },
              properties: { id: { type: 'string' } },
            },
          },
        },
      }),
    );
    const result = await run('generate', '--spec', spec, '--out', path.join(dir, 'out'), '--quiet');
    expect(result.code).toBe(EXIT.invalidSpec);
    expect(result.stderr).toContain(
      `${spec} #/components/schemas/Todo/x-sync/key: key "nope" is not a property of Todo`,
    );
    expect(result.stderr).toContain('fix: set `key:`');
  });

  it('check exits 1 on drift and 0 when up to date', async () => {
    const out = path.join(tempDir('cli-check'), 'out');
    expect((await run('check', '--spec', EXAMPLE_SPEC, '--out', out, '--quiet')).code).toBe(EXIT.drift);
    expect((await run('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--quiet')).code).toBe(EXIT.ok);
    const ok = await run('check', '--spec', EXAMPLE_SPEC, '--out', out, '--quiet');
    expect(ok).toMatchObject({
      code: EXIT.ok,
      stdout: expect.stringContaining('up to date'),
    });
  });

  it('answers usage errors with 64 and a pointer to --help', async () => {
    expect(await run('generate', '--spec', EXAMPLE_SPEC)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('needs --out'),
    });
    expect(await run('frobnicate')).toMatchObject({ code: EXIT.usage });
    expect(await run('generate', '--help')).toMatchObject({
      code: EXIT.ok,
      stdout: expect.stringContaining('--all-models'),
    });
  });

  it('validate lists models with their bound operations', async () => {
    const result = await run('validate', '--spec', EXAMPLE_SPEC);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('Project  mode=push  key=id');
    expect(result.stdout).toMatch(/list\s+GET \/projects\s+pages by offset/);
  });
});
