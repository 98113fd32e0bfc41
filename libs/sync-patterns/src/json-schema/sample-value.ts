import type { JsonSchema } from '../model/ir';
import { deref, isObject, objectShape, propertyFlag } from '../model/schema-utils';
import { child } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import { discriminatorTags, hiddenDiscriminatorProperties, type DiscriminatorTags } from './discriminator-tags';
import { patternCheck, vouchedFor } from '../openapi/spec-pattern';
import { patternSample } from './pattern-sample';

/**
 * Deterministic sample values for generated tests: the smallest value a schema accepts, built from
 * what it declares (const, enum, formats, bounds, patterns, required properties). Where no value
 * can be found (an unsatisfiable pattern, a required cycle), the answer is NO_SAMPLE and the test
 * that would need it is not generated — a generated test never asserts on a guessed value.
 */
export const NO_SAMPLE: unique symbol = Symbol('no sample');
export type Sample = unknown;

export interface SampleOptions {
  /** `write`: leave readOnly properties out (a request body); `read`: leave writeOnly ones out unless required. */
  direction: 'read' | 'write';
  /** 0 for the first sample; 1 gives a different value wherever the schema allows one (a patch that changes something). */
  variant?: 0 | 1;
}

const MAX_DEPTH = 8;

/** Names every object literal already has, inherited from Object.prototype. */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

export function sampleOf(
  document: OpenApiDocument,
  schema: unknown,
  pointer: string,
  options: SampleOptions,
): Sample | typeof NO_SAMPLE {
  return new Sampler(document, options).value(schema, pointer, 0, new Set());
}

/** The properties of an object sample, one by one, for building a patch that changes one field. */
export function propertySamples(
  document: OpenApiDocument,
  schema: unknown,
  pointer: string,
  options: SampleOptions,
): Map<string, Sample> {
  // The properties are the body's; objects inside them are nested, so their readOnly fields stay.
  const sampler = new Sampler(document, options, false);
  const located = deref(document, schema, pointer);
  // A discriminator tag is fixed by the type: it is never the property a patch may change.
  const tags = (located && discriminatorTags(document).get(located.pointer)) || {};
  const out = new Map<string, Sample>();
  for (const [name, prop] of objectShape(document, schema, pointer).properties) {
    if (options.direction === 'write' && propertyFlag(document, prop, 'readOnly')) continue;
    if (name in tags) continue;
    const value = sampler.value(prop.schema, prop.pointer, 1, new Set());
    if (value !== NO_SAMPLE) out.set(name, value);
  }
  return out;
}

class Sampler {
  private uuids = 0;
  private readonly tags: DiscriminatorTags;
  private readonly hidden: (pointer: string) => ReadonlySet<string>;

  constructor(
    private readonly document: OpenApiDocument,
    private readonly options: SampleOptions,
    /** readOnly is left out of the body itself only: generated input types omit top-level fields. */
    private atRoot = true,
  ) {
    this.tags = discriminatorTags(document);
    this.hidden = hiddenDiscriminatorProperties(document);
  }

  private get variant(): number {
    return this.options.variant ?? 0;
  }

  value(schema: unknown, pointer: string, depth: number, path: Set<string>): Sample | typeof NO_SAMPLE {
    if (schema === true || (isObject(schema) && Object.keys(schema).length === 0)) return 'sample';
    if (!isObject(schema) || depth > MAX_DEPTH) return NO_SAMPLE;
    if (typeof schema['$ref'] === 'string') {
      const located = deref(this.document, schema, pointer);
      if (!located) return NO_SAMPLE;
      // A cycle can only be closed by null or an empty collection; the caller decides.
      if (path.has(located.pointer))
        return isNullableSchema(schema) || isNullableSchema(located.schema) ? null : NO_SAMPLE;
      const inner = new Set(path).add(located.pointer);
      const value = this.value(located.schema, located.pointer, depth + 1, inner);
      return value === NO_SAMPLE && isNullableSchema(schema) ? null : value;
    }
    const value = this.plain(schema, pointer, depth, path);
    return value === NO_SAMPLE && isNullableSchema(schema) ? null : value;
  }

