import fc from 'fast-check';

/**
 * Model shapes drawn at random (for generated-tests.spec.ts): every kind of key and who chooses it,
 * fields optional × nullable × enum × format × arrays × nested objects × readOnly / writeOnly /
 * excluded, one body schema or separate create / update schemas, PATCH or PUT, in each mode and in
 * OpenAPI 3.0 and 3.1 syntax. `specOfShapes` turns them into a document a backend could serve.
 */

export type FieldKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'int-enum'
  | 'date-time'
  | 'date'
  | 'email'
  | 'uri'
  | 'uuid'
  | 'string-array'
  | 'object'
  | 'object-array'
  | 'free-object';

export interface FieldShape {
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  access: 'both' | 'readOnly' | 'writeOnly' | 'excluded';
}

export interface ModelShape {
  mode: 'push' | 'live' | 'cache';
  key: { kind: 'integer' | 'string' | 'uuid'; chosenBy: 'server' | 'client' };
  fields: FieldShape[];
  /** One schema for rows and writes (readOnly marks what writes leave out), or separate Create / Update schemas. */
  bodies: 'same' | 'separate';
  update: 'patch' | 'put' | 'none';
  remove: boolean;
  get: boolean;
  /** The list answers an array, or an object holding it (`{ items, total }`). */
  listWrapped: boolean;
  /** How write bodies are encoded (Stripe's are forms). */
  encoding: 'json' | 'form' | 'multipart';
}

export interface SpecShape {
  version: '3.0' | '3.1';
  models: ModelShape[];
}

const FIELD_KINDS: FieldKind[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'enum',
  'int-enum',
  'date-time',
  'date',
  'email',
  'uri',
  'uuid',
  'string-array',
  'object',
  'object-array',
  'free-object',
];

const fieldArb: fc.Arbitrary<FieldShape> = fc.record({
  kind: fc.constantFrom(...FIELD_KINDS),
  required: fc.boolean(),
  nullable: fc.boolean(),
  access: fc.constantFrom('both', 'both', 'both', 'readOnly', 'writeOnly', 'excluded'),
});

const modelArb: fc.Arbitrary<ModelShape> = fc
  .record({
    mode: fc.constantFrom('push', 'live', 'cache'),
    key: fc.record({
      kind: fc.constantFrom('integer', 'string', 'uuid'),
      chosenBy: fc.constantFrom('server', 'client'),
    }),
    fields: fc.array(fieldArb, { minLength: 1, maxLength: 6 }),
    bodies: fc.constantFrom('same', 'separate'),
    update: fc.constantFrom('patch', 'put', 'none'),
    remove: fc.boolean(),
    get: fc.boolean(),
    listWrapped: fc.boolean(),
    encoding: fc.constantFrom('json', 'json', 'form', 'multipart'),
  })
  .map((m): ModelShape => (m.mode === 'cache' ? { ...m, update: 'none', remove: false } : m));

export const specShapeArb: fc.Arbitrary<SpecShape> = fc.record({
  version: fc.constantFrom('3.0', '3.1'),
  models: fc.array(modelArb, { minLength: 1, maxLength: 3 }),
});

const MODEL_NAMES = ['Note', 'Tag', 'Board', 'Card'];
const FIELD_NAMES = ['title', 'color', 'rank', 'score', 'done', 'due', 'owner', 'labels', 'meta'];

/** Field `i`'s name: readable, unique, never the key. */
const fieldName = (f: FieldShape, i: number) => `${FIELD_NAMES[i % FIELD_NAMES.length]}_${f.kind.replace(/-/g, '_')}`;

function scalarSchema(kind: FieldKind): Record<string, unknown> {
  switch (kind) {
    case 'string':
      return { type: 'string', minLength: 1, maxLength: 40 };
    case 'integer':
      return { type: 'integer', minimum: 0 };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: ['red', 'green', 'blue'] };
    case 'int-enum':
      return { type: 'integer', enum: [1, 2, 3] };
    case 'date-time':
    case 'date':
    case 'email':
    case 'uri':
    case 'uuid':
      return { type: 'string', format: kind };
    case 'string-array':
      return { type: 'array', items: { type: 'string' } };
    case 'object':
      return { $ref: '#/components/schemas/Address' };
    case 'object-array':
      return { type: 'array', items: { $ref: '#/components/schemas/Address' } };
    case 'free-object':
      return { type: 'object', additionalProperties: true };
  }
}

/** `schema`, admitting null too, written as the document's version writes it. */
function nullable(schema: Record<string, unknown>, version: SpecShape['version']): Record<string, unknown> {
  if (version === '3.0') return '$ref' in schema ? { allOf: [schema], nullable: true } : { ...schema, nullable: true };
  if ('$ref' in schema) return { oneOf: [schema, { type: 'null' }] };
  const withNull: Record<string, unknown> = { ...schema, type: [schema['type'], 'null'] };
  if (Array.isArray(schema['enum'])) withNull['enum'] = [...(schema['enum'] as unknown[]), null];
  return withNull;
}

