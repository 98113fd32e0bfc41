import { Writable } from 'node:stream';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main, EXIT } from '../src/cli/main';
import { buildModel } from '../src/model/build-model';
import { parseSpec } from '../src/openapi/load-spec';
import { generate } from '../src/pipeline';
import { tempDir, typecheck } from './helpers';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (schema?: unknown) => ({ '200': { description: 'ok', ...(schema ? { content: json(schema) } : {}) } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** A spec whose operations are mostly not CRUD: actions, bulk writes, other media types, odd names. */
const spec = {
  openapi: '3.1.0',
  info: { title: 'Ops', version: '1' },
  paths: {
    '/todos': {
      get: { operationId: 'listTodos', responses: ok({ type: 'array', items: ref('Todo') }) },
      post: { operationId: 'createTodo', requestBody: { content: json(ref('Todo')) }, responses: ok(ref('Todo')) },
    },
    '/todos/{id}': {
      parameters: [idParam],
      get: { operationId: 'getTodo', responses: ok(ref('Todo')) },
    },
    '/todos/{id}/archive': {
      parameters: [idParam],
      post: { operationId: 'archive-todo', responses: ok(ref('Todo')) },
    },
    '/todos/bulk': {
      post: {
        operationId: 'bulkCreateTodos',
        requestBody: { required: true, content: json({ type: 'array', items: ref('Todo') }) },
        responses: ok({ type: 'array', items: ref('Todo') }),
      },
    },
    '/todos/{id}/attachment': {
      parameters: [idParam],
      put: {
        requestBody: {
          required: true,
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        responses: { '204': { description: 'stored' } },
      },
    },
    '/labels': {
      get: {
        operationId: 'listLabels',
        parameters: [
          { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
          { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: ok({ type: 'object', properties: { items: { type: 'array', items: ref('Label') } } }),
      },
      head: { responses: { '200': { description: 'ok' } } },
    },
    '/reports/{year}': {
      get: { responses: ok({ type: 'string' }) },
    },
    '/ping': { post: { operationId: 'delete', responses: { '204': { description: 'pong' } } } },
  },
  components: {
    schemas: {
      Todo: {
        type: 'object',
        'x-sync': { mode: 'push', exclude: ['secret'] },
        required: ['id', 'title'],
        properties: { id: { type: 'string' }, title: { type: 'string' }, secret: { type: 'string' } },
      },
      Label: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      Board: {
        type: 'object',
        'x-sync': 'push',
        required: ['id'],
        properties: { id: { type: 'string' }, todos: { type: 'array', items: ref('Todo') } },
      },
    },
  },
  // Board needs a read
} as Record<string, unknown>;
(spec['paths'] as Record<string, unknown>)['/boards'] = {
  get: { responses: ok({ type: 'array', items: ref('Board') }) },
};

async function model() {
  return buildModel(await parseSpec(JSON.stringify(spec), 'ops.json'));
}

describe('every operation of the spec', () => {
  it('lists each with what it became: bound, or a query or mutation in the library of its model or the core', async () => {
    const api = await model();
    const byPath = Object.fromEntries(api.operations.map((op) => [`${op.method} ${op.path}`, op]));
    expect(api.operations).toHaveLength(10);
    expect(byPath['get /todos'].name).toBe('listTodos');
    expect(byPath['get /todos'].role).toEqual({ kind: 'bound', model: 'Todo', as: 'list' });
    expect(byPath['post /todos/{id}/archive']).toMatchObject({
      name: 'archiveTodo',
      owner: 'Todo',
      role: { kind: 'mutation' },
    });
    expect(byPath['post /todos/bulk']).toMatchObject({ owner: 'Todo', role: { kind: 'mutation' } });
    // a write touching Todo also changes what Board (which embeds Todo) holds
    expect(byPath['post /todos/bulk'].invalidates).toEqual(['Board', 'Todo']);
    // no operationId: named after the method and path
    expect(byPath['put /todos/{id}/attachment']).toMatchObject({
      name: 'putTodosByIdAttachment',
      body: { encoding: 'raw', mediaType: 'application/octet-stream' },
    });
    expect(byPath['get /labels'].owner).toBeUndefined();
    expect(byPath['get /labels']).toMatchObject({
      role: { kind: 'query', pagination: { kind: 'page', param: 'page', itemsPath: ['items'] } },
    });
    expect(byPath['get /reports/{year}']).toMatchObject({ name: 'getReportsByYear', role: { kind: 'query' } });
    // a reserved word is no function name
    expect(byPath['post /ping'].name).toBe('deleteOp');
  });

  it('takes `x-sync-op: action` as an action of the x-sync-model: its operation function, never a model operation', async () => {
    const copy = JSON.parse(JSON.stringify(spec)) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    // a POST returning one Todo on a path of its own would otherwise be a second "create"
    copy.paths['/todos/{id}/archive']['post']['x-sync-model'] = 'Todo';
    copy.paths['/todos/{id}/archive']['post']['x-sync-op'] = 'action';
    const api = buildModel(await parseSpec(JSON.stringify(copy), 'ops.json'));
    expect(api.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(api.operations.find((op) => op.path === '/todos/{id}/archive')).toMatchObject({
      owner: 'Todo',
      role: { kind: 'mutation' },
    });
  });

  it('warns, with the pointer, about operations that get no function', async () => {
    const api = await model();
    expect(api.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        pointer: '#/paths/~1labels/head',
        message: expect.stringContaining('HEAD /labels gets no function'),
      }),
    );
    // an undeclared path parameter is still passed (typed as a string or number)
    expect(api.diagnostics).toContainEqual(
      expect.objectContaining({ pointer: '#/paths/~1reports~1{year}/get', message: expect.stringContaining('{year}') }),
    );
  });

  it('generates a function and a hook for each, and the output type-checks under strict (Todo in push and in live mode, with declared optimistic changes)', async () => {
    const dir = tempDir('sp-ops-');
    const outs: string[] = [];
    for (const mode of ['push', 'live']) {
      const copy = JSON.parse(JSON.stringify(spec)) as {
        paths: Record<string, Record<string, Record<string, unknown>>>;
        components: { schemas: Record<string, Record<string, unknown>> };
      };
      copy.components.schemas['Todo']['x-sync'] = { mode, exclude: ['secret'] };
      copy.paths['/todos/{id}/archive']['post']['x-sync-optimistic'] = { set: { title: 'archived' } };
      copy.paths['/todos/bulk']['post']['x-sync-optimistic'] = { rows: '$request.body#/0/id', remove: true };
      copy.paths['/todos/{id}/attachment']['put']['x-sync-optimistic'] = {
        rows: { where: { id: '$request.path.id', title: 'x' } },
        set: { title: '$request.path.id' },
      };
      const file = path.join(dir, `ops-${mode}.json`);
      writeFileSync(file, JSON.stringify(copy));
      const out = path.join(dir, mode);
      await generate({ spec: file, out });
      outs.push(out);
    }
    expect(typecheck(outs)).toBe('');
    // a live model's writes refresh the push model that embeds it (Board holds Todo rows)
    expect(readFileSync(path.join(dir, 'live', 'todo/src/lib/todo.collection.ts'), 'utf8')).toContain(
      "invalidates: { queryClient, keys: [['ops', 'board']], tags: ['model:Todo'] }",
    );
  }, 120_000);

  it('validate --json and generate --json list every operation with its function, hooks and library', async () => {
    const dir = tempDir('sp-ops-cli-');
    const file = path.join(dir, 'ops.json');
    writeFileSync(file, JSON.stringify(spec));
    let text = '';
    const stdout = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) });
    const stderr = new Writable({ write: (_c, _e, done) => done() });
    expect(await main(['validate', '--spec', file, '--json'], stdout as never, stderr as never)).toBe(EXIT.ok);
    const answer = JSON.parse(text) as { operations: Record<string, unknown>[]; warnings: { pointer: string }[] };
    expect(answer.operations).toHaveLength(10);
    expect(answer.operations).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/todos/{id}/archive',
        operationId: 'archive-todo',
        as: 'mutation',
        library: 'todo',
        model: 'Todo',
        function: 'archiveTodo',
        options: ['archiveTodoMutationOptions'],
        hooks: ['useArchiveTodo'],
      }),
    );
    expect(answer.operations).toContainEqual(
      expect.objectContaining({
        path: '/labels',
        as: 'query',
        library: 'core',
        hooks: ['useListLabels', 'useListLabelsSuspense', 'useListLabelsInfinite'],
      }),
    );
    expect(answer.warnings.map((w) => w.pointer)).toContain('#/paths/~1labels/head');

    text = '';
    const out = path.join(dir, 'out');
    expect(await main(['generate', '--spec', file, '--out', out, '--json'], stdout as never, stderr as never)).toBe(
      EXIT.ok,
    );
    const generated = JSON.parse(text) as { operations: { function: string }[] };
    expect(generated.operations.map((op) => op.function)).toContain('putTodosByIdAttachment');
  });
});

