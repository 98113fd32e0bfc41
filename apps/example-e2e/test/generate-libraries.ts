import { generate } from 'sync-patterns';
import { EXAMPLE_SPEC, GENERATED } from './paths';

/** jest globalSetup: the libraries under test come from the generator, fresh each run. */
export default async function generateLibraries(): Promise<void> {
  await generate({ spec: EXAMPLE_SPEC, out: GENERATED, force: true, prune: true });
}
