import type { Diagnostic } from '../openapi/diagnostics';
import { child } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import type { BodyEncoding, HttpMethod, JsonSchema, OperationParam } from './ir';
import { deref, isObject, type Located } from './schema-utils';

export const METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/** One operation of the spec, with what binding needs already read off it. */
export interface SpecOperation {
  method: HttpMethod;
  path: string;
  pointer: string;
  raw: JsonSchema;
  operationId?: string;
  summary?: string;
  params: OperationParam[];
  body?: { mediaType: string; encoding: BodyEncoding; required: boolean; located: Located; schemaless?: boolean };
  success?: { status: string; mediaType?: string; located?: Located };
  /** The path ends with a `{param}` segment: it addresses one item. */
  itemParam?: string;
  /** An `If-Match` header parameter: the write takes the version it was based on. */
  ifMatch?: { required: boolean; pointer: string };
  /** Where the 412 answer is declared: the API refuses a write based on a stale version. */
  preconditionFailed?: string;
}

export function listOperations(document: OpenApiDocument, file: string, diagnostics: Diagnostic[]): SpecOperation[] {
  const paths = document['paths'];
  if (!isObject(paths)) return [];
  const result: SpecOperation[] = [];
  for (const path of Object.keys(paths)) {
    const itemPointer = child('#/paths', path);
    const item = deref(document, paths[path], itemPointer);
    if (!item) continue;
    for (const method of METHODS) {
      const op = item.schema[method];
      if (!isObject(op)) continue;
      const pointer = child(item.pointer, method);
      result.push(
        readOperation(document, file, diagnostics, path, method, op, pointer, item.schema['parameters'], item.pointer),
      );
    }
  }
  return result;
}

function readOperation(
  document: OpenApiDocument,
  file: string,
  diagnostics: Diagnostic[],
  path: string,
  method: HttpMethod,
  op: JsonSchema,
  pointer: string,
  pathLevelParams: unknown,
  itemPointer: string,
): SpecOperation {
  const params = new Map<string, OperationParam>();
  let ifMatch: SpecOperation['ifMatch'];
  const collect = (list: unknown, base: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      const located = deref(document, p, child(base, 'parameters', i));
      if (!located) return;
      const where = located.schema['in'];
      const name = located.schema['name'];
      if (where === 'header' && typeof name === 'string' && name.toLowerCase() === 'if-match')
        ifMatch = { required: located.schema['required'] === true, pointer: located.pointer };
      if ((where !== 'path' && where !== 'query') || typeof name !== 'string') return;
      params.set(`${where}:${name}`, {
        name,
        in: where,
        required: where === 'path' || located.schema['required'] === true,
        pointer: located.pointer,
      });
    });
  };
  collect(pathLevelParams, itemPointer);
  collect(op['parameters'], pointer);
  for (const name of path.match(/\{([^}]+)\}/g)?.map((m) => m.slice(1, -1)) ?? []) {
    if (!params.has(`path:${name}`)) {
      diagnostics.push({
        severity: 'warning',
        file,
        pointer,
        message: `path parameter {${name}} of ${path} is not declared`,
        hint: `add \`- { name: ${name}, in: path, required: true, schema: { type: string } }\` to its parameters`,
      });
      params.set(`path:${name}`, { name, in: 'path', required: true, pointer });
    }
  }
  const last = path.split('/').filter(Boolean).pop() ?? '';
  const itemMatch = /^\{([^}]+)\}$/.exec(last);
  return {
    method,
    path,
    pointer,
    raw: op,
    ...(typeof op['operationId'] === 'string' ? { operationId: op['operationId'] } : {}),
    ...(typeof op['summary'] === 'string' ? { summary: op['summary'] } : {}),
    params: [...params.values()].sort((a, b) => (a.in + a.name < b.in + b.name ? -1 : 1)),
    body: readBody(document, op, pointer),
    success: readSuccess(document, op, pointer),
    ...(itemMatch ? { itemParam: itemMatch[1] } : {}),
    ...(ifMatch ? { ifMatch } : {}),
    ...(isObject(op['responses']) && op['responses']['412'] !== undefined
      ? { preconditionFailed: child(pointer, 'responses', '412') }
      : {}),
  };
}

const ENCODINGS: [RegExp, BodyEncoding][] = [
  [/^application\/json$/i, 'json'],
  [/[/+]json(;|$)/i, 'json'],
  [/^application\/x-www-form-urlencoded$/i, 'form'],
  [/^multipart\/form-data$/i, 'multipart'],
];

function pickMedia(content: unknown): [string, BodyEncoding] | undefined {
  if (!isObject(content)) return undefined;
  for (const [pattern, encoding] of ENCODINGS) {
    const match = Object.keys(content).find((type) => pattern.test(type));
    if (match) return [match, encoding];
  }
  // another media type (octet-stream, text, XML): sent as the caller gives it
  const other = Object.keys(content)[0];
  return other === undefined ? undefined : [other, 'raw'];
}

function readBody(document: OpenApiDocument, op: JsonSchema, pointer: string): SpecOperation['body'] {
  const body = deref(document, op['requestBody'], child(pointer, 'requestBody'));
  if (!body) return undefined;
  const media = pickMedia(body.schema['content']);
  if (!media) return undefined;
  const [mediaType, encoding] = media;
  const content = body.schema['content'] as Record<string, JsonSchema>;
  const schemaPointer = child(body.pointer, 'content', mediaType, 'schema');
  const schema = content[mediaType]?.['schema'];
  if (schema !== undefined && !isObject(schema)) return undefined;
  return {
    mediaType,
    encoding,
    required: body.schema['required'] === true,
    located: { schema: schema ?? {}, pointer: schemaPointer },
    // no schema: the body is sent as given (typed unknown); no model operation is made of it
    ...(schema === undefined ? { schemaless: true } : {}),
  };
}

const SUCCESS_ORDER = ['200', '201', '202', '203', '206', '2XX', '2xx'];

function readSuccess(document: OpenApiDocument, op: JsonSchema, pointer: string): SpecOperation['success'] {
  const responses = op['responses'];
  if (!isObject(responses)) return undefined;
  const codes = Object.keys(responses);
  const status = SUCCESS_ORDER.find((c) => codes.includes(c)) ?? codes.find((c) => /^2\d\d$/.test(c));
  if (!status) return undefined;
  const response = deref(document, responses[status], child(pointer, 'responses', status));
  if (!response) return { status };
  const content = response.schema['content'];
  if (!isObject(content)) return { status };
  const mediaType =
    Object.keys(content).find((t) => /^application\/json$/i.test(t)) ??
    Object.keys(content).find((t) => /[/+]json(;|$)/i.test(t));
  if (!mediaType) return { status };
  const schema = (content[mediaType] as JsonSchema | undefined)?.['schema'];
  if (!isObject(schema)) return { status, mediaType };
  return { status, mediaType, located: { schema, pointer: child(response.pointer, 'content', mediaType, 'schema') } };
}
