import fc from 'fast-check';

/**
 * Specs built to break generated code (for hostile-names.spec.ts): names and strings from a list of
 * known troublemakers, or any short string of graphemes.
 */
export const NASTY = [
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'hasOwnProperty',
  'then',
  'class',
  'delete',
  'default',
  'import',
  'await',
  'enum',
  'null',
  'undefined',
  'NaN',
  '*/',
  '/*',
  '// x',
  '`',
  '${x}',
  "'",
  '"',
  '\\',
  'a\nb',
  'a\r\nb',
  '\u2028',
  '</script>',
  "'; DROP TABLE todos; --",
  '"); DROP TABLE x; --',
  'select',
  'order',
  'group',
  'table',
  'sqlite_master',
  '1st',
  '42',
  'ünïcödé',
  '日本語',
  '🙂',
  'a b',
  'foo-bar',
  'foo_bar',
  'fooBar',
  'FooBar',
  'x'.repeat(200),
  // names that reach file paths must not leave the output directory
  '../../../etc/passwd',
  '..',
  '..\\..\\x',
  '/abs/path',
  'C:\\x',
];

const name = fc.oneof(fc.constantFrom(...NASTY), fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }));

export interface Case {
  live: string;
  push: string;
  table: string;
  props: string[];
  enumValues: string[];
  description: string;
}

export const caseArb: fc.Arbitrary<Case> = fc.record({
  live: name,
  push: name,
  table: name,
  props: fc.uniqueArray(name, { minLength: 1, maxLength: 6, selector: (s) => s.toLowerCase() }),
  enumValues: fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
  description: name,
});

/** Two models on one path each: one live (with a local SQLite table), one push. */
export function specOf(c: Case): object {
  const props = c.props.filter((p) => p.toLowerCase() !== 'id');
  const schema = (mode: object) => ({
    type: 'object',
    description: c.description,
    'x-sync': mode,
    required: ['id', ...props.slice(0, 2)],
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: false },
      ...Object.fromEntries(
        props.map((p, i) => [
          p,
          i === 0
            ? { type: 'string', enum: c.enumValues, description: c.description }
            : { type: i % 2 ? 'integer' : 'string', description: c.description },
        ]),
      ),
    },
  });
  const ref = (model: string) => ({ $ref: `#/components/schemas/${model.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  const ops = (model: string, base: string) => ({
    [base]: {
      get: {
        'x-sync-model': model,
        'x-sync-op': 'list',
        summary: c.description,
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'array', items: ref(model) } } },
          },
        },
      },
      post: {
        'x-sync-model': model,
        'x-sync-op': 'create',
        requestBody: { required: true, content: { 'application/json': { schema: ref(model) } } },
        responses: { '201': { description: 'ok', content: { 'application/json': { schema: ref(model) } } } },
      },
    },
    [`${base}/{id}`]: {
      get: {
        'x-sync-model': model,
        'x-sync-op': 'get',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref(model) } } } },
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: { title: c.description, version: '1' },
    paths: { ...ops(c.live, '/live-things'), ...(c.push !== c.live ? ops(c.push, '/push-things') : {}) },
    components: {
      schemas: {
        [c.live]: schema({ mode: 'live', key: 'id', table: c.table }),
        ...(c.push !== c.live ? { [c.push]: schema({ mode: 'push', key: 'id' }) } : {}),
      },
    },
  };
}
