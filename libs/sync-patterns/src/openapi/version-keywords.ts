import type { Diagnostic } from './diagnostics';
import { pointer as pointerOf } from './json-pointer';
import type { OpenApiDocument } from './load-spec';
import { uncheckedPatternWarning } from './pattern-warnings';

/**
 * Warnings for constructs of the other OpenAPI version: in a 3.1 document, what only 3.0 has
 * (`nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`); in a 3.0 document, what only 3.1 has
 * (JSON Schema 2020-12 keywords, `type` lists and `type: 'null'`, numeric exclusive bounds, `$ref`
 * with siblings, `webhooks`, …). sync-patterns reads both forms in both versions, so these never
 * fail a run; other tools of the declared version ignore or reject them, which is what each says.
 * The same walk warns of each `pattern` the generator cannot run in linear time (pattern-warnings.ts).
 *
 * One walk over the schemas of `paths`, `webhooks` and `components`; pointers are built only for
 * what is reported. `example` values, `default`, `enum`, `const` and `x-` extensions are data, not
 * schemas: they are not walked into. On Stripe (2.5 MB) it takes 9–12 ms in a new process (a bare
 * walk over every object of it, 6 ms); a long-running process walks again only the entries a save
 * changed (`remembered`): under 1 ms.
 */
export function schemaKeywordWarnings(document: OpenApiDocument, version: '3.0' | '3.1', file: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  // the walk's place, as segments: a pointer is made only for what is reported
  const path: (string | number)[] = [];
  const warn: Warn = (segments, message, hint, code) =>
    found.push({ severity: 'warning', file, pointer: pointerOf(...path, ...segments), message, hint, code });
  const v31 = version === '3.1';

  function schema(node: unknown): void {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const s = node as Record<string, unknown>;
    let ref = false;
    let keys = 0;
    // one map lookup per key: most keys (description, format, enum, …) are none of these
    for (const key in s) {
      keys++;
      const role = ROLES.get(key);
      if (role === undefined) continue;
      const value = s[key];
      if (role & PATTERN) {
        if (typeof value === 'string') uncheckedPattern(value, warn);
        continue;
      }
      if (role & CHECK) {
        if (v31) {
          if (role & NULLABLE) nullable31(s, warn);
          else if (role & EXCLUSIVE && typeof value === 'boolean') exclusive31(s, key as 'exclusiveMinimum', warn);
        } else if (role & TYPE) {
          if (typeof value !== 'string' || value === 'null') type30(value, warn);
        } else if (role & REF) ref = true;
        else if (role & EXCLUSIVE) {
          if (typeof value === 'number') exclusive30(key as 'exclusiveMinimum', value, warn);
        } else if (role & ONLY_31) only31(s, key, warn);
      }
      if (!(role & SUBSCHEMAS) || value === null || typeof value !== 'object') continue;
      path.push(key);
      if (role & SCHEMA_MAP) map(value, schema);
      else if (Array.isArray(value)) list(value, schema);
      else schema(value);
      path.pop();
    }
    if (ref && keys > 1) refSiblings30(s, warn);
  }
  /** Each value of a map (not `x-` extensions). */
  function map(node: unknown, visit: (value: unknown) => void): void {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    for (const key in node as Record<string, unknown>) {
      if (key.charCodeAt(0) === 120 && key.charCodeAt(1) === 45) continue; // x-
      path.push(key);
      visit((node as Record<string, unknown>)[key]);
      path.pop();
    }
  }
  function list(node: unknown, visit: (value: unknown) => void): void {
    if (!Array.isArray(node)) return;
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      visit(node[i]);
      path.pop();
    }
  }
  /** `node[key]`, visited at `…/key`. */
  function field(node: Record<string, unknown>, key: string, visit: (value: unknown) => void): void {
    const value = node[key];
    if (value === undefined) return;
    path.push(key);
    visit(value);
    path.pop();
  }
  // the document's structure down to its schemas; the visitors are made once, not per object
  const headers = (node: unknown) => map(node, parameter);
  const encoding = (node: unknown) => {
    if (isObject(node)) field(node, 'headers', headers);
  };
  const encodings = (node: unknown) => map(node, encoding);
  const media = (node: unknown) => {
    if (!isObject(node)) return;
    field(node, 'schema', schema);
    field(node, 'encoding', encodings);
  };
  const content = (node: unknown) => map(node, media);
  /** A parameter or a header: a schema, or content. */
  function parameter(node: unknown): void {
    if (!isObject(node)) return;
    field(node, 'schema', schema);
    field(node, 'content', content);
  }
  const parameters = (node: unknown) => list(node, parameter);
  const body = (node: unknown) => {
    if (isObject(node)) field(node, 'content', content);
  };
  const response = (node: unknown) => {
    if (!isObject(node)) return;
    field(node, 'headers', headers);
    field(node, 'content', content);
  };
  const responses = (node: unknown) => map(node, response);
  const callback = (node: unknown) => map(node, pathItem);
  const callbacks = (node: unknown) => map(node, callback);
  const operation = (node: unknown) => {
    if (!isObject(node)) return;
    field(node, 'parameters', parameters);
    field(node, 'requestBody', body);
    field(node, 'responses', responses);
    field(node, 'callbacks', callbacks);
  };
  function pathItem(node: unknown): void {
    if (!isObject(node)) return;
    field(node, 'parameters', parameters);
    for (const method of METHODS) field(node, method, operation);
  }

  /**
   * `visit` of an entry of `paths` or `components.schemas`, or its warnings as the walk of this
   * same object at this same place found them: a long-running process (--watch) builds each new
   * document from the last one's objects but for the edited entry, and walks only that one again.
   */
  const remembered =
    (visit: (value: unknown) => void) =>
    (value: unknown): void => {
      if (!isObject(value)) return;
      const place = `${file}\0${version}\0${path.join('\0')}`;
      const kept = walked.get(value);
      if (kept?.place === place) {
        found.push(...kept.found);
        return;
      }
      const from = found.length;
      visit(value);
      walked.set(value, { place, found: found.slice(from) });
    };
  field(document, 'paths', (paths) => map(paths, remembered(pathItem)));
  field(document, 'webhooks', (webhooks) => map(webhooks, pathItem));
  if (isObject(document['components'])) {
    field(document, 'components', (components) => {
      const c = components as Record<string, unknown>;
      field(c, 'schemas', (schemas) => map(schemas, remembered(schema)));
      field(c, 'parameters', (entries) => map(entries, parameter));
      field(c, 'headers', headers);
      field(c, 'requestBodies', (entries) => map(entries, body));
      field(c, 'responses', responses);
      field(c, 'callbacks', (entries) => map(entries, callback));
      field(c, 'pathItems', (items) => map(items, pathItem));
    });
  }
  if (!v31) checkDocument30(document, warn);
  return found;
}