  private plain(schema: JsonSchema, pointer: string, depth: number, path: Set<string>): Sample | typeof NO_SAMPLE {
    if ('const' in schema) return schema['const'];
    if (Array.isArray(schema['enum'])) {
      const values = schema['enum'].filter((v) => v !== null);
      if (!values.length) return schema['enum'].length ? null : NO_SAMPLE;
      return values[Math.min(this.variant, values.length - 1)];
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches) && branches.length)
        return this.union(schema, branches, child(pointer, key), depth, path);
    }
    if (Array.isArray(schema['allOf']) && !this.isObjectLike(schema)) {
      // `allOf: [{ type: string }, { nullable: false }]`: constraints on one scalar, merged.
      return this.value(this.flattenAllOf(schema, pointer), pointer, depth + 1, path);
    }
    const types = typesOf(schema);
    if (this.isObjectLike(schema)) return this.object(schema, pointer, depth, path);
    // a malformed `type` (an object, from a spec that meant a property named "type"): openapi-typescript
    // types the schema as an object that may hold anything, and the validator accepts anything
    if (schema['type'] !== undefined && typeof schema['type'] !== 'string' && !Array.isArray(schema['type'])) return {};
    for (const type of types) {
      const value = this.typed(type, schema, pointer, depth, path);
      if (value !== NO_SAMPLE) return value;
    }
    if (types.length === 0) return 'sample';
    return NO_SAMPLE;
  }

  private isObjectLike(schema: JsonSchema, depth = 0): boolean {
    if (
      typesOf(schema).includes('object') ||
      isObject(schema['properties']) ||
      isObject(schema['additionalProperties'])
    )
      return true;
    const parts = schema['allOf'];
    if (!Array.isArray(parts) || depth > 8) return false;
    return parts.some((part) => {
      const located = deref(this.document, part, '#');
      return located !== undefined && this.isObjectLike(located.schema, depth + 1);
    });
  }

  private flattenAllOf(schema: JsonSchema, pointer: string): JsonSchema {
    const { allOf, ...rest } = schema;
    const merged: JsonSchema = {};
    for (const part of allOf as unknown[]) {
      const located = deref(this.document, part, pointer);
      if (located)
        Object.assign(
          merged,
          Array.isArray(located.schema['allOf']) ? this.flattenAllOf(located.schema, located.pointer) : located.schema,
        );
    }
    return { ...merged, ...rest };
  }

  private union(schema: JsonSchema, branches: unknown[], pointer: string, depth: number, path: Set<string>) {
    const order = branches.map((b, i) => ({ b, i })).sort((x, y) => Number(isNullType(x.b)) - Number(isNullType(y.b)));
    for (const { b, i } of order) {
      const merged = mergeSiblings(b, schema);
      const value = this.value(merged, child(pointer, i), depth + 1, path);
      if (value !== NO_SAMPLE) return value;
    }
    return NO_SAMPLE;
  }

  private object(schema: JsonSchema, pointer: string, depth: number, path: Set<string>) {
    const shape = objectShape(this.document, schema, pointer);
    const out: Record<string, Sample> = {};
    const root = this.atRoot;
    this.atRoot = false;
    const hidden = this.hidden(pointer);
    for (const [name, prop] of shape.properties) {
      if (hidden.has(name)) continue; // not in the generated type (see hiddenDiscriminatorProperties)
      // An optional property named like an Object member (constructor, toString…) is set anyway: a
      // literal without it has the inherited member, which TypeScript checks against its type.
      if (!shape.required.has(name) && !PROTOTYPE_NAMES.has(name)) continue;
      if (root && this.options.direction === 'write' && propertyFlag(this.document, prop, 'readOnly')) continue;
      const value = this.value(prop.schema, prop.pointer, depth + 1, path);
      if (value === NO_SAMPLE && !shape.required.has(name)) continue;
      if (value === NO_SAMPLE) return NO_SAMPLE;
      out[name] = value;
    }
    // Required names without a declared property: openapi-typescript leaves them out of the type,
    // so a literal may carry them only where the type takes any property (additionalProperties: true or {}).
    const additional = schema['additionalProperties'];
    if (additional === true || (isObject(additional) && Object.keys(additional).length === 0)) {
      for (const name of shape.required) if (!(name in out) && !shape.properties.has(name)) out[name] = 'sample';
    }
    // A discriminated type's tag is pinned to a literal by openapi-typescript; the sample carries it.
    const tags = this.tags.get(pointer);
    return tags ? { ...out, ...tags } : out;
  }

  private typed(
    type: string,
    schema: JsonSchema,
    pointer: string,
    depth: number,
    path: Set<string>,
  ): Sample | typeof NO_SAMPLE {
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return this.variant === 0;
      case 'integer':
      case 'number':
        return numberSample(schema, type === 'integer', this.variant);
      case 'string':
        return this.string(schema);
      case 'array': {
        const min = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
        if (min === 0) return [];
        const item = this.value(schema['items'], child(pointer, 'items'), depth + 1, path);
        return item === NO_SAMPLE || min > 16 ? NO_SAMPLE : Array.from({ length: min }, () => item);
      }
      default:
        return NO_SAMPLE;
    }
  }

  private string(schema: JsonSchema): string | typeof NO_SAMPLE {
    const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
    const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
    // a pattern RE2 cannot run vouches for no value: no sample, so no test asserts on a guess
    if (typeof schema['pattern'] === 'string' && patternCheck(schema['pattern']).kind === 'unchecked') return NO_SAMPLE;
    const fits = (s: string) => [...s].length >= min && [...s].length <= max && vouchedFor(schema['pattern'], s);
    const format = typeof schema['format'] === 'string' ? schema['format'] : '';
    const formatted = this.formatSample(format);
    if (formatted !== undefined) return fits(formatted) ? formatted : NO_SAMPLE;
    const letter = this.variant === 0 ? 'x' : 'y';
    const base = letter.repeat(Math.max(min, 1));
    const candidates = [
      base,
      ...PATTERN_CANDIDATES,
      ...PATTERN_CANDIDATES.map((c) => c.repeat(Math.max(1, Math.ceil(min / c.length)))),
    ];
    const found = candidates.find(fits);
    if (found !== undefined || typeof schema['pattern'] !== 'string') return found ?? NO_SAMPLE;
    return patternSample(schema['pattern'], fits, this.variant) ?? NO_SAMPLE;
  }

  private formatSample(format: string): string | undefined {
    switch (format) {
      case 'uuid':
        return `00000000-0000-4000-8000-${String(++this.uuids + this.variant * 100).padStart(12, '0')}`;
      case 'email':
        return this.variant === 0 ? 'sample@example.com' : 'other@example.com';
      case 'date-time':
        return this.variant === 0 ? '2026-01-02T03:04:05.000Z' : '2026-02-03T04:05:06.000Z';
      case 'date':
        return this.variant === 0 ? '2026-01-02' : '2026-02-03';
      case 'time':
        return '03:04:05';
      case 'uri':
      case 'url':
        return 'https://example.com/sample';
      case 'ipv4':
        return '192.0.2.1';
      case 'ipv6':
        return '2001:db8::1';
      default:
        return undefined;
    }
  }
}

