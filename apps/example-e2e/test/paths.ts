import * as path from 'node:path';

export const WORKSPACE = path.resolve(__dirname, '../../..');
export const EXAMPLE_SPEC = path.join(WORKSPACE, 'apps/example-api/openapi.yaml');
/** Where the example API's libraries are generated for these tests (git-ignored). */
export const GENERATED = path.join(__dirname, '..', '.generated', 'example-api');