/** What the walk found under an object, and where that object was (see `remembered`). */
const walked = new WeakMap<object, { place: string; found: Diagnostic[] }>();

type Warn = (segments: (string | number)[], message: string, hint: string, code: string) => void;

/** What a key of a schema is to the walk: bits. */
const SCHEMA_MAP = 1; // a map of schemas
const SCHEMAS = 2; // a schema, or a list of them
const SUBSCHEMAS = SCHEMA_MAP | SCHEMAS;
const NULLABLE = 4;
const EXCLUSIVE = 8;
const TYPE = 16;
const REF = 32;
const ONLY_31 = 64;
const CHECK = NULLABLE | EXCLUSIVE | TYPE | REF | ONLY_31;
const PATTERN = 128;

/** Keywords of JSON Schema 2020-12 (OpenAPI 3.1) that are not OpenAPI 3.0 schema fields. */
export const KEYWORDS_ONLY_31 = [
  'const',
  'examples',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'prefixItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependentRequired',
  'patternProperties',
  'propertyNames',
  'contains',
  'minContains',
  'maxContains',
  '$defs',
  '$id',
  '$schema',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$comment',
];

const ROLES = new Map<string, number>();
for (const key of KEYWORDS_ONLY_31) ROLES.set(key, ONLY_31);
for (const key of ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])
  ROLES.set(key, (ROLES.get(key) ?? 0) | SCHEMA_MAP);
