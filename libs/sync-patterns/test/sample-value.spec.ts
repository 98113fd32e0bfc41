import { NO_SAMPLE, propertySamples, sampleOf } from '../src/json-schema/sample-value';

const doc = (schemas: Record<string, unknown>) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {},
  components: { schemas },
});
const sample = (
  schema: unknown,
  schemas: Record<string, unknown> = {},
  direction: 'read' | 'write' = 'read',
  variant: 0 | 1 = 0,
) => sampleOf(doc(schemas), schema, '#/x', { direction, variant });

describe('sample values for generated tests', () => {
  it('honours const, enum, formats and string bounds', () => {
    expect(sample({ const: 'fixed' })).toBe('fixed');
    expect(sample({ type: 'string', enum: [null, 'b', 'c'] })).toBe('b');
    expect(sample({ type: 'string', enum: ['b', 'c'] }, {}, 'read', 1)).toBe('c');
    expect(sample({ type: 'string', format: 'email' })).toBe('sample@example.com');
    expect(sample({ type: 'string', minLength: 3, maxLength: 4 })).toBe('xxx');
    expect(sample({ type: 'string', format: 'uuid', maxLength: 10 })).toBe(NO_SAMPLE);
  });

  it('finds a value for common patterns, draws one from any other pattern, and gives up on unsatisfiable ones', () => {
    expect(sample({ type: 'string', pattern: '^[0-9]+$' })).toBe('1');
    expect(sample({ type: 'string', pattern: '^[A-Z]{3}$' })).toBe('ABC');
    // no fixed candidate fits these: drawn from the pattern, the same on every run
    for (const pattern of ['^zz-never$', '^[0-9]{5}$', '^[A-Z]{3}-\\d{4}$', '^(?:[a-z]{2}_){2}[0-9]+$']) {
      const value = sample({ type: 'string', pattern });
      expect(value).toMatch(new RegExp(pattern));
      expect(sample({ type: 'string', pattern })).toBe(value);
      // a patch's value differs where the pattern allows
      expect(sample({ type: 'string', pattern }, {}, 'read', 1)).toMatch(new RegExp(pattern));
    }
    expect(sample({ type: 'string', pattern: '^[0-9]{5}$', maxLength: 4 })).toBe(NO_SAMPLE);
    expect(sample({ type: 'string', pattern: '^a$', minLength: 2 })).toBe(NO_SAMPLE);
  });

  it('honours numeric bounds, exclusive bounds and multipleOf', () => {
    expect(sample({ type: 'integer', minimum: 5, maximum: 9 })).toBe(5);
    expect(sample({ type: 'integer', exclusiveMinimum: 5 })).toBe(6);
    expect(
      sample({
        type: 'number',
        minimum: 0,
        exclusiveMinimum: true,
        multipleOf: 0.5,
      }),
    ).toBe(0.5);
    expect(sample({ type: 'integer', minimum: 3, maximum: 3 }, {}, 'read', 1)).toBe(3);
    expect(sample({ type: 'integer', minimum: 4, maximum: 3 })).toBe(NO_SAMPLE);
  });

  it('fills required properties only, leaving readOnly ones out of write samples', () => {
    const schema = {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'integer', readOnly: true },
        name: { type: 'string' },
        note: { type: 'string' },
      },
    };
    expect(sample(schema)).toEqual({ id: 1, name: 'x' });
    expect(sample(schema, {}, 'write')).toEqual({ name: 'x' });
  });

  it('closes required cycles with null where allowed and refuses where not', () => {
    const node = {
      type: 'object',
      required: ['parent'],
      properties: { parent: { $ref: '#/components/schemas/Node' } },
    };
    expect(sample({ $ref: '#/components/schemas/Node' }, { Node: node })).toBe(NO_SAMPLE);
    const nullable = {
      type: 'object',
      required: ['parent'],
      properties: {
        parent: {
          anyOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }],
        },
      },
    };
    expect(sample({ $ref: '#/components/schemas/Node' }, { Node: nullable })).toEqual({ parent: null });
  });

  it('merges allOf of scalar constraints instead of building an object (box.com)', () => {
    expect(
      sample({
        allOf: [{ type: 'string', minLength: 2 }, { nullable: false }],
      }),
    ).toBe('xx');
    expect(
      sample(
        {
          allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { b: { type: 'integer' } }, required: ['b'] }],
        },
        {
          Base: {
            type: 'object',
            required: ['a'],
            properties: { a: { type: 'string' } },
          },
        },
      ),
    ).toEqual({ a: 'x', b: 1 });
  });

  it('tags a discriminated branch with its mapping key', () => {
    const schemas = {
      Cat: {
        type: 'object',
        required: ['pet_type'],
        properties: { pet_type: { type: 'string' } },
      },
      Pet: {
        oneOf: [{ $ref: '#/components/schemas/Cat' }],
        discriminator: {
          propertyName: 'pet_type',
          mapping: { cat: '#/components/schemas/Cat' },
        },
      },
    };
    expect(sample({ $ref: '#/components/schemas/Pet' }, schemas)).toEqual({
      pet_type: 'cat',
    });
  });

  // The pins below are what openapi-typescript writes into the types; a sample must carry them.
  it('keeps the value a branch states when the discriminator maps implicitly (orval#3139)', () => {
    const schemas = {
      Circle: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string', enum: ['circle'] } },
      },
      Shape: {
        oneOf: [{ $ref: '#/components/schemas/Circle' }],
        discriminator: { propertyName: 'kind' },
      },
    };
    expect(sample({ $ref: '#/components/schemas/Shape' }, schemas)).toEqual({
      kind: 'circle',
    });
  });

  it('pins an allOf child to its name when no mapping names it, and never changes the pin in a patch', () => {
    const schemas = {
      Animal: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' } },
        discriminator: { propertyName: 'kind' },
      },
      Dog: {
        allOf: [{ $ref: '#/components/schemas/Animal' }, { type: 'object', properties: { name: { type: 'string' } } }],
      },
    };
    expect(sample({ $ref: '#/components/schemas/Dog' }, schemas)).toEqual({
      kind: 'Dog',
    });
    const changes = propertySamples(doc(schemas), { $ref: '#/components/schemas/Dog' }, '#/x', {
      direction: 'write',
      variant: 1,
    });
    expect([...changes.keys()]).toEqual(['name']);
  });

  it("follows the tag's own enum where it refuses the names a pin would give (no pin then: azure-kusto)", () => {
    const schemas = {
      Animal: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string', enum: ['wild', 'tame'] } },
        discriminator: { propertyName: 'kind' },
      },
      Dog: {
        allOf: [{ $ref: '#/components/schemas/Animal' }, { type: 'object', properties: { name: { type: 'string' } } }],
      },
    };
    expect(sample({ $ref: '#/components/schemas/Dog' }, schemas)).toEqual({
      kind: 'wild',
    });
  });

  it('fills required fields of nested objects in a property sample, readOnly ones included', () => {
    const schemas = {
      Address: {
        type: 'object',
        required: ['id', 'city'],
        properties: {
          id: { type: 'integer', readOnly: true },
          city: { type: 'string' },
        },
      },
      Contact: {
        type: 'object',
        properties: { address: { $ref: '#/components/schemas/Address' } },
      },
    };
    const changes = propertySamples(doc(schemas), { $ref: '#/components/schemas/Contact' }, '#/x', {
      direction: 'write',
      variant: 1,
    });
    expect(changes.get('address')).toEqual({ id: 2, city: 'y' });
  });
});
