import type { JsonSchema } from '../model/ir';
import { componentName, deref, isObject, objectShape, propertyFlag } from '../model/schema-utils';
import { resolvePointer } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import { looseMapsOf } from './inhabitable-maps';
import { literal, str } from '../typescript/ts-syntax';
import { arrayExpression, call, objectExpression } from '../typescript/layout';
import { compiles } from '../openapi/js-pattern';

/**
 * JSON Schema (OpenAPI 3.0 and 3.1 dialects) → zod 4 source. The output validates what the schema
 * says about values: types, formats, enums, nullability, bounds, patterns. Every reference to a
 * component becomes `z.lazy(() => XSchema)`, so declaration order never matters and recursive
 * schemas (self or mutual) build without use-before-declare errors (hey-api#2560, kubb#717).
 */
export interface ZodEmitContext {
  document: OpenApiDocument;
  /** The const that validates a component schema. */
  refName(component: string): string;
  /**
   * The const that validates the target of a `$ref` into a schema or an operation (not a whole
   * component), when the file being written declares such consts; otherwise the target is inlined.
   * Inlining targets that refer to each other grows exponentially (azure network-applicationGateway).
   */
  deepRefName?(pointer: string): string;
}

const MAX_DEPTH = 24;

export function zodFor(schema: unknown, ctx: ZodEmitContext, depth = 0): string {
  if (schema === false) return 'z.never()';
  if (!isObject(schema) || depth > MAX_DEPTH) return 'z.unknown()';
  const component = componentName(schema);
  if (component !== undefined) {
    const target =
      ctx.document['components'] && isObject(ctx.document['components'])
        ? (ctx.document['components'] as Record<string, unknown>)['schemas']
        : undefined;
    if (isObject(target) && component in target)
      return withNullable(call('z.lazy', [`() => ${ctx.refName(component)}`]), schema);
    return 'z.unknown()';
  }
  if (typeof schema['$ref'] === 'string') {
    const located = deref(ctx.document, schema, '#');
    if (!located) return 'z.unknown()';
    if (ctx.deepRefName) return withNullable(call('z.lazy', [`() => ${ctx.deepRefName(located.pointer)}`]), schema);
    return zodFor(located.schema, ctx, depth + 1);
  }
  return withNullable(baseSchema(schema, ctx, depth), schema);
}

function withNullable(code: string, schema: JsonSchema): string {
  // `type: 'null'` beside a union means "null or one of these", as the types read it (nullable-unions.ts)
  const nullUnion = schema['type'] === 'null' && (Array.isArray(schema['oneOf']) || Array.isArray(schema['anyOf']));
  const nullable =
    schema['nullable'] === true || nullUnion || (Array.isArray(schema['type']) && schema['type'].includes('null'));
  return nullable && !code.endsWith('.nullable()') && code !== 'z.null()' ? `${code}.nullable()` : code;
}

function baseSchema(schema: JsonSchema, ctx: ZodEmitContext, depth: number): string {
  if ('const' in schema) return constSchema(schema['const']);
  if (Array.isArray(schema['enum'])) return enumSchema(schema['enum']);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length) return unionSchema(branches, schema, ctx, depth);
  }
  if (Array.isArray(schema['allOf']) && schema['allOf'].length) return allOfSchema(schema, ctx, depth);

  const declared = schema['type'];
  const types = (Array.isArray(declared) ? declared : declared === undefined ? [] : [declared]).filter(
    (t): t is string => typeof t === 'string' && t !== 'null',
  );
  if (types.length === 0) {
    if (isObject(schema['properties']) || isObject(schema['additionalProperties']))
      return objectSchema(schema, ctx, depth);
    if (Array.isArray(declared) && declared.includes('null')) return 'z.null()';
    return 'z.unknown()';
  }
  const parts = types.map((type) => typedSchema(type, schema, ctx, depth));
  return parts.length === 1 ? parts[0] : call('z.union', [arrayExpression(parts)]);
}

