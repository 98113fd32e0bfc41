import { fieldSchema, type FakeModel, type FakeSchema } from './fake-data';

/**
 * A form body (`application/x-www-form-urlencoded`) or a multipart one, read back into the row's
 * values as an API that knows the schema reads it: `a[b]=1` is `{ a: { b: 1 } }`, a repeated field
 * an array, and each text is turned into what the field's schema says (integer, number, boolean,
 * null; JSON for objects and arrays sent as one multipart part). The mocks answer form APIs with it.
 */
export function readFormFields(entries: Iterable<[string, unknown]>, model: FakeModel): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const path = name.match(/^[^[]+|\[[^\]]*\]/g)?.map((part) => part.replace(/^\[|\]$/g, '')) ?? [name];
    let into = nested;
    for (const part of path.slice(0, -1)) into = (into[part] ??= {}) as Record<string, unknown>;
    const last = path.at(-1)!;
    into[last] = last in into ? [...[into[last]].flat(), value] : value;
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(nested)) out[name] = typed(value, fieldSchema(model, name), model);
  return out;
}

function typed(value: unknown, schema: FakeSchema | undefined, model: FakeModel): unknown {
  const resolved = resolve(schema, model);
  const types = resolved
    ? Array.isArray(resolved.type)
      ? resolved.type
      : resolved.type !== undefined
        ? [resolved.type]
        : []
    : [];
  if (typeof value === 'string') {
    if (value === '' && (types.includes('null') || resolved?.nullable) && !types.includes('string')) return null;
    if ((types.includes('object') || types.includes('array')) && /^[[{]/.test(value)) {
      try {
        return typed(JSON.parse(value), resolved, model);
      } catch {
        return value;
      }
    }
    if (types.includes('array')) return [typed(value, resolved?.items, model)];
    if ((types.includes('integer') || types.includes('number')) && value.trim() !== '' && !Number.isNaN(Number(value)))
      return Number(value);
    if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => typed(item, resolved?.items, model));
  if (value !== null && typeof value === 'object' && !(value instanceof Blob)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typed(v, resolved?.properties?.[k], model)]));
  }
  return value;
}

function resolve(schema: FakeSchema | undefined, model: FakeModel): FakeSchema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref !== undefined && hops < 16; hops++) current = model.definitions[current.$ref];
  return current;
}