for (const key of [
  'allOf',
  'anyOf',
  'oneOf',
  'prefixItems',
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]) {
  ROLES.set(key, (ROLES.get(key) ?? 0) | SCHEMAS);
}
ROLES.set('nullable', NULLABLE);
ROLES.set('exclusiveMinimum', EXCLUSIVE);
ROLES.set('exclusiveMaximum', EXCLUSIVE);
ROLES.set('type', TYPE);
ROLES.set('$ref', REF);
ROLES.set('pattern', PATTERN);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as a fix quotes it: JSON, cut short. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

const READS_BOTH = 'sync-patterns reads it as 3.0 does';
const ONLY_30 = 'openapi-3.0-only';
const ONLY_31_CODE = 'openapi-3.1-only';

/** `nullable` in a 3.1 document. */
function nullable31(node: Record<string, unknown>, warn: Warn): void {
  const type = node['type'];
  const ref = node['$ref'];
  const hint =
    node['nullable'] !== true
      ? 'remove `nullable` (without it the schema does not allow null)'
      : Array.isArray(type) && type.includes('null')
        ? "remove `nullable`: the type list already has 'null'"
        : typeof type === 'string'
          ? `use \`type: [${type}, 'null']\` instead of \`nullable: true\``
          : typeof ref === 'string'
            ? `use \`anyOf: [{ $ref: '${ref}' }, { type: 'null' }]\` instead of \`nullable: true\``
            : "add `'null'` to `type` (e.g. `type: [string, 'null']`), or a `{ type: 'null' }` branch to `anyOf`, instead of `nullable: true`";
  warn(
    ['nullable'],
    `\`nullable\` is OpenAPI 3.0 only: 3.1 (JSON Schema 2020-12) has no such keyword and 3.1 tools ignore it${node['nullable'] === true ? `; ${READS_BOTH} (null allowed)` : ''}`,
    hint,
    `${ONLY_30}/nullable`,
  );
}

/** Boolean `exclusiveMinimum`/`exclusiveMaximum` in a 3.1 document. */
function exclusive31(node: Record<string, unknown>, key: 'exclusiveMinimum' | 'exclusiveMaximum', warn: Warn): void {
  const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
  const value = node[key] === true;
  const limit = node[bound];
  warn(
    [key],
    `boolean \`${key}\` is OpenAPI 3.0: in 3.1 it is the bound itself, a number${value ? `; ${READS_BOTH} (\`${bound}\` is exclusive)` : ''}`,
    value
      ? typeof limit === 'number'
        ? `write \`${key}: ${limit}\` and remove \`${bound}: ${limit}\``
        : `write \`${key}: <bound>\` (a number) instead of \`${key}: true\``
      : `remove \`${key}: false\` (\`${bound}\` alone is inclusive)`,
    `${ONLY_30}/${key}`,
  );
}

const IGNORED = '3.0 tools reject or ignore it';

/** A 3.0 way to write a 3.1 keyword, where there is one. */
function instead30(node: Record<string, unknown>, key: string): string {
  switch (key) {
    case 'const':
      return `write \`enum: [${quoted(node['const'])}]\``;
    case 'examples':
      return Array.isArray(node['examples']) && node['examples'].length
        ? `write one \`example: ${quoted(node['examples'][0])}\` instead`
        : 'write one `example:` instead';
    case 'contentEncoding':
      if (node['contentEncoding'] === 'base64') return 'write `type: string, format: byte` instead';
      break;
    case 'contentMediaType':
      return 'for binary content write `type: string, format: binary` instead';
    case '$defs':
      return 'move the schemas under `components/schemas`';
    case '$comment':
      return 'write it as `description` or an `x-` extension';
  }
  return 'declare `openapi: 3.1.0` if the document is meant for 3.1 (it uses 3.1 keywords), or remove it';
}

function only31(node: Record<string, unknown>, key: string, warn: Warn): void {
  warn(
    [key],
    `\`${key}\` is not an OpenAPI 3.0 schema keyword (it is JSON Schema 2020-12, part of 3.1): ${IGNORED}`,
    instead30(node, key),
    `${ONLY_31_CODE}/${key}`,
  );
}

