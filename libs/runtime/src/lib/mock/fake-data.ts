/**
 * Deterministic fake data from a model's schema, for users' component tests and stories. The
 * generator hands over the schema as a `FakeModel` (the JSON Schema keywords that constrain values,
 * every `$ref` turned into a named definition) and this builds values from it: examples, enums,
 * formats and bounds first, readable words otherwise. The same seed gives the same values on every
 * machine; recursion ends (optional branches are dropped past a depth, nullable cycles end in null),
 * so a recursive or discriminated schema never crashes it.
 */
export interface FakeSchema {
  type?: string | string[];
  nullable?: boolean;
  const?: unknown;
  enum?: unknown[];
  examples?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  items?: FakeSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, FakeSchema>;
  required?: string[];
  oneOf?: FakeSchema[];
  anyOf?: FakeSchema[];
  allOf?: FakeSchema[];
  /** The name of a definition in `FakeModel.definitions`. */
  $ref?: string;
  /** A value the generator proved valid, used where a pattern defeats the builder's own strings. */
  sample?: unknown;
  /** Several such strings, distinct (rows pick among them: keys must differ). */
  samples?: string[];
  /**
   * No value is known to satisfy it: allOf parts that disagree (an object in one, an integer in
   * the other), or a pattern the generator found no string for. Rows leave it out where optional.
   */
  impossible?: boolean;
}

export interface FakeModel {
  /** The row's schema. */
  row: FakeSchema;
  definitions: Record<string, FakeSchema>;
  /** The key property: unique across the rows of one `fakeRows` call. */
  key: string;
  /** Properties the schema has but the row leaves out (fields x-sync keeps off the client). */
  omit?: string[];
}

/** Past this depth, objects get their required properties only and arrays their minimum length. */
const RICH_DEPTH = 2;
/** Past this depth, a value that cannot end (a required cycle) gives up with null. */
const MAX_DEPTH = 12;

/** One fake row. `seed` picks the variant; `overrides` replace what they name. */
export function fakeRow<T>(model: FakeModel, seed = 1, overrides?: Partial<T>): T {
  const value = { ...(new FakeBuilder(model.definitions, seed).value(model.row, 0, '') as Record<string, unknown>) };
  for (const name of model.omit ?? []) delete value[name];
  return { ...value, ...overrides } as T;
}

/** `count` fake rows with distinct keys, the same for the same seed. */
export function fakeRows<T>(model: FakeModel, count: number, seed = 1): T[] {
  const keySchema = flattened(fieldSchema(model, model.key), model);
  const rows: T[] = [];
  const seen = new Set<string>();
  for (let i = 0; rows.length < count; i++) {
    if (i > count * 20 + 100)
      throw new Error(`fakeRows: the schema of ${model.key} admits fewer than ${count} distinct keys`);
    const row = fakeRow<Record<string, unknown>>(model, seed * 100_003 + i);
    const id = keyOf(row[model.key]);
    if (seen.has(id)) {
      // Sequential integer keys read better than random ones, and cannot collide; a word key gets a
      // number where its schema admits one (else another row is drawn)
      const numbered =
        typeof row[model.key] === 'string'
          ? numberedKey(row[model.key] as string, rows.length + 1, keySchema)
          : undefined;
      if (Number.isInteger(row[model.key])) row[model.key] = nextFreeInteger(seen, model, rows.length + 1);
      else if (numbered !== undefined && !seen.has(keyOf(numbered))) row[model.key] = numbered;
      else continue;
    }
    seen.add(keyOf(row[model.key]));
    rows.push(row as T);
  }
  return rows;
}

/** `value-n`, cut to the key's maximum length; undefined where the key's schema refuses it (a pattern). */
function numberedKey(value: string, n: number, schema: FakeSchema | undefined): string | undefined {
  const suffix = `-${n}`;
  const max = schema?.maxLength ?? Infinity;
  const numbered = [...value].slice(0, Math.max(0, max - suffix.length)).join('') + suffix;
  // listed values, or a union of kinds (two patterns, aws' ids): a number fits none surely
  if (schema && (schema.enum !== undefined || 'const' in schema || schema.oneOf || schema.anyOf)) return undefined;
  return !schema || fits(schema, numbered) ? numbered : undefined;
}

