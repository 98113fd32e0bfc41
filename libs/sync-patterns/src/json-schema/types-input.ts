import type { OpenApiDocument } from '../openapi/load-spec';
import { withExplicitDiscriminators } from './discriminator-mapping';
import { withInhabitableMaps } from './inhabitable-maps';
import { hoistDeepRefs } from './hoist-deep-refs';
import { withNullableUnions } from './nullable-unions';

/**
 * The document openapi-typescript is given: explicit discriminator mappings, no refs into paths, no
 * types that no value could have (maps beside declared properties, `null` intersected with a union).
 * A fresh copy on every call — openapi-typescript changes its input while it works.
 */
export function typesInput(document: OpenApiDocument): OpenApiDocument {
  return withNullableUnions(withInhabitableMaps(hoistDeepRefs(withExplicitDiscriminators(document))));
}

const views = new WeakMap<OpenApiDocument, OpenApiDocument>();

/** typesInput's document, once per document, for readers that never change it (the discriminator scans). */
export function typesInputView(document: OpenApiDocument): OpenApiDocument {
  let view = views.get(document);
  if (!view) views.set(document, (view = typesInput(document)));
  return view;
}