describe('x-sync-optimistic', () => {
  /** The spec with `x-sync-optimistic` on one operation (by path and method). */
  async function withOptimistic(at: [string, string], value: unknown) {
    const copy = JSON.parse(JSON.stringify(spec)) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    copy.paths[at[0]][at[1]]['x-sync-optimistic'] = value;
    return buildModel(await parseSpec(JSON.stringify(copy), 'ops.json'));
  }
  const errors = (api: Awaited<ReturnType<typeof model>>) =>
    api.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.pointer, d.message]);

  it('reads the rows and the change: the item its path names by default, constants and request values', async () => {
    const api = await withOptimistic(['/todos/{id}/archive', 'post'], { set: { title: 'archived' } });
    expect(errors(api)).toEqual([]);
    expect(api.operations.find((op) => op.path === '/todos/{id}/archive')?.optimistic).toEqual({
      rows: { keys: { from: 'path', name: 'id' } },
      change: { set: { title: { value: 'archived' } } },
    });
    const bulk = await withOptimistic(['/todos/bulk', 'post'], { rows: '$request.body#/0/id', remove: true });
    expect(errors(bulk)).toEqual([]);
    expect(bulk.operations.find((op) => op.path === '/todos/bulk')?.optimistic).toEqual({
      rows: { keys: { from: 'body', path: ['0', 'id'] } },
      change: { remove: true },
    });
  });

  it('reports every mistake with its pointer', async () => {
    const at = '#/paths/~1todos~1bulk/post/x-sync-optimistic';
    expect(
      errors(
        await withOptimistic(['/todos/bulk', 'post'], { set: { nope: 1, secret: 'x', id: 'y', title: 3 }, colour: 1 }),
      ),
    ).toEqual(
      expect.arrayContaining([
        [`${at}/colour`, 'unknown key "colour" in x-sync-optimistic'],
        [at, expect.stringContaining('cannot tell which Todo rows POST /todos/bulk changes')],
        [`${at}/set/nope`, '"nope" is not a property of Todo'],
        [`${at}/set/secret`, expect.stringContaining('"secret" is excluded from Todo')],
        [`${at}/set/id`, 'the key "id" cannot be changed'],
        [`${at}/set/title`, '3 is not a string, the type of this field'],
      ]),
    );
    expect(
      errors(await withOptimistic(['/todos/{id}/archive', 'post'], { rows: '$request.query.x', set: {} })),
    ).toEqual([
      [
        '#/paths/~1todos~1{id}~1archive/post/x-sync-optimistic/rows',
        expect.stringContaining('has no query parameter "x"'),
      ],
      ['#/paths/~1todos~1{id}~1archive/post/x-sync-optimistic/set', '`set` must be an object of fields'],
    ]);
    expect(
      errors(await withOptimistic(['/todos/{id}/archive', 'post'], { rows: '$response.body', remove: false })),
    ).toEqual([
      [
        '#/paths/~1todos~1{id}~1archive/post/x-sync-optimistic/rows',
        expect.stringContaining('is not a runtime expression'),
      ],
      ['#/paths/~1todos~1{id}~1archive/post/x-sync-optimistic/remove', '`remove` must be true'],
    ]);
    expect(errors(await withOptimistic(['/ping', 'post'], { remove: true }))).toEqual([
      ['#/paths/~1ping/post/x-sync-optimistic', expect.stringContaining('belongs to no model')],
    ]);
    expect(errors(await withOptimistic(['/todos', 'post'], { remove: true }))).toEqual([
      ['#/paths/~1todos/post/x-sync-optimistic', expect.stringContaining("a model's own operation")],
    ]);
  });
});