/** A field's own schema in the row (through `$ref`s and allOf parts), as far as fake rows and mocks need it. */
export function fieldSchema(model: FakeModel, name: string): FakeSchema | undefined {
  const seen = new Set<string>();
  const find = (schema: FakeSchema | undefined): FakeSchema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref !== undefined) {
      if (seen.has(schema.$ref)) return undefined;
      seen.add(schema.$ref);
      return find(model.definitions[schema.$ref]);
    }
    const own = schema.properties?.[name];
    if (own) return own.$ref !== undefined ? (find(own) ?? model.definitions[own.$ref]) : own;
    for (const part of schema.allOf ?? []) {
      const found = find(part);
      if (found) return found;
    }
    return undefined;
  };
  return find(model.row);
}

/** A schema with its `$ref` followed and its allOf parts merged (aws: `allOf: [{ $ref: Id }, { description }]`). */
function flattened(schema: FakeSchema | undefined, model: FakeModel, hops = 0): FakeSchema | undefined {
  if (!schema || hops > 16) return schema;
  if (schema.$ref !== undefined) return flattened(model.definitions[schema.$ref], model, hops + 1);
  if (!schema.allOf?.length) return schema;
  const { allOf, ...rest } = schema;
  return allOf.reduce<FakeSchema>((merged, part) => mergeTwo(merged, flattened(part, model, hops + 1) ?? {}), rest);
}

function keyOf(value: unknown): string {
  return typeof value === 'string' ? `s:${value}` : `v:${JSON.stringify(value)}`;
}

function nextFreeInteger(seen: Set<string>, model: FakeModel, from: number): number {
  const bounds = model.row.properties?.[model.key];
  let n = Math.max(from, typeof bounds?.minimum === 'number' ? bounds.minimum : 1);
  while (seen.has(keyOf(n))) n++;
  return n;
}

