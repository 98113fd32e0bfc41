import { fakeRow, fakeRows, type FakeModel, type FakeSchema } from './fake-data';

const tree: FakeModel = {
  key: 'id',
  row: { $ref: '#/Node' },
  definitions: {
    '#/Node': {
      type: 'object',
      required: ['id', 'children', 'parent'],
      properties: {
        id: { type: 'string' },
        parent: { $ref: '#/Node', nullable: true },
        children: { type: 'array', items: { $ref: '#/Node' } },
      },
    },
  },
};

const shapes: FakeModel = {
  key: 'id',
  row: {
    type: 'object',
    required: ['id', 'shape', 'status', 'size', 'email', 'code'],
    properties: {
      id: { type: 'integer', minimum: 10 },
      shape: { oneOf: [{ $ref: '#/Circle' }, { $ref: '#/Square' }] },
      status: { enum: ['open', 'closed', null] },
      size: { type: 'number', exclusiveMinimum: 0, maximum: 1, multipleOf: 0.25 },
      email: { type: 'string', format: 'email' },
      code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$', sample: 'ABC-12' },
    },
  },
  definitions: {
    '#/Circle': {
      type: 'object',
      required: ['kind', 'radius'],
      properties: { kind: { const: 'circle' }, radius: { type: 'number', minimum: 1 } },
    },
    '#/Square': {
      type: 'object',
      required: ['kind', 'side'],
      properties: { kind: { const: 'square' }, side: { type: 'integer', maximum: 9 } },
    },
  },
};

type Node = { id: string; parent: Node | null; children: Node[] };
const depth = (node: Node | null): number =>
  node === null ? 0 : 1 + Math.max(depth(node.parent), ...node.children.map(depth));