const PATTERN_CANDIDATES = [
  'a',
  'A',
  '1',
  'a1',
  'Aa1',
  'abc',
  'ABC',
  '123',
  'a-b',
  'a_b',
  'a.b',
  '0',
  'https://example.com',
  'sample@example.com',
  '00000000-0000-4000-8000-000000000001',
  '2026-01-02',
  '#000000',
  '+10000000000',
  '1.0.0',
];

function numberSample(schema: JsonSchema, integer: boolean, variant: number): number | typeof NO_SAMPLE {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema as Record<string, unknown>;
  let low = -Infinity;
  let high = Infinity;
  if (typeof minimum === 'number') low = exclusiveMinimum === true ? nextUp(minimum, integer) : minimum;
  if (typeof exclusiveMinimum === 'number') low = Math.max(low, nextUp(exclusiveMinimum, integer));
  if (typeof maximum === 'number') high = exclusiveMaximum === true ? nextDown(maximum, integer) : maximum;
  if (typeof exclusiveMaximum === 'number') high = Math.min(high, nextDown(exclusiveMaximum, integer));
  // int64's bounds (±9.2e18) say "any integer": past the safe range, no bound (the validators refuse unsafe integers)
  if (low < Number.MIN_SAFE_INTEGER) low = -Infinity;
  if (high > Number.MAX_SAFE_INTEGER) high = Infinity;
  const step = typeof multipleOf === 'number' && multipleOf > 0 ? multipleOf : integer ? 1 : 0;
  let value = Number.isFinite(low) ? low : Math.min(1, high);
  if (integer) value = Math.ceil(value);
  if (step) value = Math.ceil(value / step) * step;
  if (variant === 1 && value + (step || 1) <= high) value += step || 1;
  return value <= high && value >= low && Number.isFinite(value) ? value : NO_SAMPLE;
}

const nextUp = (n: number, integer: boolean) => (integer ? Math.floor(n) + 1 : n + Math.max(Math.abs(n) * 1e-9, 1e-6));
const nextDown = (n: number, integer: boolean) => (integer ? Math.ceil(n) - 1 : n - Math.max(Math.abs(n) * 1e-9, 1e-6));

function typesOf(schema: JsonSchema): string[] {
  const type = schema['type'];
  const list = Array.isArray(type) ? type : typeof type === 'string' ? [type] : [];
  // Non-null types first: a sample that says something beats null.
  return list
    .filter((t): t is string => typeof t === 'string')
    .sort((a, b) => Number(a === 'null') - Number(b === 'null'));
}

function isNullType(schema: unknown): boolean {
  return (
    isObject(schema) &&
    (schema['type'] === 'null' ||
      (Array.isArray(schema['enum']) && schema['enum'].length === 1 && schema['enum'][0] === null))
  );
}

function isNullableSchema(schema: JsonSchema): boolean {
  const type = schema['type'];
  return schema['nullable'] === true || (Array.isArray(type) && type.includes('null'));
}

/** `{ type: object, oneOf: [...] }`: a branch inherits the type its parent states next to the union. */
function mergeSiblings(branch: unknown, parent: JsonSchema): unknown {
  if (
    !isObject(branch) ||
    typeof branch['$ref'] === 'string' ||
    branch['type'] !== undefined ||
    parent['type'] === undefined
  )
    return branch;
  return { ...branch, type: parent['type'] };
}