/** mulberry32: tiny, fast and the same everywhere; enough for test data, never for secrets. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'amber',
  'birch',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'grove',
  'harbor',
  'iris',
  'juniper',
  'kestrel',
  'lumen',
  'maple',
  'nectar',
  'orbit',
  'pebble',
  'quartz',
  'river',
  'sierra',
  'tundra',
  'umber',
  'violet',
  'willow',
  'zephyr',
];

class FakeBuilder {
  private readonly next: () => number;

  constructor(
    private readonly definitions: Record<string, FakeSchema>,
    seed: number,
  ) {
    this.next = random(seed);
  }

  private int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)];
  }

  value(schema: FakeSchema, depth: number, name: string, path: readonly string[] = []): unknown {
    if (schema.$ref !== undefined) {
      const target = this.definitions[schema.$ref];
      if (!target) return null;
      // A cycle ends at the first nullable point once the value is deep enough.
      if (
        path.includes(schema.$ref) &&
        depth >= RICH_DEPTH &&
        (schema.nullable || target.nullable || allowsNull(target))
      )
        return null;
      if (depth > MAX_DEPTH) return null;
      return this.value(target, depth, name, [...path, schema.$ref]);
    }
    if (depth > MAX_DEPTH) return null;
    if ('const' in schema) return schema.const;
    if (schema.enum?.length) {
      const values = schema.enum.filter((v) => v !== null);
      return values.length ? this.pick(values) : null;
    }
    if (schema.examples?.length && this.next() < 0.5) return this.pick(schema.examples);
    const union = schema.oneOf ?? schema.anyOf;
    if (union?.length) return this.union(schema, union, depth, name, path);
    if (schema.allOf?.length) return this.value(this.merge(schema), depth, name, path);
    if (schema.impossible) return null;
    const types = typesOf(schema);
    // properties beside another declared type (`{ type: string, properties: {} }`) do not make an object
    if (types.includes('object') || (schema.properties && types.every((t) => t === 'null')))
      return this.object(schema, depth, path);
    const type = types.find((t) => t !== 'null') ?? (types.includes('null') ? 'null' : undefined);
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return this.next() < 0.5;
      case 'integer':
      case 'number':
        return this.number(schema, type === 'integer');
      case 'string':
        return this.string(schema, name);
      case 'array':
        return this.array(schema, depth, name, path);
      default:
        return schema.sample !== undefined ? schema.sample : this.pick(WORDS);
    }
  }

  private union(
    schema: FakeSchema,
    branches: FakeSchema[],
    depth: number,
    name: string,
    path: readonly string[],
  ): unknown {
    const { oneOf: _one, anyOf: _any, ...siblings } = schema;
    const concrete = branches.filter((b) => !isNullBranch(b));
    // Deep in a cycle, prefer the branches that cannot recurse.
    const candidates =
      depth >= RICH_DEPTH && concrete.some((b) => b.$ref === undefined)
        ? concrete.filter((b) => b.$ref === undefined)
        : concrete;
    if (!candidates.length) return null;
    const branch = this.pick(candidates);
    // what the schema says beside the union holds for every branch (influxdata's DBRP: properties
    // beside a oneOf of required lists)
    const shared = Object.keys(siblings).some(
      (k) => k !== 'type' && k !== 'nullable' && k !== 'examples' && k !== 'sample' && k !== 'samples',
    );
    if (shared) return this.value({ allOf: [siblings, branch] }, depth, name, path);
    const inherited: FakeSchema =
      branch.$ref === undefined && branch.type === undefined && siblings.type !== undefined
        ? { ...branch, type: siblings.type }
        : branch;
    return this.value(inherited, depth, name, path);
  }

  private merge(schema: FakeSchema): FakeSchema {
    const { allOf, ...rest } = schema;
    let merged: FakeSchema = {};
    for (const part of allOf ?? []) {
      const resolved = part.$ref !== undefined ? (this.definitions[part.$ref] ?? {}) : part;
      merged = mergeTwo(merged, resolved.allOf ? this.merge(resolved) : resolved);
    }
    return mergeTwo(merged, rest);
  }

  private object(schema: FakeSchema, depth: number, path: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const required = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (!required.has(name) && (depth >= RICH_DEPTH || this.isImpossible(property))) continue;
      out[name] = this.value(property, depth + 1, name, path);
    }
    for (const name of required) if (!(name in out)) out[name] = this.pick(WORDS);
    return out;
  }

  /** A property no value can have (its allOf parts disagree): left out where optional. */
  private isImpossible(schema: FakeSchema, hops = 0): boolean {
    if (schema.$ref !== undefined) {
      const target = this.definitions[schema.$ref];
      return target !== undefined && hops < 16 && this.isImpossible(target, hops + 1);
    }
    return schema.impossible === true || (schema.allOf !== undefined && this.merge(schema).impossible === true);
  }

  private array(schema: FakeSchema, depth: number, name: string, path: readonly string[]): unknown[] {
    const min = schema.minItems ?? 0;
    const max = Math.max(min, schema.maxItems ?? min + 3);
    const length = depth >= RICH_DEPTH ? min : this.int(Math.min(min + 1, max), Math.min(max, min + 3));
    const items: unknown[] = [];
    const seen = new Set<string>();
    for (let attempt = 0; items.length < length && attempt < length * 10; attempt++) {
      const item = schema.items ? this.value(schema.items, depth + 1, name, path) : this.pick(WORDS);
      const id = JSON.stringify(item);
      if (schema.uniqueItems && seen.has(id)) continue;
      seen.add(id);
      items.push(item);
    }
    return items;
  }

  private number(schema: FakeSchema, integer: boolean): number {
    let low = typeof schema.minimum === 'number' ? schema.minimum : undefined;
    let high = typeof schema.maximum === 'number' ? schema.maximum : undefined;
    const step = integer ? 1 : 0.01;
    if (typeof schema.exclusiveMinimum === 'number') low = Math.max(low ?? -Infinity, schema.exclusiveMinimum + step);
    else if (schema.exclusiveMinimum === true && low !== undefined) low += step;
    if (typeof schema.exclusiveMaximum === 'number') high = Math.min(high ?? Infinity, schema.exclusiveMaximum - step);
    else if (schema.exclusiveMaximum === true && high !== undefined) high -= step;
    // int64's bounds (±9.2e18, gsmtasks) say "any integer": past the safe range, no bound (zod's int refuses unsafe integers)
    if (low !== undefined && low < Number.MIN_SAFE_INTEGER) low = undefined;
    if (high !== undefined && high > Number.MAX_SAFE_INTEGER) high = undefined;
    const from = low ?? (high !== undefined ? Math.min(0, high - 1000) : 0);
    const to = high ?? from + 1000;
    const multiple = schema.multipleOf && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : 0;
    if (multiple) {
      const first = Math.ceil(from / multiple);
      const last = Math.floor(to / multiple);
      if (last < first) return typeof schema.sample === 'number' ? schema.sample : from;
      const value = this.int(first, Math.min(last, first + 1000)) * multiple;
      return integer ? Math.round(value) : Number(value.toFixed(10));
    }
    const exact = from + this.next() * (to - from);
    const rounded = Math.round(exact * 100) / 100;
    return rounded >= from && rounded <= to ? rounded : exact;
  }

  private string(schema: FakeSchema, name: string): string {
    const value = this.formatted(schema.format) ?? this.text(schema, name);
    if (fits(schema, value)) return value;
    if (schema.samples?.length) return this.pick(schema.samples);
    // the generator's sample may be null: a nullable string no string of which it could find
    return typeof schema.sample === 'string' || schema.sample === null ? (schema.sample as string) : value;
  }

  private formatted(format: string | undefined): string | undefined {
    const hex = (n: number) => Array.from({ length: n }, () => this.int(0, 15).toString(16)).join('');
    const day = () => new Date(Date.UTC(2026, 0, 1) + this.int(0, 364) * 86_400_000 + this.int(0, 86_399) * 1000);
    switch (format) {
      case 'uuid':
        return `${hex(8)}-${hex(4)}-4${hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
      case 'email':
        return `${this.pick(WORDS)}.${this.int(1, 999)}@example.com`;
      case 'date-time':
        return day().toISOString();
      case 'date':
        return day().toISOString().slice(0, 10);
      case 'time':
        return day().toISOString().slice(11, 19);
      case 'uri':
      case 'url':
        return `https://example.com/${this.pick(WORDS)}/${this.int(1, 999)}`;
      case 'hostname':
        return `${this.pick(WORDS)}.example.com`;
      case 'ipv4':
        return `192.0.2.${this.int(1, 254)}`;
      case 'ipv6':
        return `2001:db8::${this.int(1, 0xffff).toString(16)}`;
      case 'byte':
        return btoa(this.pick(WORDS));
      default:
        return undefined;
    }
  }

  private text(schema: FakeSchema, name: string): string {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? Infinity;
    const words = /desc|note|comment|body|text|summary|content/i.test(name)
      ? this.int(4, 8)
      : /name|title|label/i.test(name)
        ? 2
        : 1;
    let text = Array.from({ length: words }, () => this.pick(WORDS)).join(' ');
    if (words === 2) text = text.replace(/^\w/, (c) => c.toUpperCase());
    while (text.length < min) text += ` ${this.pick(WORDS)}`;
    return text.length > max
      ? text
          .slice(0, max)
          .trimEnd()
          .padEnd(Math.min(max, Math.max(min, 1)), 'x')
      : text;
  }
}