describe('fake data', () => {
  it('ends recursion: a self-referencing schema gives a finite tree, nullable links ending in null', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const node = fakeRow<Node>(tree, seed);
      expect(depth(node)).toBeLessThanOrEqual(4);
      expect(node.children.every((child) => Array.isArray(child.children))).toBe(true);
    }
  });

  it('gives each discriminated branch its own tag and fields, and keeps enums, bounds and formats', () => {
    const rows = fakeRows<Record<string, any>>(shapes, 40, 3);
    const kinds = new Set(rows.map((row) => row['shape'].kind));
    expect(kinds).toEqual(new Set(['circle', 'square']));
    for (const row of rows) {
      if (row['shape'].kind === 'circle') expect(row['shape'].radius).toBeGreaterThanOrEqual(1);
      else expect(Number.isInteger(row['shape'].side) && row['shape'].side <= 9).toBe(true);
      expect(['open', 'closed']).toContain(row['status']);
      expect(row['size'] > 0 && row['size'] <= 1 && (row['size'] * 4) % 1 === 0).toBe(true);
      expect(row['email']).toMatch(/^[a-z]+\.\d+@example\.com$/);
      expect(row['code']).toMatch(/^[A-Z]{3}-\d{2}$/);
      expect(row['id']).toBeGreaterThanOrEqual(10);
    }
  });

  it('is deterministic per seed, gives distinct keys, and applies overrides', () => {
    expect(fakeRows(shapes, 10, 5)).toEqual(fakeRows(shapes, 10, 5));
    expect(fakeRows(shapes, 10, 5)).not.toEqual(fakeRows(shapes, 10, 6));
    const words = fakeRows<Node>(tree, 200);
    expect(new Set(words.map((n) => n.id)).size).toBe(200);
    expect(fakeRow<Node>(tree, 1, { id: 'chosen' }).id).toBe('chosen');
  });

  // from the full corpus (codat.io accounting): allOf parts that are scalars made objects
  it('merges allOf parts that are not objects into the scalar they describe', () => {
    const model: FakeModel = {
      key: 'id',
      row: {
        type: 'object',
        required: ['id', 'currency', 'issued'],
        properties: {
          id: { type: 'string' },
          currency: { allOf: [{ $ref: '#/Currency' }, { type: 'null' }] },
          issued: { allOf: [{ description: 'when' } as never, { $ref: '#/DateTime' }] },
        },
      },
      definitions: {
        '#/Currency': { type: 'string', pattern: '^[A-Z]{3}$', sample: 'EUR' },
        '#/DateTime': { type: 'string', format: 'date-time' },
      },
    };
    for (const row of fakeRows<{ currency: unknown; issued: unknown }>(model, 20)) {
      expect(typeof row.currency).toBe('string');
      expect(row.issued).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    }
  });

  // from the corpus run of generated tests (azure logic, sinao.app, influxdata, amazonaws omics)
  it('gives rows their declared types and distinct keys within the key schema', () => {
    const model: FakeModel = {
      key: 'id',
      row: { $ref: '#/Row' },
      definitions: {
        '#/Row': {
          allOf: [{ $ref: '#/Base' }, { type: 'object', properties: { discount: { type: 'integer' } } }],
        },
        '#/Base': {
          type: 'object',
          required: ['id', 'content'],
          properties: {
            id: {
              type: 'string',
              pattern: '^[a-z]{2}[0-9]{3}$',
              sample: 'ab123',
              samples: ['ab123', 'cd456', 'ef789', 'gh012', 'ij345', 'kl678'],
            },
            // `properties` beside `type: string` (azure): a string all the same
            content: { type: 'string', properties: {} },
            discount: { type: 'object', properties: { amount: { type: 'integer' } } },
            short: { type: 'string', maxLength: 6 },
          },
        },
      },
    };
    const rows = fakeRows<Record<string, unknown>>(model, 6);
    expect(new Set(rows.map((r) => r['id'])).size).toBe(6);
    for (const row of rows) {
      expect(row['id']).toMatch(/^[a-z]{2}[0-9]{3}$/);
      expect(typeof row['content']).toBe('string');
      // an object in one allOf part, an integer in the other: no value fits both, so an optional one is left out
      expect(row).not.toHaveProperty('discount');
    }
    // a key behind allOf (aws: `allOf: [{ $ref: Id }, {}]`), or a union of two patterns (lucidtech):
    // never numbered out of its pattern; rows draw other samples instead
    for (const id of [
      { allOf: [{ $ref: '#/Id' }, {}] },
      {
        anyOf: [
          { type: 'string', pattern: '^a-[0-9]{2}$', samples: ['a-01', 'a-02', 'a-03'] },
          { type: 'string', pattern: '^b-[0-9]{2}$', samples: ['b-01', 'b-02', 'b-03'] },
        ],
      },
    ] as FakeSchema[]) {
      const wrapped: FakeModel = {
        key: 'id',
        row: { type: 'object', required: ['id'], properties: { id } },
        definitions: {
          '#/Id': {
            type: 'string',
            pattern: '^als-[0-9a-z]{3}$',
            maxLength: 7,
            samples: ['als-001', 'als-002', 'als-003', 'als-004'],
          },
        },
      };
      for (const row of fakeRows<{ id: string }>(wrapped, 4))
        expect(row.id).toMatch(/^(als-[0-9a-z]{3}|[ab]-[0-9]{2})$/);
    }
    // a key with a maximum length gets its number within it
    const short: FakeModel = {
      key: 'id',
      row: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 6 } } },
      definitions: {},
    };
    const keys = fakeRows<{ id: string }>(short, 40).map((r) => r.id);
    expect(new Set(keys).size).toBe(40);
    for (const key of keys) expect(key.length).toBeLessThanOrEqual(6);
  });

  it('reads int64 bounds past the safe integers as no bound (gsmtasks): values stay exact integers', () => {
    const model: FakeModel = {
      key: 'id',
      row: {
        type: 'object',
        required: ['id', 'position', 'floor'],
        properties: {
          id: { type: 'integer' },
          position: { type: 'integer', minimum: -9223372036854775808, maximum: 9223372036854775807 },
          floor: { type: 'integer', minimum: 5, maximum: 9223372036854775807 },
        },
      },
      definitions: {},
    };
    for (const row of fakeRows<{ position: number; floor: number }>(model, 5)) {
      expect(Number.isSafeInteger(row.position)).toBe(true);
      expect(Number.isSafeInteger(row.floor)).toBe(true);
      expect(row.floor).toBeGreaterThanOrEqual(5);
    }
  });
});