function keySchema(model: ModelShape): Record<string, unknown> {
  const base =
    model.key.kind === 'integer'
      ? { type: 'integer' }
      : model.key.kind === 'uuid'
        ? { type: 'string', format: 'uuid' }
        : { type: 'string', minLength: 1 };
  return model.key.chosenBy === 'server' && model.bodies === 'same' ? { ...base, readOnly: true } : base;
}

const plural = (name: string) => `${name.toLowerCase()}s`;

/** The OpenAPI document of a spec shape: each model on `/<plural>` and `/<plural>/{id}`. */
export function specOfShapes(shape: SpecShape): object {
  const schemas: Record<string, unknown> = {
    Address: {
      type: 'object',
      required: ['city'],
      properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
    },
  };
  const paths: Record<string, unknown> = {};
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  const MEDIA = {
    json: 'application/json',
    form: 'application/x-www-form-urlencoded',
    multipart: 'multipart/form-data',
  } as const;
  shape.models.forEach((model, m) => {
    const name = MODEL_NAMES[m];
    const fields = model.fields.map((f, i) => ({ f, name: fieldName(f, i) }));
    const propertyOf = (f: FieldShape, write: boolean) => {
      const base = f.nullable ? nullable(scalarSchema(f.kind), shape.version) : scalarSchema(f.kind);
      if (write) return base;
      if (f.access === 'readOnly') return { ...('$ref' in base ? { allOf: [base] } : base), readOnly: true };
      if (f.access === 'writeOnly') return { ...('$ref' in base ? { allOf: [base] } : base), writeOnly: true };
      if (f.access === 'excluded') return { ...base, 'x-sync-exclude': true };
      return base;
    };
    schemas[name] = {
      type: 'object',
      'x-sync': { mode: model.mode, ...(model.mode === 'cache' ? { ttl: 60 } : {}) },
      required: ['id', ...fields.filter(({ f }) => f.required).map(({ name }) => name)],
      properties: {
        id: keySchema(model),
        ...Object.fromEntries(fields.map(({ f, name }) => [name, propertyOf(f, false)])),
      },
    };
    const writable = fields.filter(({ f }) => f.access !== 'readOnly');
    const clientKey = model.key.chosenBy === 'client';
    if (model.bodies === 'separate' && model.mode !== 'cache') {
      schemas[`${name}Create`] = {
        type: 'object',
        required: [...(clientKey ? ['id'] : []), ...writable.filter(({ f }) => f.required).map(({ name }) => name)],
        properties: {
          ...(clientKey ? { id: keySchema(model) } : {}),
          ...Object.fromEntries(writable.map(({ f, name }) => [name, propertyOf(f, true)])),
        },
      };
      schemas[`${name}Update`] = {
        type: 'object',
        ...(model.update === 'put' ? { required: writable.filter(({ f }) => f.required).map(({ name }) => name) } : {}),
        properties: Object.fromEntries(writable.map(({ f, name }) => [name, propertyOf(f, true)])),
      };
    }
    const createBody = model.bodies === 'separate' ? ref(`${name}Create`) : ref(name);
    const updateBody = model.bodies === 'separate' ? ref(`${name}Update`) : ref(name);
    const list = model.listWrapped
      ? {
          type: 'object',
          required: ['items', 'total'],
          properties: { items: { type: 'array', items: ref(name) }, total: { type: 'integer' } },
        }
      : { type: 'array', items: ref(name) };
    const collection: Record<string, unknown> = {
      get: { operationId: `list${name}s`, responses: { '200': { description: 'ok', ...json(list) } } },
    };
    if (model.mode !== 'cache') {
      collection['post'] = {
        operationId: `create${name}`,
        requestBody: { required: true, content: { [MEDIA[model.encoding]]: { schema: createBody } } },
        responses: { '201': { description: 'created', ...json(ref(name)) } },
      };
    }
    paths[`/${plural(name)}`] = collection;
    const item: Record<string, unknown> = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { ...keySchema(model), readOnly: undefined } }],
    };
    if (model.get)
      item['get'] = {
        operationId: `get${name}`,
        responses: { '200': { description: 'ok', ...json(ref(name)) }, '404': { description: 'not found' } },
      };
    if (model.update !== 'none')
      item[model.update] = {
        operationId: `update${name}`,
        requestBody: { required: true, content: { [MEDIA[model.encoding]]: { schema: updateBody } } },
        responses: { '200': { description: 'updated', ...json(ref(name)) } },
      };
    if (model.remove)
      item['delete'] = { operationId: `delete${name}`, responses: { '204': { description: 'deleted' } } };
    if (Object.keys(item).length > 1) paths[`/${plural(name)}/{id}`] = item;
  });
  return {
    openapi: shape.version === '3.0' ? '3.0.3' : '3.1.0',
    info: { title: 'Model shapes', version: '1.0.0' },
    paths,
    components: { schemas },
  };
}
