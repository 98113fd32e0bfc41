import { runInNewContext } from 'node:vm';
import { buildModel } from '../src/model/build-model';
import { parseShapeWhere } from '../src/model/shape-where';
import { emitCore } from '../src/emit/core/emit-core';
import { emitModel } from '../src/emit/emit-api';
import { parseSpec } from '../src/openapi/load-spec';

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const list = (name: string) => ({
  get: {
    responses: {
      '200': { description: 'ok', ...json({ type: 'array', items: { $ref: `#/components/schemas/${name}` } }) },
    },
  },
});

/** A Todo (live unless said) and a Membership (push) API; `todo` and `membership` are their x-sync. */
async function build(todo: unknown, membership: unknown = 'push', defaults?: unknown) {
  const spec = await parseSpec(
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'Work', version: '1' },
      ...(defaults ? { 'x-sync-defaults': defaults } : {}),
      paths: { '/todos': list('Todo'), '/memberships': list('Membership') },
      components: {
        schemas: {
          Todo: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              project_id: { type: 'string' },
              owner_id: { type: 'string' },
              title: { type: 'string' },
              internal_notes: { type: 'string' },
            },
            'x-sync': todo,
          },
          Membership: {
            type: 'object',
            properties: { id: { type: 'string' }, project_id: { type: 'string' }, user_id: { type: 'string' } },
            'x-sync': membership,
          },
        },
      },
    }),
    'api.json',
  );
  const api = buildModel(spec);
  return { api, errors: api.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.pointer, d.message]) };
}

const WHERE = '#/components/schemas/Todo/x-sync/where';

