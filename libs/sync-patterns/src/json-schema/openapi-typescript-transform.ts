import type { astToString, resolveRef, scanDiscriminators, transformSchema } from 'openapi-typescript';

export interface OpenapiTypescriptTransform {
  transformSchema: typeof transformSchema;
  astToString: typeof astToString;
  scanDiscriminators: typeof scanDiscriminators;
  resolveRef: typeof resolveRef;
}

let loaded: OpenapiTypescriptTransform | undefined;

/**
 * openapi-typescript's transform, printer and helpers, loaded from their own modules rather than
 * the package's entry point: the entry point also loads Redocly's parser, linter and bundler
 * (about 90 ms before anything runs), which this generator never calls — the document it hands
 * over is already loaded, bundled and checked (see emit-core.ts). The modules are those the entry
 * point re-exports, so the functions are the same ones (test/openapi-typescript-transform.spec.ts
 * holds that for the pinned version).
 */
export function openapiTypescriptTransform(): OpenapiTypescriptTransform {
  if (loaded) return loaded;
  /* eslint-disable @typescript-eslint/no-require-imports -- subpaths without type declarations, typed from the entry point's */
  const transform = require('openapi-typescript/dist/transform/index.cjs') as typeof transformSchema;
  const printer = require('openapi-typescript/dist/lib/ts.cjs') as { astToString: typeof astToString };
  const utils = require('openapi-typescript/dist/lib/utils.cjs') as {
    scanDiscriminators: typeof scanDiscriminators;
    resolveRef: typeof resolveRef;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  loaded = {
    transformSchema: transform,
    astToString: printer.astToString,
    scanDiscriminators: utils.scanDiscriminators,
    resolveRef: utils.resolveRef,
  };
  return loaded;
}

/** Whether this thread has loaded it already (a long-running process prints in place then). */
export function printerLoaded(): boolean {
  return loaded !== undefined;
}
