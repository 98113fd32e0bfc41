import { buildModel } from '../src/model/build-model';
import { parseSpec } from '../src/openapi/load-spec';

const row = { $ref: '#/components/schemas/Todo' };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const ifMatch = (required = false) => ({ name: 'If-Match', in: 'header', required, schema: { type: 'string' } });

/** A Todo API whose item writes take `update` / `remove` as their operation objects' extra parts. */
async function build(
  xSync: unknown,
  writes: { update?: Record<string, unknown>; remove?: Record<string, unknown> } = {},
  properties: Record<string, unknown> = {},
  getAnswers: Record<string, unknown> = {},
) {
  const item = (extra: Record<string, unknown> | undefined, success: Record<string, unknown>) => {
    const { responses, ...rest } = extra ?? {};
    return { ...rest, responses: { ...success, ...(responses as object) } };
  };
  const spec = await parseSpec(
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      paths: {
        '/todos': { get: { responses: { '200': { description: 'ok', ...json({ type: 'array', items: row }) } } } },
        '/todos/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: { responses: { '200': { description: 'ok', ...json(row), ...getAnswers } } },
          patch: {
            requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
            ...item(writes.update, { '200': { description: 'ok', ...json(row) } }),
          },
          delete: item(writes.remove, { '204': { description: 'gone' } }),
        },
      },
      components: {
        schemas: {
          Todo: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              title: { type: 'string' },
              labels: { type: 'array', items: { type: 'string' } },
              version: { type: 'integer', readOnly: true },
              ...properties,
            },
            'x-sync': xSync,
          },
        },
      },
    }),
    'api.json',
  );
  const api = buildModel(spec);
  const problems = (severity: string) =>
    api.diagnostics.filter((d) => d.severity === severity).map((d) => [d.pointer, d.message]);
  return { model: api.models[0], errors: problems('error'), warnings: problems('warning') };
}

const guarded = { parameters: [ifMatch()], responses: { '412': { description: 'moved on', ...json(row) } } };

