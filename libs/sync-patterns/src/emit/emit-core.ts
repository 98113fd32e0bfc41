import type { SyncApi } from '../model/ir';
import { isObject } from '../model/schema-utils';
import { specError } from '../spec/diagnostics';
import { resolvePointer } from '../spec/json-pointer';
import { apiNames } from './api-names';
import { fakeSchemas } from './fake-schema';
import { fileHeader } from './file-header';
import type { GeneratedFile } from './file-set';
import { renderTemplate } from './render-template';
import { typesInput } from './types-input';
import { withPrototypeSafeKeys } from './prototype-safe-keys';
import { docComment, literalBlock, str } from './ts-syntax';
import { zodFor } from './zod-schema';

/**
 * The per-api core library: openapi-typescript's `paths`/`components` (the type contract every model
 * library builds on), the configured HTTP client, and the validators of the component schemas the
 * models use.
 */
export async function emitCore(api: SyncApi, specLabel: string): Promise<GeneratedFile[]> {
  const names = apiNames(api);
  const header = fileHeader(specLabel, `core library of ${api.title}`);
  const types = await openapiTypes(api);
  const components = (api.document['components'] as Record<string, unknown> | undefined)?.['schemas'];
  const schemas = isObject(components) ? components : {};
  const ctx = {
    document: api.document,
    refName: (c: string) => names.validators.get(c) ?? 'z.unknown()',
  };
  const validators = [...names.validators.entries()]
    .sort((a, b) => (a[1] < b[1] ? -1 : 1))
    .map(([component, constName]) => ({
      doc: docComment(`Validates \`${component}\` (components.schemas).`),
      name: constName,
      code: zodFor(schemas[component], ctx),
    }));
  const view = {
    header,
    client: names.client,
    configure: names.configure,
    title: docComment(`The HTTP client of ${api.title}. Configure it once at start (base URL, headers, fetch).`),
    baseUrl: str(api.serverUrl),
    validators,
    fakeDefinitions: names.fakeDefinitions,
    definitions: literalBlock(fakeSchemas(api).definitions),
  };
  return [
    { path: 'core/src/lib/api.types.ts', content: header + types },
    {
      path: 'core/src/lib/client.ts',
      content: renderTemplate('core/client', view),
    },
    {
      path: 'core/src/lib/validators.ts',
      content: renderTemplate('core/validators', view),
    },
    { path: 'core/src/lib/fakes.ts', content: renderTemplate('core/fakes', view) },
    { path: 'core/src/index.ts', content: renderTemplate('core/index', view) },
  ];
}

async function openapiTypes(api: SyncApi): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const input = withPrototypeSafeKeys(typesInput(api.document));
  let ast: Awaited<ReturnType<typeof openapiTS>>;
  try {
    ast = await openapiTS(input.document as never, {
      defaultNonNullable: false,
      // `{ type: object }` with no properties accepts any object; openapi-typescript's default,
      // Record<string, never>, accepts none with a field — and poisons every intersection it is in
      emptyObjectsUnknown: true,
      silent: true,
      redocly: await lintConfig(),
    });
  } catch (error) {
    throw refusal(api, error);
  }
  return input.restore(astToString(ast));
}

let lint: Promise<unknown> | undefined;

/**
 * openapi-typescript lints its input with Redocly's "minimal" rule set, whose findings it does not
 * report (silent) — on Stripe that was a quarter of the run. The document reaching it has already
 * been loaded, bundled and checked here, so only the rule that changes its output stays: operationIds
 * must be unique (they name the `operations` types).
 */
function lintConfig(): Promise<never> {
  lint ??= import('@redocly/openapi-core').then(({ createConfig }) => createConfig({ rules: { 'operation-operationId-unique': { severity: 'error' } } }, { extends: [] }));
  return lint as Promise<never>;
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
    remote ? 'make the $ref point inside the document (or to a local file), or remove it' : 'fix the schema there so it is a valid Schema Object',
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
