import { createHash } from 'node:crypto';
import type { GlobalContext } from 'openapi-typescript';
import type { SyncApi } from '../../model/ir';
import type { OpenApiDocument } from '../../openapi/load-spec';
import { componentPointer, isObject } from '../../model/schema-utils';
import { specError } from '../../openapi/diagnostics';
import { resolvePointer } from '../../openapi/json-pointer';
import { apiNames } from './api-names';
import { emitOperations, hasOperations } from '../operations/emit-operations';
import { FRAMEWORK_TARGETS } from '../targets';
import { fakeDefinitions } from '../../json-schema/fake-schema';
import { fileHeader } from '../file-header';
import { hoistRecursiveTypes } from '../../json-schema/recursive-types';
import { restyleTypes } from './types-style';
import { openapiTypescriptTransform } from '../../json-schema/openapi-typescript-transform';
import type { GeneratedFile } from '../file-set';
import { renderTemplate } from '../render-template';
import type { CoreView } from './core-view';
import { typesInput } from '../../json-schema/types-input';
import { withPrototypeSafeKeys } from '../../typescript/prototype-safe-keys';
import { commentText, docComment, literalBlock, str } from '../../typescript/ts-syntax';
import { zodFor } from '../../json-schema/zod-schema';
import { shapePolicy, shapePolicyLiteral } from './shape-policy-view';

/**
 * The per-api core library: openapi-typescript's `paths`/`components` (the type contract every model
 * library builds on), the configured HTTP client, and the validators of the component schemas the
 * models use.
 */
/** The core library's files that hold one entry per component schema (an incremental run edits these). */
export const CORE_TYPES = 'core/src/lib/api.types.ts';
export const CORE_VALIDATORS = 'core/src/lib/validators.ts';
export const CORE_FAKES = 'core/src/lib/fakes.ts';
/** The shape policy (live models only), a top-level entry: `<core import>/shape-policy`. */
export const CORE_SHAPE_POLICY = 'core/src/shape-policy.ts';

export function emitCore(api: SyncApi, specLabel: string): GeneratedFile[] {
  const names = apiNames(api);
  const header = fileHeader(specLabel, `core library of ${api.title}`);
  const types = openapiTypes(api);
  const components = (api.document['components'] as Record<string, unknown> | undefined)?.['schemas'];
  const schemas = isObject(components) ? components : {};
  // targets of refs into schemas or operations get validators of their own, named after the pointer
  const deep = new Map<string, string>();
  const ctx = {
    document: api.document,
    refName: (c: string) => names.validators.get(c) ?? 'z.unknown()',
    deepRefName: (pointer: string) => {
      let name = deep.get(pointer);
      if (name === undefined) deep.set(pointer, (name = deepValidatorName(pointer)));
      return name;
    },
  };
  const validators = [...names.validators.entries()]
    .sort((a, b) => (a[1] < b[1] ? -1 : 1))
    .map(([component, constName]) => ({
      doc: componentValidatorDoc(component),
      name: constName,
      code: zodFor(schemas[component], ctx),
    }));
  // each emitted target may refer to more: until none is new, in the order they were met
  for (const [pointer, name] of deep) {
    const target = resolvePointer(api.document, pointer);
    validators.push({
      doc: docComment(`Validates \`${pointer}\`, which other schemas refer to.`),
      name,
      code: zodFor(target, ctx),
    });
  }
  const policy = shapePolicy(api);
  const view: CoreView = {
    header,
    client: names.client,
    configure: names.configure,
    title: docComment(`The HTTP client of ${api.title}. Configure it once at start (base URL, headers, fetch).`),
    baseUrl: str(api.serverUrl),
    validators,
    fakeDefinitions: names.fakeDefinitions,
    definitions: literalBlock(fakeDefinitions(api)),
    operations: hasOperations({ api }, undefined),
    shapePolicy: policy !== undefined,
  };
  return [
    { path: CORE_TYPES, content: header + restyleTypes(types) },
    {
      path: 'core/src/lib/client.ts',
      content: renderTemplate('core/client', view),
    },
    {
      path: CORE_VALIDATORS,
      content: renderTemplate('core/validators', view),
    },
    { path: 'core/src/lib/zod-builders.ts', content: renderTemplate('core/zod-builders', view) },
    { path: CORE_FAKES, content: renderTemplate('core/fakes', view) },
    { path: 'core/src/index.ts', content: renderTemplate('core/index', view) },
    // what the server enforces on live models' shapes: a file of its own, importable without the client
    ...(policy
      ? [
          {
            path: CORE_SHAPE_POLICY,
            content: renderTemplate('core/shape-policy', {
              header,
              titleText: commentText(api.title),
              policy: shapePolicyLiteral(policy),
            }),
          },
        ]
      : []),
    // the functions and hooks of operations no model owns (coreImport: unused in the core library)
    ...emitOperations({ api, coreImport: '', framework: FRAMEWORK_TARGETS.react }, undefined, header),
  ];
}

function componentValidatorDoc(component: string): string {
  return docComment(`Validates \`${component}\` (components.schemas).`);
}

/** A component's validator as core/validators.ejs lays it out. */
export function validatorEntry(component: string, constName: string, code: string): string {
  return `\n${componentValidatorDoc(component)}export const ${constName}: z.ZodType = ${code};\n`;
}

