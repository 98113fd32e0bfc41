import * as entryPoint from 'openapi-typescript';
import { openapiTypescriptTransform } from '../src/json-schema/openapi-typescript-transform';

// The generator loads openapi-typescript's transform from its modules (skipping Redocly's load):
// for the pinned version those must be the very functions its entry point exports.
describe('openapi-typescript transform modules', () => {
  it('are the functions the package entry point exports', () => {
    const light = openapiTypescriptTransform();
    expect(light.transformSchema).toBe(entryPoint.transformSchema);
    expect(light.astToString).toBe(entryPoint.astToString);
    expect(light.scanDiscriminators).toBe(entryPoint.scanDiscriminators);
    expect(light.resolveRef).toBe(entryPoint.resolveRef);
  });
});