function typedSchema(type: string, schema: JsonSchema, ctx: ZodEmitContext, depth: number): string {
  switch (type) {
    case 'string':
      return stringSchema(schema);
    case 'integer':
      return numberSchema('z.int()', schema);
    case 'number':
      return numberSchema('z.number()', schema);
    case 'boolean':
      return 'z.boolean()';
    case 'array': {
      let code = call('z.array', [zodFor(schema['items'], ctx, depth + 1)]);
      if (typeof schema['minItems'] === 'number') code += `.min(${schema['minItems']})`;
      if (typeof schema['maxItems'] === 'number') code += `.max(${schema['maxItems']})`;
      return code;
    }
    case 'object':
      return objectSchema(schema, ctx, depth);
    default:
      return 'z.unknown()';
  }
}

const FORMATS: Record<string, string> = {
  uuid: 'z.guid()',
  email: 'z.email()',
  'date-time': 'z.iso.datetime({ offset: true, local: true })',
  date: 'z.iso.date()',
  time: 'z.iso.time()',
  uri: 'z.url()',
  ipv4: 'z.ipv4()',
  ipv6: 'z.ipv6()',
};

function stringSchema(schema: JsonSchema): string {
  const format = typeof schema['format'] === 'string' ? schema['format'] : '';
  let code = FORMATS[format] ?? 'z.string()';
  if (typeof schema['minLength'] === 'number') code += `.min(${schema['minLength']})`;
  if (typeof schema['maxLength'] === 'number') code += `.max(${schema['maxLength']})`;
  const pattern = schema['pattern'];
  if (typeof pattern === 'string' && compiles(pattern))
    code = call(`${code}.regex`, [call('new RegExp', [str(pattern)])]);
  return code;
}

function numberSchema(base: string, schema: JsonSchema): string {
  let code = base;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema as Record<string, unknown>;
  if (typeof exclusiveMinimum === 'number') code += `.gt(${exclusiveMinimum})`;
  else if (typeof minimum === 'number') code += exclusiveMinimum === true ? `.gt(${minimum})` : `.gte(${minimum})`;
  if (typeof exclusiveMaximum === 'number') code += `.lt(${exclusiveMaximum})`;
  else if (typeof maximum === 'number') code += exclusiveMaximum === true ? `.lt(${maximum})` : `.lte(${maximum})`;
  if (typeof multipleOf === 'number' && multipleOf > 0) code += `.multipleOf(${multipleOf})`;
  return code;
}

function constSchema(value: unknown): string {
  if (value === null) return 'z.null()';
  if (['string', 'number', 'boolean'].includes(typeof value)) return call('z.literal', [literal(value)]);
  return 'z.unknown()';
}

function enumSchema(values: unknown[]): string {
  const nonNull = values.filter((v) => v !== null && ['string', 'number', 'boolean'].includes(typeof v));
  const hasNull = values.includes(null);
  let code: string;
  if (nonNull.length === 0) code = hasNull ? 'z.null()' : 'z.never()';
  else if (nonNull.every((v) => typeof v === 'string'))
    code = call('z.enum', [arrayExpression([...new Set(nonNull as string[])].map(str))]);
  else if (nonNull.length === 1) code = call('z.literal', [literal(nonNull[0])]);
  else code = call('z.union', [arrayExpression(nonNull.map((v) => call('z.literal', [literal(v)])))]);
  return hasNull && code !== 'z.null()' ? `${code}.nullable()` : code;
}

function unionSchema(branches: unknown[], schema: JsonSchema, ctx: ZodEmitContext, depth: number): string {
  const nonNull = branches.filter((b) => !(isObject(b) && b['type'] === 'null'));
  const hasNull = nonNull.length < branches.length;
  const parts = nonNull.map((b) => zodFor(withSiblingType(b, schema), ctx, depth + 1));
  let code =
    parts.length === 0 ? 'z.null()' : parts.length === 1 ? parts[0] : call('z.union', [arrayExpression(parts)]);
  if (hasNull && code !== 'z.null()') code += '.nullable()';
  return code;
}

/** `{ type: object, oneOf: [{ properties }] }`: the branch inherits the outer type. */
function withSiblingType(branch: unknown, outer: JsonSchema): unknown {
  if (!isObject(branch) || branch['$ref'] !== undefined || branch['type'] !== undefined || outer['type'] === undefined)
    return branch;
  return { ...branch, type: outer['type'] };
}