function openapiTypes(api: SyncApi): string {
  let types: string;
  try {
    types = printTypes(api.document);
  } catch (error) {
    throw refusal(api, error);
  }
  const region = schemaEntriesRegion(types);
  if (!region) return types;
  const recursive = hoistRecursiveTypes(types, region);
  if (recursive.unrepresentable.length) {
    const [first, ...others] = recursive.unrepresentable;
    throw specError(
      api.specFile,
      componentPointer(first),
      `${[first, ...others].join(', ')} refer to each other through oneOf/anyOf/allOf alone, with no object or array between: no TypeScript type can describe ${others.length ? 'them' : 'it'}`,
      'put an object or an array level in the cycle, or remove the reference (a union that contains itself adds nothing to it)',
    );
  }
  return recursive.types;
}

function printTypes(source: OpenApiDocument): string {
  const input = withPrototypeSafeKeys(typesInput(source));
  const { transformSchema, astToString, scanDiscriminators, resolveRef } = openapiTypescriptTransform();
  const document = input.document as never;
  // openapi-typescript's own entry point first runs Redocly over the document: parse, lint,
  // bundle. Here the document is already loaded, bundled (external refs pulled in) and checked
  // (operationIds unique: openapi/unique-operation-ids.ts), so the transform runs on it directly —
  // the same output (byte for byte on the 106 generated documents of the corpus sample), without
  // Redocly's walks over the whole document.
  const ctx: GlobalContext = {
    ...TRANSFORM_OPTIONS,
    discriminators: scanDiscriminators(document, TRANSFORM_OPTIONS),
    injectFooter: [],
    redoc: undefined as never, // read by the Redocly pass only
    resolve: ($ref) => resolveRef(document, $ref, { silent: true }),
  };
  return input.restore(astToString(transformSchema(document, ctx)));
}

const SCHEMAS_OPEN = '\nexport interface components {\n    schemas: {\n';
const SCHEMAS_CLOSE = '\n    };\n';

/**
 * Where `components.schemas`' entries are in printed types: after its opening line, up to (not
 * including) its closing one — in openapi-typescript's print, or (`restyled`) in the file as written.
 */
export function schemaEntriesRegion(types: string, restyled = false): [number, number] | undefined {
  const [opening, closing] = restyled
    ? [restyleTypes(SCHEMAS_OPEN), restyleTypes(SCHEMAS_CLOSE)]
    : [SCHEMAS_OPEN, SCHEMAS_CLOSE];
  const open = types.indexOf(opening);
  if (open < 0) return undefined;
  const start = open + opening.length;
  const close = types.indexOf(closing, start - 1);
  return close < 0 ? undefined : [start, close + 1];
}

/**
 * One schema entry's lines in the printed types, printed on its own. Where the entry reads nothing
 * of the others (see incremental/document-units.ts, `inert`), these are exactly its lines in the
 * print of the whole document: the schemas are printed one after the other.
 */
export function schemaEntryTypes(openapi: unknown, name: string, schema: unknown): string | undefined {
  const types = printTypes({ openapi, components: { schemas: { [name]: schema } } } as OpenApiDocument);
  const region = schemaEntriesRegion(types);
  return region && types.slice(region[0], region[1]);
}

/** openapi-typescript's options, as its entry point would fill them in for ours. */
const TRANSFORM_OPTIONS = {
  additionalProperties: false,
  alphabetize: false,
  arrayLength: false,
  // optional fields with defaults stay optional: a client may leave them out
  defaultNonNullable: false,
  // `{ type: object }` with no properties accepts any object; openapi-typescript's default,
  // Record<string, never>, accepts none with a field — and poisons every intersection it is in
  emptyObjectsUnknown: true,
  enum: false,
  enumValues: false,
  conditionalEnums: false,
  dedupeEnums: false,
  excludeDeprecated: false,
  exportType: false,
  immutable: false,
  rootTypes: false,
  rootTypesNoSchemaPrefix: false,
  rootTypesKeepCasing: false,
  pathParamsAsTypes: false,
  postTransform: undefined,
  propertiesRequiredByDefault: false,
  silent: true,
  inject: undefined,
  transform: undefined,
  transformProperty: undefined,
  makePathsEnum: false,
  generatePathParams: false,
  readWriteMarkers: false,
} satisfies Omit<GlobalContext, 'discriminators' | 'injectFooter' | 'redoc' | 'resolve'>;

/** `#/components/schemas/Pet/properties/owner` → `deepPetPropertiesOwner_1a2b3c4dSchema`: readable, unique, a valid identifier. */
function deepValidatorName(pointer: string): string {
  const words = pointer
    .slice(2)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  const readable = words.join('').slice(-48);
  return `deep${readable}_${createHash('sha256').update(pointer).digest('hex').slice(0, 8)}Schema`;
}

/**
 * openapi-typescript stops on what it cannot type (a schema that is a string, a `$ref` it cannot
 * fetch) and names the place: that is a problem of the spec, reported as one — file, pointer, what
 * to do — not a crash. Anything without a place stays an internal error.
 */
function refusal(api: SyncApi, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const at = /\bat (#\/\S*)/.exec(message);
  if (!at) return error;
  const what = message
    .replace(/^Error: /, '')
    .replace(at[0], '')
    .trim();
  const remote = /resolve \$ref|fetch/i.test(message);
  return specError(
    api.specFile,
    nearestPointer(api.document, at[1]),
    `the TypeScript types cannot be generated: ${what} (openapi-typescript, at ${at[1]})`,
    remote
      ? 'make the $ref point inside the document (or to a local file), or remove it'
      : 'fix the schema there so it is a valid Schema Object',
  );
}

/** openapi-typescript's paths are not always JSON pointers of the document (they skip `properties`): the longest prefix that is. */
function nearestPointer(document: unknown, pointer: string): string {
  const segments = pointer.split('/');
  for (let n = segments.length; n > 1; n--) {
    const candidate = segments.slice(0, n).join('/');
    if (resolvePointer(document, candidate) !== undefined) return candidate;
  }
  return '#';
}