/** `type` as a list, or `type: 'null'`, in a 3.0 document. */
function type30(type: unknown, warn: Warn): void {
  if (type === 'null') {
    warn(
      ['type'],
      `\`type: 'null'\` is OpenAPI 3.1; 3.0 has no null type (${IGNORED})`,
      'put `nullable: true` on the schema that may be null instead (in an `anyOf`/`oneOf`, on a sibling branch)',
      `${ONLY_31_CODE}/type-null`,
    );
    return;
  }
  if (!Array.isArray(type)) return;
  const types = type.filter((t) => t !== 'null');
  warn(
    ['type'],
    `\`type\` as a list is OpenAPI 3.1; 3.0 takes one type name (${IGNORED})`,
    types.length === 1 && type.includes('null')
      ? `write \`type: ${String(types[0])}\` with \`nullable: true\``
      : `use \`oneOf\` with one type per branch${type.includes('null') ? ', and `nullable: true`' : ''}`,
    `${ONLY_31_CODE}/type-list`,
  );
}

/** Numeric `exclusiveMinimum`/`exclusiveMaximum` in a 3.0 document. */
function exclusive30(key: 'exclusiveMinimum' | 'exclusiveMaximum', value: number, warn: Warn): void {
  const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
  warn(
    [key],
    `numeric \`${key}\` is OpenAPI 3.1; in 3.0 it is a boolean beside \`${bound}\` (${IGNORED})`,
    `write \`${bound}: ${value}\` with \`${key}: true\``,
    `${ONLY_31_CODE}/${key}`,
  );
}

/**
 * Keywords beside a `$ref` that change what the value may be, in a 3.0 document: 3.0 ignores
 * everything beside a `$ref`. Annotations (a description, a title, an example) are left alone:
 * 3.0 tools dropping them loses documentation, not meaning, and real 3.0 documents have hundreds.
 */
const ANNOTATIONS = new Set(['description', 'title', 'summary', 'example', 'deprecated', 'externalDocs']);
function refSiblings30(node: Record<string, unknown>, warn: Warn): void {
  const siblings = Object.keys(node).filter((k) => k !== '$ref' && !k.startsWith('x-') && !ANNOTATIONS.has(k));
  if (!siblings.length) return;
  warn(
    [siblings[0]],
    `${siblings.map((k) => `\`${k}\``).join(', ')} beside \`$ref\` ${siblings.length === 1 ? 'is' : 'are'} OpenAPI 3.1: 3.0 ignores everything beside a \`$ref\`, so 3.0 tools drop ${siblings.length === 1 ? 'it' : 'them'}`,
    `wrap the reference: \`allOf: [{ $ref: '${String(node['$ref'])}' }]\` beside ${siblings.length === 1 ? 'that keyword' : 'those keywords'}`,
    `${ONLY_31_CODE}/$ref-siblings`,
  );
}

/** 3.1-only fields outside schemas, in a 3.0 document. */
function checkDocument30(document: OpenApiDocument, warn: Warn): void {
  const top = (segments: string[], what: string, hint: string) =>
    warn(segments, `${what} is OpenAPI 3.1 (${IGNORED})`, hint, `${ONLY_31_CODE}/${segments.join('.')}`);
  if (document['webhooks'] !== undefined)
    top(
      ['webhooks'],
      '`webhooks`',
      'declare `openapi: 3.1.0`, or describe them as `callbacks` of the operation that registers them',
    );
  if (document['jsonSchemaDialect'] !== undefined)
    top(
      ['jsonSchemaDialect'],
      '`jsonSchemaDialect`',
      'remove it (3.0 schemas have one dialect), or declare `openapi: 3.1.0`',
    );
  const components = document['components'];
  if (isObject(components) && components['pathItems'] !== undefined)
    top(
      ['components', 'pathItems'],
      '`components.pathItems`',
      'write the path items under `paths`, or declare `openapi: 3.1.0`',
    );
  const info = document['info'];
  if (isObject(info)) {
    if (info['summary'] !== undefined) top(['info', 'summary'], '`info.summary`', 'move it into `info.description`');
    const license = info['license'];
    if (isObject(license) && license['identifier'] !== undefined)
      top(['info', 'license', 'identifier'], '`license.identifier`', 'write the license as `url` instead');
  }
}

/** A `pattern` the generator cannot run in linear time. */
function uncheckedPattern(pattern: string, warn: Warn): void {
  const warning = uncheckedPatternWarning(pattern);
  if (warning) warn(['pattern'], warning.message, warning.hint, warning.code);
}