function allOfSchema(schema: JsonSchema, ctx: ZodEmitContext, depth: number): string {
  const parts = (schema['allOf'] as unknown[]).map((p) => zodFor(p, ctx, depth + 1));
  const { allOf: _allOf, ...rest } = schema;
  if (isObject(rest['properties'])) parts.push(objectSchema(rest, ctx, depth));
  // a name one part (or the schema beside allOf) requires and another declares: each part's own
  // validator misses it (influxdata's AuthorizationPostRequest, box's SignRequestCreateRequest)
  const shape = objectShape(ctx.document, schema, '#');
  const enforced = new Set(isObject(rest['properties']) ? Object.keys(rest['properties']) : []);
  (schema['allOf'] as unknown[]).forEach((part, i) => {
    const own = objectShape(ctx.document, part, `#/allOf/${i}`);
    for (const name of own.required) if (own.properties.has(name)) enforced.add(name);
  });
  const present = [...shape.required].filter(
    (name) =>
      shape.properties.has(name) && !enforced.has(name) && !writeOnly(ctx, shape.properties.get(name)?.schema, name),
  );
  if (present.length) parts.push(call('z.looseObject', [objectExpression(present.map((name) => [name, PRESENT]))]));
  return parts.reduce((acc, part) => (acc ? call('z.intersection', [acc, part]) : part), '');
}

/**
 * A required writeOnly property is required in requests only, as OpenAPI says. A schema's const
 * validates what is read (rows, answers), so it does not ask for one (bunq's Invoice nests writeOnly
 * `description`); a write input's validator (zodWriteInput) asks for its own again.
 */
function writeOnly(ctx: ZodEmitContext, property: unknown, name: string): boolean {
  return (
    isObject(property) &&
    propertyFlag(ctx.document, { schema: property as JsonSchema, pointer: `#/properties/${name}` }, 'writeOnly')
  );
}

/** Any value but none: zod takes a missing key for `undefined`, which `z.unknown()` alone accepts. */
const PRESENT = `z.unknown().refine((value) => value !== undefined, { message: 'Required' })`;

function objectSchema(schema: JsonSchema, ctx: ZodEmitContext, depth: number): string {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'] : []);
  const additional = schema['additionalProperties'];
  const names = Object.keys(properties);
  const loose = looseMapsOf(ctx.document).has(schema);
  if (names.length === 0 && isObject(additional) && !loose)
    return call('z.record', ['z.string()', zodFor(additional, ctx, depth + 1)]);
  const fields = names.map((name) => {
    const inner = zodFor(properties[name], ctx, depth + 1);
    return [
      name,
      required.has(name) && !writeOnly(ctx, properties[name], name) ? inner : `${inner}.optional()`,
    ] as const;
  });
  const body = objectExpression(fields);
  if (additional === false) return call('z.strictObject', [body]);
  // a map beside declared properties holds only the undeclared ones (see inhabitable-maps.ts)
  if (isObject(additional) && Object.keys(additional).length && !loose)
    return call(`${call('z.object', [body])}.catchall`, [zodFor(additional, ctx, depth + 1)]);
  return call('z.looseObject', [body]);
}

/**
 * The validator of a write input: the body schema's object shape without `omit` (readOnly fields),
 * every field optional when `partial` (PATCH with the row schema as body).
 */
export function zodWriteInput(bodyPointer: string, omit: string[], partial: boolean, ctx: ZodEmitContext): string {
  const located = deref(ctx.document, { $ref: bodyPointer }, bodyPointer);
  const shape = located && objectShape(ctx.document, located.schema, located.pointer);
  // the schema's own const leaves required writeOnly fields optional (see writeOnly): a write asks for them
  const asksWriteOnly =
    shape !== undefined &&
    !partial &&
    [...shape.required].some((name) => writeOnly(ctx, shape.properties.get(name)?.schema, name));
  if (omit.length === 0 && !partial && !asksWriteOnly) return zodFor(resolvePointer(ctx.document, bodyPointer), ctx);
  if (!shape) return 'z.unknown()';
  const fields = [...shape.properties.entries()]
    .filter(([name]) => !omit.includes(name))
    .map(([name, loc]) => {
      const inner = zodFor(loc.schema, ctx, 1);
      return [name, shape.required.has(name) && !partial ? inner : `${inner}.optional()`] as const;
    });
  return call('z.looseObject', [objectExpression(fields)]);
}