describe('conflict contract', () => {
  it('reads the strategy, the version and the writes that send If-Match', async () => {
    const { model, errors } = await build(
      { mode: 'live', version: 'version', conflict: { strategy: 'field-merge', fields: { labels: 'union' } } },
      { update: guarded, remove: guarded },
    );
    expect(errors).toEqual([]);
    expect(model.conflict).toEqual({
      strategy: 'field-merge',
      version: 'version',
      rules: { labels: 'union' },
      preconditions: ['update', 'delete'],
    });
  });

  it('leaves a delete without If-Match unconditional, and says so of a model without a version', async () => {
    const { model, errors } = await build({ mode: 'push', version: 'version' }, { update: guarded });
    expect(errors).toEqual([]);
    expect(model.conflict.preconditions).toEqual(['update']);
    const plain = await build('push');
    expect(plain.model.conflict).toEqual({ strategy: 'backend-wins', rules: {}, preconditions: [] });
  });

  it('reports every inconsistency at once, each at its pointer', async () => {
    const { errors } = await build(
      {
        mode: 'push',
        version: 'version',
        conflict: { strategy: 'field-merge', fields: { nope: 'client', title: 'union' } },
      },
      { update: { parameters: [ifMatch()] }, remove: { responses: { '412': { description: 'moved on' } } } },
    );
    expect(errors).toEqual([
      ['#/components/schemas/Todo/x-sync/conflict/fields/nope', 'fields names "nope", which is not a property of Todo'],
      ['#/components/schemas/Todo/x-sync/conflict/fields/title', 'union merges lists, but "title" is not an array'],
      [
        '#/paths/~1todos~1{id}/patch',
        'PATCH /todos/{id} takes If-Match but declares no 412 answer: a stale write could not be told from another failure',
      ],
      [
        '#/paths/~1todos~1{id}/delete',
        'Todo is field-merge on version "version", but DELETE /todos/{id} declares no If-Match parameter to send it with',
      ],
    ]);
  });

  it('wants the current row in the 412 answer', async () => {
    const { errors } = await build(
      { mode: 'push', version: 'version' },
      {
        update: {
          parameters: [ifMatch()],
          responses: { '412': { description: 'moved on', ...json({ type: 'object' }) } },
        },
      },
    );
    expect(errors).toEqual([
      [
        '#/paths/~1todos~1{id}/patch/responses/412',
        'the 412 answer of PATCH /todos/{id} must carry the current Todo row: the client merges or rolls back to it',
      ],
    ]);
  });

  it('checks the version property and the options that need one', async () => {
    expect((await build({ mode: 'push', version: 'revision' }, { update: guarded })).errors).toEqual([
      ['#/components/schemas/Todo/x-sync/version', 'version names "revision", which is not a property of Todo'],
    ]);
    expect((await build({ mode: 'push', version: 'labels' }, { update: guarded })).errors).toEqual([
      [
        '#/components/schemas/Todo/x-sync/version',
        'version "labels" must be an integer, a number or a string (its value is sent as If-Match), not "array"',
      ],
    ]);
    expect((await build({ mode: 'push', conflict: 'field-merge' })).errors).toEqual([
      [
        '#/components/schemas/Todo/x-sync/conflict',
        'field-merge needs x-sync.version: without a version neither the client nor the API can tell a write based on a stale row',
      ],
    ]);
    expect(
      (await build({ mode: 'push', conflict: { strategy: 'custom', fields: { title: 'client' } } })).errors,
    ).toEqual([
      [
        '#/components/schemas/Todo/x-sync/conflict/fields',
        'fields (same-field rules) apply to field-merge only, not custom',
      ],
      [
        '#/components/schemas/Todo/x-sync/conflict',
        'custom needs x-sync.version: without a version neither the client nor the API can tell a write based on a stale row',
      ],
    ]);
  });

  it('refuses a required If-Match under client-wins, and warns of one no version can fill', async () => {
    const required = { parameters: [ifMatch(true)], responses: guarded.responses };
    expect((await build({ mode: 'push', conflict: 'client-wins' }, { update: required })).errors).toEqual([
      [
        '#/paths/~1todos~1{id}/patch/parameters/0',
        'PATCH /todos/{id} requires If-Match, but Todo is client-wins: its writes are sent without a precondition',
      ],
    ]);
    const unversioned = await build('push', { update: required });
    expect(unversioned.errors).toEqual([]);
    expect(unversioned.warnings).toEqual([
      [
        '#/paths/~1todos~1{id}/patch/parameters/0',
        'PATCH /todos/{id} requires If-Match, but Todo declares no x-sync.version: the API will refuse its writes (428)',
      ],
    ]);
  });

  it('takes the API’s ETag as the version in push mode: the item read must declare it, the 412 need not carry the row', async () => {
    const etagHeader = { headers: { ETag: { schema: { type: 'string' } } } };
    const bare = { parameters: [ifMatch()], responses: { '412': { description: 'moved on' } } };
    const pushed = await build({ mode: 'push', version: 'etag' }, { update: bare }, {}, etagHeader);
    expect(pushed.errors).toEqual([]);
    expect(pushed.model.conflict).toMatchObject({ version: 'etag', preconditions: ['update'] });
    expect((await build({ mode: 'push', version: 'etag' }, { update: bare })).errors).toEqual([
      [
        '#/paths/~1todos~1{id}/get',
        'GET /todos/{id} must declare the ETag header of its answer: the client sends it back as If-Match',
      ],
    ]);
    expect((await build({ mode: 'live', version: 'etag' }, { update: bare }, {}, etagHeader)).errors).toEqual([
      [
        '#/components/schemas/Todo/x-sync/version',
        "version: etag reads the API's ETag header, which the shape stream does not carry: Todo's live rows need a version property",
      ],
    ]);
  });

  it('refuses a version or a policy on a cache model', async () => {
    const { errors } = await build({ mode: 'cache', version: 'version', conflict: 'client-wins' });
    expect(errors.slice(0, 2)).toEqual([
      ['#/components/schemas/Todo/x-sync/version', 'version applies to push and live models only'],
      ['#/components/schemas/Todo/x-sync/conflict', 'conflict applies to push and live models only'],
    ]);
  });
});