describe('x-sync.where: the rows the server pins on a live shape', () => {
  it('reads named parameters into positions and lists the tables sub-queries read', () => {
    const parsed = parseShapeWhere(
      "owner_id = $user OR project_id IN (SELECT project_id FROM memberships WHERE user_id = $user AND role <> '$admin') AND title <> $org",
    );
    expect(parsed.positional).toBe(
      "owner_id = $1 OR project_id IN (SELECT project_id FROM memberships WHERE user_id = $1 AND role <> '$admin') AND title <> $2",
    );
    expect(parsed.params).toEqual(['user', 'org']);
    expect(parsed.tables).toEqual(['memberships']);
    expect(parsed.columns).toEqual([
      { name: 'owner_id' },
      { name: 'project_id' },
      { name: 'project_id', table: 'memberships' },
      { name: 'user_id', table: 'memberships' },
      { name: 'role', table: 'memberships' },
      { name: 'title' },
    ]);
  });

  it.each([
    ['no_such_column = 1) OR (1=1', 'expected AND, OR or the end of the clause at character 19, found ")"'],
    ['title = 1; DROP TABLE todos', 'unexpected ";'],
    ['title = 1 -- everything', 'comments are not allowed'],
    ["title = 'a' /* x */", 'comments are not allowed'],
    ['pg_sleep(10) IS NULL', 'function "pg_sleep" is not supported'],
    ['owner_id = $1', 'parameters are named'],
    ['project_id IN (SELECT project_id FROM public.memberships)', 'no "schema." prefix'],
    ['project_id IN (SELECT * FROM memberships)', 'the column a sub-query selects'],
    ['title =', 'a column, a literal or a parameter'],
    ['(title = 1', 'expected ")"'],
  ])('refuses %j', (where, message) => {
    expect(() => parseShapeWhere(where)).toThrow(message);
  });

  it('is a pointer error when it cannot be read, or names what is not a property', async () => {
    const { errors } = await build({ mode: 'live', where: 'no_such_column = 1) OR (1=1' });
    expect(errors).toEqual([[WHERE, expect.stringContaining('where cannot be read: expected AND, OR or the end')]]);
    const unknown = await build({ mode: 'live', where: 'no_such_column = $user AND titel = 1' });
    expect(unknown.errors).toEqual([
      [WHERE, 'where names "no_such_column", which is not a property of Todo'],
      [WHERE, 'where names "titel", which is not a property of Todo'],
    ]);
  });

  it("checks a sub-query's columns against the model of its table", async () => {
    const ok = await build({
      mode: 'live',
      where: 'project_id IN (SELECT project_id FROM memberships WHERE user_id = $user)',
    });
    expect(ok.errors).toEqual([]);
    const bad = await build({
      mode: 'live',
      where: 'project_id IN (SELECT project FROM memberships WHERE member = $user)',
    });
    expect(bad.errors).toEqual([
      [WHERE, expect.stringContaining('where reads "project" of memberships, which is not a property of Membership')],
      [WHERE, expect.stringContaining('where reads "member" of memberships')],
    ]);
    // a table no model of the spec syncs: the server checks it
    expect(
      (await build({ mode: 'live', where: 'project_id IN (SELECT p FROM teams WHERE u = $user)' })).errors,
    ).toEqual([]);
  });

  it('excluded properties can be filtered on: the server evaluates them, the client never reads them', async () => {
    const { errors, api } = await build({ mode: 'live', exclude: ['internal_notes'], where: 'internal_notes IS NULL' });
    expect(errors).toEqual([]);
    expect(api.models.find((m) => m.schemaName === 'Todo')!.shape).toMatchObject({
      where: 'internal_notes IS NULL',
      params: [],
    });
  });

  it('is an error, not silence, on push and cache models and as a default', async () => {
    const push = await build({ mode: 'push', where: 'owner_id = $user' });
    expect(push.errors).toEqual([[WHERE, expect.stringContaining('where applies to live models only')]]);
    const defaults = await build('live', 'push', { where: 'owner_id = $user' });
    expect(defaults.errors).toEqual([
      ['#/x-sync-defaults/where', 'where cannot be a default: it names the columns of one model'],
    ]);
  });

  it('refuses two live models of one table', async () => {
    const { errors } = await build({ mode: 'live', table: 'memberships' }, 'live');
    expect(errors).toEqual([
      [
        '#/components/schemas/Todo/x-sync',
        'Todo and Membership are both live models of table memberships: the server pins one shape per table',
      ],
    ]);
  });

  it("emits the api's shape policy: per table the columns a client may read and the rows, bound per user", async () => {
    const { api } = await build({
      mode: 'live',
      exclude: ['internal_notes'],
      where: 'owner_id = $user OR project_id IN (SELECT project_id FROM memberships WHERE user_id = $user)',
    });
    const file = emitCore(api, 'api.json').find((f) => f.path === 'core/src/shape-policy.ts')!;
    expect(file.content).toContain('export const shapePolicy = ');
    const literal = file.content.slice(file.content.indexOf('= ') + 2, file.content.lastIndexOf(' as const'));
    expect(runInNewContext(`(${literal})`)).toEqual({
      todos: {
        model: 'Todo',
        columns: ['id', 'owner_id', 'project_id', 'title'],
        where: 'owner_id = $1 OR project_id IN (SELECT project_id FROM memberships WHERE user_id = $1)',
        params: ['user'],
      },
    });
    expect(emitCore(api, 'api.json').find((f) => f.path === 'core/src/index.ts')!.content).toContain(
      "export * from './shape-policy';",
    );
    // no live model, no policy
    const push = await build('push');
    expect(emitCore(push.api, 'api.json').some((f) => f.path === 'core/src/shape-policy.ts')).toBe(false);
  });
});

describe('x-sync.sync: eager or on demand', () => {
  const SYNC = '#/components/schemas/Todo/x-sync/sync';
  it('makes a live collection load the rows each query asks for', async () => {
    const { api, errors } = await build({ mode: 'live', sync: 'on-demand' });
    expect(errors).toEqual([]);
    const todo = api.models.find((m) => m.schemaName === 'Todo')!;
    expect(todo.sync.sync).toBe('on-demand');
    const files = emitModel(api, todo);
    expect(files.find((f) => f.path.endsWith('todo.collection.ts'))!.content).toContain("syncMode: 'on-demand',");
    const eager = (await build({ mode: 'live' })).api;
    const eagerFiles = emitModel(eager, eager.models.find((m) => m.schemaName === 'Todo')!);
    expect(eagerFiles.find((f) => f.path.endsWith('todo.collection.ts'))!.content).not.toContain('syncMode');
  });

  it('is an error on push models, and for any other value', async () => {
    expect((await build({ mode: 'push', sync: 'on-demand' })).errors).toEqual([
      [SYNC, expect.stringContaining('sync applies to live models only')],
    ]);
    expect((await build({ mode: 'live', sync: 'lazy' })).errors).toEqual([
      [SYNC, 'sync must be eager or on-demand, not "lazy"'],
    ]);
  });
});