function fits(schema: FakeSchema, value: string): boolean {
  const length = [...value].length;
  if (length < (schema.minLength ?? 0) || length > (schema.maxLength ?? Infinity)) return false;
  if (schema.pattern === undefined) return true;
  try {
    return new RegExp(schema.pattern).test(value);
  } catch {
    return true;
  }
}

/**
 * Two parts of an allOf as one schema. Properties and required names only when there are some (an
 * empty `properties` would make a string an object), and a `type: null` part does not erase the
 * other part's type (`allOf: [{ $ref: Currency }, { type: null }]` is how some specs say nullable).
 */
function mergeTwo(into: FakeSchema, part: FakeSchema): FakeSchema {
  const merged: FakeSchema = { ...into, ...part };
  if (part.type === 'null' && into.type !== undefined) merged.type = into.type;
  if (disjointTypes(into, part)) merged.impossible = true;
  if (into.properties || part.properties) {
    merged.properties = { ...into.properties, ...part.properties };
    // a property both parts declare must satisfy both
    for (const name of Object.keys(into.properties ?? {}))
      if (part.properties?.[name]) merged.properties[name] = { allOf: [into.properties![name], part.properties[name]] };
  }
  if (into.required || part.required) merged.required = [...(into.required ?? []), ...(part.required ?? [])];
  return merged;
}

/** Both declare types, and no value has one of each (integer is a number; a `null` part means nullable, see above). */
function disjointTypes(a: FakeSchema, b: FakeSchema): boolean {
  const values = (schema: FakeSchema) =>
    new Set(
      typesOf(schema)
        .filter((t) => t !== 'null')
        .flatMap((t) => (t === 'integer' ? ['integer', 'number'] : t === 'number' ? ['number', 'integer'] : [t])),
    );
  const first = values(a);
  const second = values(b);
  if (!first.size || !second.size) return false;
  return ![...first].some((t) => second.has(t));
}

function typesOf(schema: FakeSchema): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : [];
}

function allowsNull(schema: FakeSchema): boolean {
  return typesOf(schema).includes('null') || (schema.oneOf ?? schema.anyOf ?? []).some(isNullBranch);
}

function isNullBranch(schema: FakeSchema): boolean {
  return schema.type === 'null' || (schema.enum?.length === 1 && schema.enum[0] === null);
}
