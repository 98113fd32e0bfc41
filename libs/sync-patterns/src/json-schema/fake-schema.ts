import type { JsonSchema, SyncApi, SyncModel } from '../model/ir';
import { deref, isObject, propertyFlag } from '../model/schema-utils';
import { child } from '../openapi/json-pointer';
import { discriminatorTags } from './discriminator-tags';
import { patternSamples } from './pattern-sample';
import { compiles } from '../openapi/js-pattern';
import { patternCheck } from '../openapi/spec-pattern';
import { NO_SAMPLE, sampleOf } from './sample-value';

/**
 * What the runtime's fake-data builder reads (its `FakeSchema`): the keywords of a schema that
 * constrain values, nothing else (no descriptions, no titles), with every `$ref` turned into a
 * named definition so that recursion stays a reference instead of an endless tree. Definitions are
 * shared by all models of an api (the core library holds them once), keyed by JSON pointer.
 */
export type FakeSchema = Record<string, unknown>;

const SCALAR_KEYWORDS = [
  'type',
  'nullable',
  'const',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
] as const;

/** Pointer → schema, for every definition some model's row reaches: what the core library prints. */
export function fakeDefinitions(api: SyncApi): Record<string, FakeSchema> {
  const builder = new FakeSchemaBuilder(api);
  for (const model of api.models) builder.row(model);
  return builder.sortedDefinitions();
}

/** A model's row schema, as its library prints it: a reference to its definition in the core library. */
export function fakeRow(api: SyncApi, model: SyncModel): FakeSchema {
  return new FakeSchemaBuilder(api, { shallow: true }).row(model);
}

/**
 * The one definition `pointer` has among fakeDefinitions', computed alone. Exact for a schema whose
 * definition depends on no other (incremental/document-units.ts, `inert`: no discriminator tags).
 */
export function fakeDefinitionOf(api: SyncApi, pointer: string, schema: JsonSchema): FakeSchema {
  return new FakeSchemaBuilder(api, { shallow: true }).definitionOf(pointer, schema);
}

class FakeSchemaBuilder {
  private readonly definitions = new Map<string, FakeSchema>();
  private readonly tags: ReturnType<typeof discriminatorTags>;
  private readonly shallow: boolean;

  /** `shallow`: the definitions a schema refers to are not built (one schema's own, or a row's reference). */
  constructor(
    private readonly api: SyncApi,
    options: { shallow?: boolean } = {},
  ) {
    this.shallow = options.shallow === true;
    this.tags = this.shallow ? new Map() : discriminatorTags(api.document);
  }

  /** The row's schema: a reference to its definition (the fields x-sync keeps off the client are the model's `omit`). */
  row(model: SyncModel): FakeSchema {
    const row = this.convert({ $ref: model.schemaPointer }, model.schemaPointer);
    this.drain();
    return row;
  }

  definitionOf(pointer: string, schema: JsonSchema): FakeSchema {
    return this.plain(schema, pointer);
  }

