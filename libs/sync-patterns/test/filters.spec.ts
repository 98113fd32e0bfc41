import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main, EXIT } from '../src/cli/main';
import { buildModel } from '../src/model/build-model';
import type { ModelFilters } from '../src/model/model-filters';
import { parseConfig } from '../src/nx/config';
import { parseSpec } from '../src/openapi/load-spec';
import { tempDir } from './helpers';

/** Two models on tagged paths: Todo (tasks, /todos) and Note (notes, /notes; /archive/notes is not bound: a model has one list). */
const listOf = (model: string, tags: string[]) => ({
  get: {
    tags,
    responses: {
      '200': {
        description: 'ok',
        content: {
          'application/json': { schema: { type: 'array', items: { $ref: `#/components/schemas/${model}` } } },
        },
      },
    },
  },
});
const spec = {
  openapi: '3.1.0',
  info: { title: 'Filters', version: '1' },
  paths: {
    '/todos': listOf('Todo', ['tasks']),
    '/notes': listOf('Note', ['notes']),
    '/archive/notes': listOf('Note', ['archive']),
  },
  components: {
    schemas: {
      Todo: { type: 'object', 'x-sync': 'push', required: ['id'], properties: { id: { type: 'string' } } },
      Note: { type: 'object', 'x-sync': 'push', required: ['id'], properties: { id: { type: 'string' } } },
    },
  },
};

async function modelsWith(filters: ModelFilters) {
  const api = buildModel(await parseSpec(JSON.stringify(spec), 'api.json'), { filters });
  return {
    models: api.models.map((m) => m.schemaName),
    warnings: api.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message),
  };
}

describe('include / exclude filters', () => {
  it.each([
    [{ include: { tags: ['tasks'] } }, ['Todo']],
    [{ include: { paths: ['/no*'] } }, ['Note']],
    [{ include: { paths: ['/**'] } }, ['Note', 'Todo']],
    [{ include: { paths: ['/*'] } }, ['Note', 'Todo']],
    [{ include: { tags: ['notes', 'tasks'] }, exclude: { models: ['Note'] } }, ['Todo']],
    [{ exclude: { paths: ['/todos'] } }, ['Note']],
  ])('%j keeps %j', async (filters, expected) => {
    expect(await modelsWith(filters)).toEqual({ models: expected, warnings: [] });
  });

  it('warns, naming it, about each filter that matches no model', async () => {
    expect(await modelsWith({ include: { tags: ['tasks', 'nope'] }, exclude: { paths: ['/nowhere/**'] } })).toEqual({
      models: ['Todo'],
      warnings: [
        'the include filter tag nope matches no model',
        'the exclude filter path /nowhere/** matches no model',
      ],
    });
  });

  it('are options of the CLI, whose --json summary lists models, files and warnings', async () => {
    const dir = tempDir('filters');
    const file = path.join(dir, 'api.json');
    writeFileSync(file, JSON.stringify(spec));
    let stdout = '';
    let stderr = '';
    const sink = (write: (text: string) => void) =>
      new Writable({ write: (chunk, _encoding, done) => (write(String(chunk)), done()) });
    const code = await main(
      ['generate', '--spec', file, '--out', path.join(dir, 'out'), '--include-tags', 'tasks,nope', '--json'],
      sink((t) => (stdout += t)) as never,
      sink((t) => (stderr += t)) as never,
    );
    expect(code).toBe(EXIT.ok);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      command: 'generate',
      models: ['Todo'],
      updated: [],
      unchanged: 0,
      warnings: [
        expect.objectContaining({
          file,
          pointer: '#',
          message: expect.stringContaining('tag nope matches no model'),
          fix: expect.any(String),
        }),
      ],
    });
    expect(summary.created).toContain('todo/src/lib/todo.hooks.ts');
    expect(summary.created.some((f: string) => f.startsWith('note/'))).toBe(false);
    expect(stderr).toContain('tag nope matches no model');
  });

  it('are options of the Nx config, checked field by field', () => {
    expect(
      parseConfig(
        JSON.stringify({
          spec: 'a.yaml',
          directory: 'libs/x',
          include: { tags: ['tasks'] },
          exclude: { paths: ['/admin/**'] },
        }),
        'sync-patterns.json',
      ),
    ).toEqual({
      spec: 'a.yaml',
      directory: 'libs/x',
      include: { tags: ['tasks'] },
      exclude: { paths: ['/admin/**'] },
    });
    expect(() =>
      parseConfig(
        JSON.stringify({ spec: 'a.yaml', directory: 'x', include: { colours: ['red'] } }),
        'sync-patterns.json',
      ),
    ).toThrow('sync-patterns.json #/include/colours: unknown filter; use models, tags, paths');
    expect(() =>
      parseConfig(JSON.stringify({ spec: 'a.yaml', directory: 'x', exclude: { tags: 'tasks' } }), 'sync-patterns.json'),
    ).toThrow('#/exclude/tags: expected a list of names');
  });
});
