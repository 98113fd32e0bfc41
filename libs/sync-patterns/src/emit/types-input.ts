import type { OpenApiDocument } from '../spec/load-spec';
import { withExplicitDiscriminators } from './discriminator-mapping';
import { inlineDeepRefs } from './inline-deep-refs';

/**
 * The document openapi-typescript is given: explicit discriminator mappings and no refs into paths.
 * A fresh copy on every call — openapi-typescript changes its input while it works.
 */
export function typesInput(document: OpenApiDocument): OpenApiDocument {
  return inlineDeepRefs(withExplicitDiscriminators(document));
}