  sortedDefinitions(): Record<string, FakeSchema> {
    return Object.fromEntries([...this.definitions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private convert(schema: unknown, pointer: string): FakeSchema {
    if (!isObject(schema)) return {};
    if (typeof schema['$ref'] === 'string') {
      const located = deref(this.api.document, schema, pointer);
      if (!located) return {};
      this.define(located.pointer, located.schema);
      const out: FakeSchema = { $ref: located.pointer };
      if (schema['nullable'] === true) out['nullable'] = true;
      return out;
    }
    return this.plain(schema, pointer);
  }

  /** Definitions met but not built yet: built one by one (drain), so a long `$ref` chain is a loop, not a recursion that ends the stack. */
  private readonly pending: [string, JsonSchema][] = [];

  private define(pointer: string, schema: JsonSchema): void {
    if (this.shallow || this.definitions.has(pointer)) return;
    this.definitions.set(pointer, {}); // a placeholder first: a cycle back here stops at the $ref
    this.pending.push([pointer, schema]);
  }

  private drain(): void {
    for (let next = this.pending.pop(); next; next = this.pending.pop()) this.build(...next);
  }

  private build(pointer: string, schema: JsonSchema): void {
    const converted = this.plain(schema, pointer);
    const tags = this.tags.get(pointer);
    if (tags) {
      // openapi-typescript pins the discriminator to a literal; the fake value must carry it.
      const properties = { ...(converted['properties'] as Record<string, FakeSchema> | undefined) };
      for (const [name, value] of Object.entries(tags)) properties[name] = { const: value };
      converted['properties'] = properties;
      converted['required'] = [
        ...new Set([...((converted['required'] as string[] | undefined) ?? []), ...Object.keys(tags)]),
      ];
    }
    this.definitions.set(pointer, converted);
  }

  private plain(schema: JsonSchema, pointer: string): FakeSchema {
    const out: FakeSchema = {};
    // only values of the shape each keyword has (real specs hold `type: { description }` and worse)
    for (const keyword of SCALAR_KEYWORDS)
      if (schema[keyword] !== undefined && wellFormed(keyword, schema[keyword])) out[keyword] = schema[keyword];
    const examples = scalarExamples(schema);
    if (examples.length) out['examples'] = examples;
    if (typeof schema['pattern'] === 'string') {
      const sample = sampleOf(this.api.document, schema, pointer, { direction: 'read' });
      if (sample !== NO_SAMPLE) out['sample'] = sample;
      // several, so rows can differ where the builder's own strings never match (a key must)
      const samples = typeof sample === 'string' ? stringSamples(schema, sample) : [];
      if (samples.length > 1) out['samples'] = samples;
      // no value found (`/^[0-9]{4}[a-z]$/i` with its slashes, sinao.app: none exists), or none the generator
      // can vouch for (a pattern RE2 cannot run): rows leave it out where they may
      if (sample === NO_SAMPLE && compiles(schema['pattern'])) out['impossible'] = true;
    }
    // a map without `type` (`{ additionalProperties: { $ref } }`): an object, as its validator says
    if (
      schema['type'] === undefined &&
      schema['properties'] === undefined &&
      (isObject(schema['additionalProperties']) || schema['additionalProperties'] === true)
    )
      out['type'] = 'object';
    if (schema['items'] !== undefined) out['items'] = this.convert(schema['items'], child(pointer, 'items'));
    if (isObject(schema['properties'])) {
      const properties: Record<string, FakeSchema> = {};
      for (const [name, property] of Object.entries(schema['properties'])) {
        const at = child(pointer, 'properties', name);
        // A row is read: what only clients send never comes back.
        if (propertyFlag(this.api.document, { schema: property as JsonSchema, pointer: at }, 'writeOnly')) continue;
        properties[name] = this.convert(property, at);
      }
      out['properties'] = properties;
    }
    if (Array.isArray(schema['required']))
      out['required'] = schema['required'].filter(
        (name): name is string => typeof name === 'string' && !this.isWriteOnly(schema, pointer, name),
      );
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) out[key] = branches.map((branch, i) => this.convert(branch, child(pointer, key, i)));
    }
    return out;
  }

  private isWriteOnly(schema: JsonSchema, pointer: string, name: string): boolean {
    const properties = schema['properties'];
    if (!isObject(properties) || !isObject(properties[name])) return false;
    return propertyFlag(
      this.api.document,
      { schema: properties[name] as JsonSchema, pointer: child(pointer, 'properties', name) },
      'writeOnly',
    );
  }
}

/** OpenAPI 3.0 `example` and 3.1 `examples`, scalars only, and only those the schema's own bounds admit. */
function scalarExamples(schema: JsonSchema): unknown[] {
  const all = [
    ...(Array.isArray(schema['examples']) ? schema['examples'] : []),
    ...('example' in schema ? [schema['example']] : []),
  ];
  return all.filter((value) => fitsScalar(schema, value));
}

function fitsScalar(schema: JsonSchema, value: unknown): boolean {
  const types = Array.isArray(schema['type']) ? schema['type'] : [schema['type']];
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) return false;
  if (typeof value === 'string') {
    if (!types.includes('string') || schema['format'] !== undefined) return false;
    const length = [...value].length;
    if (typeof schema['minLength'] === 'number' && length < schema['minLength']) return false;
    if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) return false;
    // an example is kept only where the pattern was run on it (linear time: spec-pattern.ts)
    return typeof schema['pattern'] !== 'string' || linearTest(schema['pattern'], value);
  }
  if (typeof value === 'number') {
    if (!(types.includes('number') || (types.includes('integer') && Number.isInteger(value)))) return false;
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) return false;
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) return false;
    if (typeof schema['exclusiveMinimum'] === 'number' && value <= schema['exclusiveMinimum']) return false;
    if (typeof schema['exclusiveMaximum'] === 'number' && value >= schema['exclusiveMaximum']) return false;
    return (
      schema['exclusiveMinimum'] !== true && schema['exclusiveMaximum'] !== true && schema['multipleOf'] === undefined
    );
  }
  return typeof value === 'boolean' && types.includes('boolean');
}

function wellFormed(keyword: (typeof SCALAR_KEYWORDS)[number], value: unknown): boolean {
  switch (keyword) {
    case 'type':
      return typeof value === 'string' || (Array.isArray(value) && value.every((t) => typeof t === 'string'));
    case 'enum':
      return Array.isArray(value);
    case 'format':
    case 'pattern':
      return typeof value === 'string';
    case 'nullable':
    case 'uniqueItems':
      return typeof value === 'boolean';
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    case 'const':
      return true;
    default:
      return typeof value === 'number' && Number.isFinite(value);
  }
}

/** How many distinct strings a pattern's fake values are drawn from: enough for the 20 rows with distinct keys the generated tests make. */
const PATTERN_SAMPLES = 24;

/** `first` and other strings the pattern and the lengths admit, distinct, the same on every run. */
function stringSamples(schema: JsonSchema, first: string): string[] {
  const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  const pattern = schema['pattern'] as string;
  if (patternCheck(pattern).kind !== 'linear') return [first];
  const fits = (value: string) => {
    const length = [...value].length;
    return length >= min && length <= max && linearTest(pattern, value);
  };
  return [...new Set([first, ...patternSamples(pattern, fits, PATTERN_SAMPLES)])].slice(0, PATTERN_SAMPLES);
}

/** The pattern's answer, where it runs in linear time; false where it does not run (not JavaScript, or not RE2). */
function linearTest(pattern: string, value: string): boolean {
  const check = patternCheck(pattern);
  return check.kind === 'linear' && check.test(value);
}
